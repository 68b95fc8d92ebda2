"""Members' names and emails found in free text, so that an export can put [member] (or a pseudonym) in their place.

Names are matched as whole tokens: a Latin word is a run of letters and digits, a Chinese or Japanese character is a
token of its own (those scripts have no spaces, so 大伟 is also found inside 大伟说). Text and names are folded the
same way first (``name_parts``: full-width forms, Cyrillic and Greek look-alikes, traditional characters, case,
invisible characters inside a word). A member is found by their whole name, by its joined spellings (EmilyChen,
emily_chen) and by each part of it (Emily, Chen, 张伟 of "Zhang Wei 张伟", 晓明 of 李晓明), and a Chinese name by its
pinyin too (Zhang Wei, zhangwei, Wei Zhang, Xiaoming Li, xiaoming for 张伟 and 李晓明). Parts and one-word names
that are ordinary words (Rose, May, Will, 美丽) or very short (Jo) are taken for a member only where they are used
as a name; ``name_parts`` documents the rule. A part two members share stands for neither: it is replaced with the
label of no member (``label(None)``), so it still leaves the text.

Members are also called by what their display name is built on when it is no personal name (橙子, 橙子姐 of 橙子酱;
胖纸 of 一只小胖纸; ``name_parts.display_nicknames``), by their email's local part (naicha3, its letters naicha) and by
a joined spelling of a Latin name (CocoLi of Coco_Li). A one-character surname written right before a name
(孙晓雯 for 晓雯) or a romanised one joined to it (Xiaowen.sun, sun_xiaowen, Jenny Wang) leaves with the name, and
a signature that ends a post and names a member ("—— 伟哥", "-- Coco") leaves whole (``drop_signature``). In a post
whose author is known, a signature or a self-introduction ("叫我小雪就行", "call me Luke", "I go by 茶茶") in any form
built from the author's own names (``name_parts.own_forms``) is the author too. A name alone on a post's last line
("Cheers,\nGrace", "- Coco", "——可可" for Coco written in characters) is a signature too. Where a word written like
a name names a product, a month, a work or a quality (MAC Ruby Woo, "in May", 《小星星》, 暖暖的阳光), and where a
sentence calls someone by it ("谢谢分享，可可", "Vivi也买了同款"), is ``name_context``'s.

Every name found in the text is written ``label(None)`` ([member]), never the member's pseudonym, however sure the
find looks (a whole display name, a real name, 王总, a handle, a self-introduction, a transliteration, initials): the
names book only guesses that a word in running text means the member, and a guess that is wrong ("Mia 是意大利语我的
意思", "阿紫是天龙八部里的角色", "Leo 狮子座") would put the pseudonym where a reader who knows the phrase reads the
name back, linking it to the member; [member] links nobody (``_certified``). The pseudonym is written only where the
product's own syntax says whom the text names: right after an @ (an @mention; not initials, @WXM), a quote header
(the quote button's and one a member writes above or atop a blockquote, ``quotes``: ``attribute``) and a results
post's winners (``quotes.rewrite_awards``). ``members_in`` still tells whom a text names. A member's handle (their
email's local part) is found joined in any way and delimited inside a longer handle (wangxm_tony_2023); their
initials only where a person is named, never a brand's code (``brand_code``).

Kinship and respect words after a part of a name (娜姐, 娜娜姐 of 李娜, 思远老师 of 王思远: ``name_parts.kin_form``)
count as pet forms do: a name wherever they stand unless a common noun follows. A doubled nickname that starts its
sentence before what a person did (北北上次推荐的) is a name even where an everyday word runs into it (北|北上); a
doubled verb after a pronoun (冲我笑笑说) is none. A signature may name a piece of a display name that is no personal
name (拿铁 of 抹茶拿铁: ``name_parts.signing_pieces``), after "your" (—— 你们的蜜桃) and before a sign-off word, a
date or an aside (—— 蜜桃 敬上); a signing line that does not end the post is a person's context.
"""
from __future__ import annotations

import re
from collections.abc import Callable

import sqlalchemy as sa

from app.competitions.models import CompetitionEntry
from app.extensions import db
from app.forum.models import Post
from app.members.models import FormerName, User
from app.research.name_context import (
    brand_code,
    called_at_end,
    called_in_chinese,
    closes_line_of_words,
    holds_a_name,
    model_before,
    names_a_thing,
    names_a_work_or_quality,
    product_after_sound,
    stands_for_something_else,
    thing_beside,
)
from app.research.name_parts import (
    CJK_RE,
    INVISIBLE,
    ORDINARY,
    PINYIN_SURNAMES,
    RARE,
    SHORT,
    SURNAMES,
    TITLES,
    TOKEN_RE,
    chinese_nicknames,
    chinese_words,
    common_word,
    covered_by_word,
    display_nicknames,
    email_local_forms,
    english_clippings,
    english_nicknames,
    fold,
    fold_text,
    initials,
    joined_forms,
    joined_latin_forms,
    kin_form,
    kind_of,
    letters_kind,
    own_forms,
    parts,
    phrase_like,
    pinyin_forms,
    pinyin_joined,
    pinyin_readings,
    signing_pieces,
    single_characters,
    surname_before,
    titled_forms,
    username_parts,
    usual_diminutives,
    word_spanning,
)
from app.research.transliteration import conventional, fits, foreign_name_after, patterns, pet_patterns, sound_kind
from app.tasks.models import TaskSubmission
from app.text.emails import EMAIL_RE
from app.text.words import is_english_word

_JOINERS = frozenset(" \t\u00a0\u3000-'’.·・_" + "".join(chr(c) for c in range(0x200B, 0x2010)) + "\u2060\ufeff\u00ad")
_MAX_GAP = 3
_SEP = "\x1f"
_AT = ("@", "＠")
_INVISIBLE_RE = re.compile(f"[{INVISIBLE}]")


class _Ambiguous:
    """What a name form several members share stands for: one object, the same one after pickling (an export's
    worker processes get the names book built once: ``parallel_rows``)."""

    def __reduce__(self) -> str:
        return "_AMBIGUOUS"


_AMBIGUOUS = _Ambiguous()
_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")
# Where a word is used as a name: after a greeting, thanks, "by", "cc" or an @ (Latin words need a word boundary
# before the cue; Chinese cues stand right before the name) ...
_CUE_BEFORE = re.compile(
    r"(?:(?<![\w'])(?:hi|hey|hello|hiya|dear|thanks|thank you|thx|ty|cheers|congrats|congratulations|welcome|sorry|"
    r"cc|ping|by|@|quoting|posted by|like|as)|谢谢|謝謝|感谢|感謝|多谢|谢|你好|嗨|哈喽|亲爱的|恭喜|欢迎|引用|回复|回覆|问问|"
    r"请问|同意|赞同|刚才|剛才|(?<![鞋脚高后])跟|和|问|問|像|叫我|喊我|叫上|喊上|约上|带上|叫|喊|见到|见过|没见|之星|"
    r"早上好|早安|午安|晚上好|晚安|最信|[@＠]|(?<![\w'])(?:credit goes to|thanks to|thank you to|credit to|"
    r"goes to|heard from|hear from|miss you|missed you|shout ?out to|kudos to|props to))\s*[,，:：]?\s*\Z",
    re.IGNORECASE)
# After a word: what only a person does or has ("静静组织的", "金山本人", "白雪就住我们小区", "马克的穿搭", "可乐今天
# 怎么没来打卡", "Viv you were right", "静静's routine").
_PERSON_AFTER = re.compile(
    r"[^\S\n]?(?:组织的|组织了|本人|发帖|发的帖|就住|住在|视频了|晚安|早安|午安|早上好|的(?:观点|头像|穿搭|分享|帖子|"
    r"笔记|主页|账号|视频|直播|朋友圈|老公|男朋友|女朋友|同事|评论|回复|经验|心得|作业|打卡)|"
    r"(?:今天|最近|这几天|好久)?(?:怎么|咋)?又?(?:没有|没|不)?来?(?:打卡|发帖|冒泡|露面|签到))"
    r"|(?i:[^\S\n]*,?[^\S\n]+you(?:['’]re| were| are)[^\S\n]+(?:right|wrong|the best|amazing|a star|so right)(?![\w']))"
    # An English possessive on a Chinese name: "静静's routine", "thanks to 可乐’s tip" (a person's, in mixed text).
    r"|(?<=[\u4e00-\u9fff])['’]s(?![A-Za-z])")
# Before a word that ends its sentence: "还是因为栗子", "credit goes to 紫姐"; "听老王的，" (listen to X).
_BECAUSE_BEFORE = re.compile(r"(?:因为|多亏了?|多亏|幸亏)\s*\Z")
_LISTEN_TO = re.compile(r"听\s*\Z")
_LISTEN_AFTER = re.compile(r"的(?:话|[，,。!！\s]|\Z)")
# ... or before "said", "wrote" and their kin, or a colon when the name starts its line ("Will: agreed").
_CUE_AFTER = re.compile(
    r"(?:\s*(?:said|says|wrote|writes|asked|asks|replied|replies|mentioned|posted|suggested|recommended|"
    r"commented|shared|just said|told)(?![\w'])|\s*(?:说|說|写道|寫道|提到|问|問|回复|回覆|推荐|推薦|建议|建議|分享|表示|"
    r"的看法|的推荐|的推薦|的帖子|的意见|的意見|的建议|的话|的話|你好|上次|刚才|剛才|发的|發的|提的|讲的|講的|觉得|覺得|"
    r"讲过|講過|你(?!们|們)|您))",
    re.IGNORECASE)
# A capitalised word that starts a sentence is a person when a verb of what people do or think follows ("Joy is
# right", "Ming told me", "Rose's favourite").
_PERSON_VERB = re.compile(r"(?:['’]s\s|\s+(?:is|was)\s+(?:right|wrong|correct|spot on)|\s+(?:told|thinks|thought|"
                          r"says|said|agrees|agreed|has a point|had a point|mentioned|recommended|recommends|suggested|asked|wrote|"
                          r"replied|posted|swears|swore|knows|knew|loves|tried|bought)(?![\w']))")
_LATIN_WORD = re.compile(r"[^\W\d_]{2,}")
_LINE_COLON = re.compile(r"\s*[:：]")
_HEADING_COLON = re.compile(r"[*_]*\s*[:：]")
_LINE_LEAD = re.compile(r"[\s>*_\-#\d.)•]*\Z")  # what may stand before a name that starts its line
# Emoji and symbols a display name wears ("Kiki🌸", "Mia✨", "🍑桃子"), and where they stand in text beside the name.
_DECORATION = re.compile(r"[^\w\s]*[\u2190-\u2bff\u3030\u303d\U0001f000-\U0001faff][^\w\s]*")
_DECORATION_CHAR = r"[^\w\s@＠.,;:!?'\"()\[\]{}<>，。；：！？、“”‘’（）【】《》「」『』…~～*#-]"
_DECORATION_AFTER = re.compile(rf" ?({_DECORATION_CHAR}+)")
_DECORATION_BEFORE = re.compile(rf"({_DECORATION_CHAR}+) ?\Z")
# A name that opens its line and is called, a comma after it and then what one says to a person.
_VOCATIVE = re.compile(r"(?:呀|啊|鸭|哇)?\s?[,，]\s*(?:你|您|好|在吗|在不|求|请|麻烦|谢|问|能不能|可以|有没有|链接|(?i:(?:you|your|u|did|do|does|"
                       r"have|has|are|is|can|could|would|will|what|where|how|when|which|who|why|thanks|thank|please|pls|"
                       r"i|i'm|you're|you’re|same|agreed|yes|yeah|no|ok|okay|lol|haha|omg|hi|hey|love|miss|congrats|sorry|welcome)(?![\w'])))"
                       r"|\s+(?i:thank you|thank u|thanks|thx|ty|you(?:['’]re)? (?:legend|star|rock|queen|genius|are the best))"
                       r"(?![\w'])")
# After a word that starts its sentence: when and a person's doing or sharing ("晴天今天终于分享了", "米粒今天推荐了",
# "静静今天的护肤分享", "老王又来安利了").
_SUBJECT_AFTER = re.compile(r"[^\S\n]?(?:今天|昨天|前天|最近|刚刚|刚才|早上|晚上|上次|之前|以前|前几天|那天)?"
                            r"(?:又|也|终于|还|刚|已经|都)*(?:在群里)?"
                            r"(?:分享|推荐|晒|说|安利|种草|拔草|直播|发了|发的|发链接|问|回复|买了|入了|来安利|来推荐|来分享|"
                            r"提过|提到|试过|用过|讲过|写过|教过|"
                            r"的(?:护肤|妆|分享|推荐|帖子|素颜|空瓶|链接|笔记|测评))|[^\S\n]?(?:今天|昨天|前天|最近|刚刚)"
                            r"(?:又|也|终于|还|刚|已经|都)*(?:在|去|来)?[\u4e00-\u9fff]{0,2}?(?:分享|推荐|晒|说|安利|直播|发了|买了|入了)")
_GREETING_AFTER = re.compile(r"[^\S\n]*(?:早安|早上好|午安|晚安|你好|在吗)")
# Round 13: a greeting said to a name opening its line ("小马早呀"), a look it is asked for ("求凯文同款") and what one
# owes to a person ("多亏了芒果提醒").
_MORNING_AFTER = re.compile(r"[^\S\n]*(?:早呀|早啊|早鸭|早哇|早上好|早安|晚安)")
_ASKED_BEFORE = re.compile(r"求\s*\Z")
_SAME_AFTER = re.compile(r"[^\S\n]?(?:的)?同款")
_OWED_AFTER = re.compile(r"(?:的)?(?:提醒|帮忙|帮助|指点|推荐|安利)")
_LINE_END = re.compile(r"[^\S\n]*[!！.。?？~～…]*[^\S\n]*(?:\n|\Z)")
# An English greeting or meeting before a name written in Chinese characters or capitalised ("Morning 小鹿!", "I met
# 熊猫 at the pop-up"): a person. Lowercase words after them are English ("every morning will be", "meet may be").
_GREETED_BEFORE = re.compile(r"(?<![\w'])(?:(?:good )?morning|(?:good )?evening|good night|met|meet)[^\S\n]*[,，]?[^\S\n]*\Z",
                             re.IGNORECASE)
_LETTER_NAME = re.compile(r"[老小阿]([a-z])")  # 老K, 小K: a letter with a prefix
_LIKENESS = re.compile(r"一样|似的|般|那样|这样")
# Between two names of a list: "Thanks Sunny and 晴天", "可乐和栗子", "X、Y".
_LISTED = re.compile(r"[^\S\n]*(?:(?i:and|&)|和|跟|与|、|,|，)[^\S\n]*")
_SENTENCE_END = re.compile(r"(?:\A|[.!?。！？…:;：；\n])[\s\"'“‘(\[（【>*_\-#]*\Z")


class MemberNames:
    """Every member's display name (and earlier names still standing in old posts), found in text by token."""
    def __init__(self) -> None:
        self.anycase: dict[str, int] = {}  # folded tokens -> member (whole names and joined spellings)
        self.wordlike: dict[str, tuple[int, str]] = {}  # one-word names that are short or ordinary words -> kind
        self.parts: dict[str, tuple[object, str]] = {}  # parts of names -> (member or _AMBIGUOUS, kind)
        self.derived: dict[str, tuple[object, str]] = {}  # nicknames, usernames' letters -> (member, kind)
        self.singles: dict[str, object] = {}  # one Chinese character -> member, in a person's context only
        self.mention: dict[str, int] = {}  # folded tokens -> member, also right after an @
        self.titled: dict[str, tuple[object, int]] = {}  # surname and title (王姐) -> (member, surname's length)
        # Nicknames of display names that are no personal name (橙子姐 of 橙子酱) -> (member, kind, where the core
        # starts, its length): ``name_parts.display_nicknames``.
        self.nicknames: dict[str, tuple[object, str, int, int]] = {}
        self.decorations: dict[int, set[tuple[str, str]]] = {}  # member -> (emoji before, emoji after) of a name
        # An English given name written in characters (贝拉 of Bella): first character -> (pattern, member, rank)
        # (``transliteration.patterns``; rank 2 for the name, 1 for its first syllable doubled, 0 its last).
        self.sounds: dict[str, list[tuple[tuple[frozenset[str], ...], int, int]]] = {}
        self._sounds_added: set[tuple[str, tuple, int, int]] = set()  # every (char, pattern, member, rank) in sounds
        self._fits: dict[str, tuple[int, frozenset] | None] = {}  # _fitted, remembered per run
        self._sound_pairs: dict[str, dict[str, list[tuple[int, list]]]] = {}  # _sound_candidates, built when needed
        self.starts: dict[str, tuple[int, ...]] = {}  # folded first token -> token counts of names starting so
        self.withdrawn: set[int] = set()
        self.initials: dict[str, object] = {}  # a name's initials (wxm of 王小明, lw of 刘伟) -> member
        self._rank: dict[str, int] = {}  # how strongly a display-name nickname's owner claims it (_add_nicknames)
        self.phrases: dict[str, int] = {}  # a display name that is an everyday phrase and its nicknames -> member
        self.pieces: dict[str, int] = {}  # pieces of a display name its member signs with (拿铁 of 抹茶拿铁)
        self.own: dict[int, set[str]] = {}  # member -> every form of their own names (``name_parts.own_forms``)
        self._emails: dict[str, int | None] = {}
        self._known: frozenset[str] | None = None  # every key of every table, built when first needed

    def _add_initials(self, keys: list[str], user_id: int) -> None:
        """A name's initials (``name_parts.initials``): a person's only where the sentence names one."""
        for form in initials(keys):
            known = self.initials.get(form)
            self.initials[form] = user_id if known is None or known == user_id else _AMBIGUOUS
            self._start([form])

    def add(self, user_id: int, name: str) -> None:
        """Learn a name and its parts (the first member to claim a name keeps it: current names are added before
        old ones)."""
        keys = [fold(token) for token in TOKEN_RE.findall(name or "")]
        keys = [key for key in keys if key]
        if not keys:
            return
        whole = _SEP.join(keys)
        self._add_decoration(name, user_id)
        self._add_initials(keys, user_id)
        self.own.setdefault(user_id, set()).update(own_forms(name))
        if whole in self.mention:
            return
        self.mention[whole] = user_id
        self._start(keys)
        if len(keys) == 1 and CJK_RE.fullmatch(keys[0]):
            self._add_single(keys[0], user_id)  # 伟: a person's context or an @ only
            return
        if len(keys) == 1 and keys[0].isdigit() and len(keys[0]) < 3:
            return  # 88: ordinary text everywhere except after an @
        self._derive(name, keys, user_id)
        all_cjk = all(CJK_RE.fullmatch(key) for key in keys)
        if all_cjk and phrase_like(run := "".join(keys)):  # 草莓味 of 🍓草莓味: a title in 《》 when whole
            words = chinese_words()  # and a piece of it that is a dictionary word or a phrase (小兔子 of 小兔子乖乖)
            for form in (run, *(form for form in display_nicknames(run)
                                if len(form) >= 3 and form in run and (form in words or phrase_like(form)))):
                self.phrases.setdefault(_SEP.join(form), user_id)
        for piece in signing_pieces("".join(keys)) if all_cjk else ():  # "—— 拿铁" signs a post: ``drop_signature``
            self.pieces.setdefault(piece, user_id)
        one_word = len(keys) == 1 or all_cjk  # 美丽 is one word, two tokens
        if keys[0].isdigit():
            self.anycase.setdefault(whole, user_id)  # 1314: a whole name written in full is the member
        elif one_word and (kind := kind_of("".join(keys))) != RARE:
            self.wordlike.setdefault(whole, (user_id, kind))
        else:
            self.anycase.setdefault(whole, user_id)
        for joined in joined_forms(keys):
            kind = kind_of(joined)
            self._add_part([joined], user_id, kind)
        for part in parts(keys):
            self._add_part(part, user_id, kind_of("".join(part)))
        for run in _CJK_RUN.findall("".join(keys)):
            for form in pinyin_forms(run):
                self._add_part(form, user_id, kind_of("".join(form)))

    def _derive(self, name: str, keys: list[str], user_id: int) -> None:
        """Nicknames, a username's letters, hyphenated words joined, single characters (``name_parts``)."""
        forms: list[list[str]] = []
        latin = [key for key in keys if not CJK_RE.match(key)]
        clipped: list[list[str]] = []
        if latin:
            forms += [[nickname] for nickname in english_nicknames(latin[0])]
            clipped = [[clipping] for clipping in english_clippings(latin[0])]
            forms += clipped
            for given in (latin[0], *(short for short in usual_diminutives(latin[0]) if len(short) >= 4)):
                self._add_sounds(given, user_id)  # 詹妮弗 of Jennifer, 珍妮 of her Jenny
        lettered = [form for token in latin for form in username_parts(token)]
        forms += lettered
        for word in re.findall(r"[A-Za-z][A-Za-z0-9_.\-]*[A-Za-z0-9]", name or ""):
            forms += [[joined] for joined in joined_latin_forms(word)]  # Coco_Li, CocoLi: cocoli; lemontree88
        for word in (name or "").split():
            if re.search(r"\w[-'’]\w", word):
                joined = fold(re.sub(r"[-'’]", "", word))
                if joined.isalpha():
                    forms.append([joined])
        for run in _CJK_RUN.findall("".join(keys)):
            forms += [list(nickname) for nickname in chinese_nicknames(run)]
            for form, surname_length in titled_forms(run).items():
                known = self.titled.get(_SEP.join(form))
                self.titled[_SEP.join(form)] = ((user_id if known is None or known[0] == user_id else _AMBIGUOUS),
                                                surname_length)
                self._start(list(form))
            for char in single_characters(run):
                self._add_single(char, user_id)
            if len(run) == 2 and (run[0] == run[1] or kind_of(run) == ORDINARY) and run[0] not in "小阿老大":
                self._add_single(run[0], user_id)  # 糖 of 糖糖, 晴 of 晴天: in a person's context only
            if not chinese_nicknames(run):  # 橙子酱, 一只小胖纸: no surname and given name to build from
                self._add_nicknames(run, user_id)
                forms += [[spelled] for word in (run, *display_nicknames(run)) if len(word) >= 2
                          and CJK_RE.fullmatch(word[-1]) and word in run and (spelled := pinyin_joined(word))]
            elif len(run) == 2 and (run[0] in "小阿" or kind_of(run) == ORDINARY):
                self._add_nicknames(run, user_id, kin_only=True)  # 小鱼姐, 鱼妈 of 小鱼; 米粒妈妈; 花姐 of 阿花
        if len(latin) >= 2 and latin[1].isalpha():  # Em B of Emma Bai: a short form and the surname's initial
            forms += [[form[0], latin[1][0]] for form in forms[:] if len(form) == 1 and len(form[0]) <= 4
                      and form[0].isalpha()]
            forms.append([latin[0], latin[1][0]])
        letter = _LETTER_NAME.fullmatch("".join(keys)) if len(keys) == 2 else None
        if letter:  # 老K: K哥, K姐, Old K
            forms += [[letter.group(1), suffix] for suffix in "哥姐"] + [["old", letter.group(1)]]
        for form in forms:
            key = _SEP.join(form)
            if form in lettered and brand_code(key):
                continue  # ysl of ysl_yang: YSL the brand
            known = self.derived.get(key)
            if known is None:
                self.derived[key] = (user_id, _derived_kind(form, lettered, clipped))
            elif known[0] != user_id:
                self.derived[key] = (_AMBIGUOUS, known[1])
            self._start(form)
        if latin:
            self._add_other_spellings(latin[0], user_id)

    def _add_other_spellings(self, given: str, user_id: int) -> None:
        """Round 13: the Chinese name or word an English name that is a word goes by (车厘子 of Cherry, 安柏 of
        Amber), also as a piece of a handle (柠檬 of lemon_tree88), the Chinese a pinyin handle is called by (默默 of
        momo1998, 小萌 of xiaomeng: ``pinyin_readings``) and a handle of English words written spaced (day day up of
        daydayup); each a name only where the sentence uses it as one."""
        forms = spaced_words(given)
        for letters in re.findall(r"[a-z]+", given.casefold()):  # 车厘子 of cherry, 默默 of momo1998, 柠檬 of lemon_tree88
            forms += [list(form) for form in (*CHINESE_FORMS.get(letters, ()), *pinyin_readings(letters))
                      if list(form) not in forms]
        for form in forms:
            key = _SEP.join(form)
            known = self.derived.get(key)
            self.derived[key] = (user_id if known is None or known[0] == user_id else _AMBIGUOUS, ORDINARY)
            self._start(form)

    def _all_keys(self) -> frozenset[str]:
        self._known = frozenset().union(self.mention, self.anycase, self.wordlike, self.parts, self.derived,
                                        self.nicknames, self.titled, self.singles, self.initials)
        return self._known

    def _add_nicknames(self, run: str, user_id: int, kin_only: bool = False) -> None:
        found = display_nicknames(run)
        if kin_only:  # a name that reads like a personal name: only its kinship forms, and 妈妈 after it
            found = {form: value for form, value in found.items() if form[-1] in "姐哥妈爸妹弟宝姨叔总" or form.endswith("老师")}
            found.setdefault(run + "妈妈", (RARE, 0, len(run)))
        for form, (kind, core_start, core_length) in found.items():
            key = _SEP.join(form)
            known = self.nicknames.get(key)
            owner = user_id if known is None or known[0] == user_id else _AMBIGUOUS
            # A form written in the name (糖糖 of 糖糖不吃糖) beats the name's last character doubled (猫猫 of
            # 爱吃鱼的猫), which beats a form built on a core written in the name (糖糖姐 of 糖糖不吃糖), which beats
            # an inner word's (猫猫 of 熊猫阿宝) or the last character's (糖糖姐 of 奶盖少糖): the stronger claim keeps it.
            core = form[core_start:core_start + core_length]
            rank = 3 if form in run else 2 if form == run[-1] * 2 else 1 if len(core) >= 2 and core in run else 0
            if known is not None and known[0] != user_id and rank != self._rank.get(key, 0):
                owner = user_id if rank > self._rank.get(key, 0) else known[0]
            if owner == user_id:
                self._rank[key] = rank
            self.nicknames[key] = (owner, kind, core_start, core_length)
            self._start(list(form))

    def add_email(self, user_id: int, email: str | None) -> None:
        """A member's email local part as a name others call them by (naicha3 of naicha3@qq.com) and its letters
        (naicha): weaker than any display name, like a nickname; letters English uses as a word (beauty, mochi)
        only where used as a name."""
        for form in email_local_forms(email or ""):
            key = _SEP.join(form)
            if brand_code(key):
                continue  # ysl of ysl_yang@…: YSL the brand
            known = self.derived.get(key)
            if known is None:
                self.derived[key] = (user_id, letters_kind("".join(form)))
            elif known[0] != user_id:
                self.derived[key] = (_AMBIGUOUS, known[1])
            self._start(form)
        local = (email or "").rsplit("@", 1)[0]
        if local and "@" in (email or ""):
            self._add_other_spellings(local.casefold(), user_id)  # 默默 of momo1998@163.com, 柠檬 of lemon_tree88@

    def names_someone(self, text: str) -> bool:
        """Whether a whole string is a member's name or a form of one (shared by several members or not)."""
        keys = [key for key in (fold(token) for token in TOKEN_RE.findall(text or "")) if key]
        key = _SEP.join(keys)
        return bool(keys) and (any(key in table for table in (self.mention, self.anycase, self.wordlike, self.parts,
                                                                self.derived, self.nicknames, self.titled))
                               or self._sounds_like("".join(keys)))

    def _sounds_like(self, run: str) -> bool:
        """Whether a Chinese run writes a member's English name (可可 of Coco, 露西 of Lucy), no brand."""
        return not holds_a_name(run) and any(len(pattern) == len(run) and fits(pattern, run)
                                          for pattern, _user, _rank in self.sounds.get(run[:1], ()))

    def drop_signature(self, text: str, author: int | None = None) -> str:
        """The text without a signature that ends it and names a member ("—— 伟哥", "-- Coco", "by 糖糖"), or
        names its author by any form of their own names ("—— 小雪" of 黄小雪's post)."""
        tail = max(0, len(text) - _SIGNATURE_TAIL)  # a signature is short: only the end is searched
        if not text or not _SIGNATURE_MARK.search(text, tail):
            return text
        found = _SIGNATURE.search(text, tail) or _BY_SIGNATURE.search(text, tail) or _line_signature(text, tail)
        if found is None:
            return text
        name = _DECORATION.sub("", found.group("name")).strip().strip("~～ ")  # "~麦克斯~"
        name = _SIGNED_AS.sub("", name)  # "—— 你们的蜜桃": the name after "your"
        if not (self.names_someone(name) or self._own(author, name) or fold(name) in self.pieces):
            return text
        return text[:found.start()].rstrip()

    def _own(self, author: int | None, name: str) -> bool:
        """Whether a whole string is a form of the author's own names."""
        forms = self.own.get(author) if author is not None else None
        if not forms:
            return False
        keys = [key for key in (fold(token) for token in TOKEN_RE.findall(name)) if key]
        return bool(keys) and ("".join(keys) in forms or " ".join(keys) in forms)

    def _introduced(self, text: str, author: int, label: Callable[[int | None], str]) -> str:
        """A self-introduction's name replaced where it is a form of the author's own ("叫我小雪就行", "call me
        Luke"): the author's own post, so any form built from their names counts. It reads ``label(None)``: the
        words around it are no product syntax, so that they introduce the author is a guess too."""
        def own(match: re.Match) -> str:
            name = match.group("name")
            if CJK_RE.match(name):  # the longest run of the author's that starts the Chinese words
                for end in range(min(len(name), 8), 1, -1):
                    if self._own(author, name[:end]):
                        return match.group("cue") + label(None) + name[end:]
                return match.group()
            return match.group("cue") + label(None) if self._own(author, name) else match.group()

        return _SELF_INTRO.sub(own, text)

    def _add_decoration(self, name: str, user_id: int) -> None:
        """The emoji or symbols a name wears before or after its words ("Kiki🌸", "🍑桃子")."""
        tokens = list(TOKEN_RE.finditer(name))
        before, after = name[:tokens[0].start()].strip(), name[tokens[-1].end():].strip()
        before, after = (piece if _DECORATION.fullmatch(piece) else "" for piece in (before, after))
        if before or after:
            self.decorations.setdefault(user_id, set()).add((_plain(before), _plain(after)))

    def _decorated(self, user_id: object, text: str, start: int, end: int) -> tuple[int, int] | None:
        """The span with the member's name's emoji around it, when the text writes them (else None)."""
        for before, after in self.decorations.get(user_id, ()) if user_id is not _AMBIGUOUS else ():
            new_start, new_end = start, end
            if after:
                found = _DECORATION_AFTER.match(text, end, end + 3 * len(after) + 2)
                if found is None or _plain(found.group(1)) != after:
                    continue
                new_end = found.end()
            if before:
                found = _DECORATION_BEFORE.search(text, max(0, start - 3 * len(before) - 2), start)
                if found is None or _plain(found.group(1)) != before:
                    continue
                new_start = found.start()
            return new_start, new_end
        return None

    def _add_single(self, char: str, user_id: int) -> None:
        known = self.singles.get(char)
        self.singles[char] = user_id if known is None or known == user_id else _AMBIGUOUS
        self._start([char])

    def _start(self, keys: list[str]) -> None:
        self._known = None  # every table's new key comes with its start
        self.starts[keys[0]] = tuple(sorted({*self.starts.get(keys[0], ()), len(keys)}, reverse=True))

    def _add_part(self, keys: list[str], user_id: int, kind: str) -> None:
        key = _SEP.join(keys)
        known = self.parts.get(key)
        if known is None:
            self.parts[key] = (user_id, kind)
        elif known[0] != user_id:
            self.parts[key] = (_AMBIGUOUS, known[1])  # two members' parts: it names somebody, nobody knows whom
        self._start(keys)

    def find(self, name: str) -> int | None:
        """The member a whole string names (a quote header's or an announcement's name), if any: a whole name, or
        a part of one name that no other member shares."""
        keys = [key for key in (fold(token) for token in TOKEN_RE.findall(name or "")) if key]
        if not keys:
            return None
        key = _SEP.join(keys)
        if key in self.mention:
            return self.mention[key]
        found = self.parts.get(key) or self.derived.get(key) or ((self.singles[key], RARE) if key in self.singles else None)
        return found[0] if found is not None and found[0] is not _AMBIGUOUS else None

    def members_in(self, text: str) -> list[int]:
        """The members a text names, in order (a part several members share names none of them)."""
        found: list[int | None] = []

        def collect(user_id: int | None) -> str:
            found.append(user_id)
            return ""

        self._replace(text, collect, None, guessed=False)
        return [user_id for user_id in found if user_id is not None]

    def attribute(self, text: str, label: Callable[[int | None], str]) -> str:
        """A quote header a member wrote (``quotes``) with every member it names replaced by ``label(member id)``:
        it attributes the quote below it, as the quote button's header does, so the names read their members."""
        return self._replace(text, label, None, guessed=False)

    def replace(self, text: str, label: Callable[[int | None], str], author: int | None = None) -> str:
        """The text with every member's email and name replaced by ``label(None)`` ([member]); written by ``author``, a self-introduction's name that is a form of the author's
        own names too ("叫我小雪就行"). A name right after an @ (an @mention) reads ``label(member id)``: the
        product's syntax, not a guess (``_certified``); a part several members share reads ``label(None)`` there too."""
        return self._replace(text, label, author, guessed=True)

    def replace_everywhere(self, text: str, label: Callable[[int | None], str]) -> str:
        """``replace`` for text the product's structure sets beside a pseudonym (an entry title in a results post):
        a name that is an everyday word reads ``label(None)`` wherever it stands, as after another member's name
        ("小雨的空瓶记": the light rain or not, the title would tie the pseudonym to 小雨)."""
        return self._replace(text, lambda _user_id: label(None), None, guessed=True, everywhere=True)

    def _replace(self, text: str, label: Callable[[int | None], str], author: int | None, *, guessed: bool,
                 everywhere: bool = False) -> str:
        """``replace``; with ``guessed`` False every name is labelled with its member (who is named: ``members_in``,
        ``attribute``)."""
        if author is not None and author in self.own and _SELF_INTRO_CUE.search(text):
            text = self._introduced(text, author, label)
        if "@" in text:
            text = self._replace_emails(text, label)
        folded_text = fold_text(text)
        if folded_text is None:  # folding changed the length: fold token by token instead
            spans = list(TOKEN_RE.finditer(text))
            folded = [fold(span.group()) for span in spans]
        else:
            folded = TOKEN_RE.findall(folded_text)
            if not text.isascii() and _INVISIBLE_RE.search(text):
                folded = [_INVISIBLE_RE.sub("", token) for token in folded]
            if self.starts.keys().isdisjoint(folded) and "_" not in text:
                return text  # most texts name nobody: one C-level pass decides it
            spans = list(TOKEN_RE.finditer(folded_text))
        pieces, last, index = [], 0, 0
        starts = self.starts
        for at in [at for at, token in enumerate(folded) if token in starts or "_" in token]:
            if at < index:
                continue  # inside the name found before
            index = at
            listed = bool(pieces) and bool(_LISTED.fullmatch(text, last, spans[index].start()))  # "Thanks X and Y"
            hit = self._match(text, spans, folded, index, listed, everywhere) if folded[index] in starts else None
            if hit is None and "_" in folded[index]:
                hit = self._underscored(folded[index])
            if hit is None:
                continue
            count, user_id, certifiable = hit[:3]
            start, end = spans[index].start(), spans[index + count - 1].end()
            if len(hit) > 3:  # a handle inside a longer run of handle characters (wangxm_tony_2023)
                start, end = start + hit[3][0], start + hit[3][1]
                named = user_id if _certified(text, start, certifiable, guessed) else None
                pieces += [text[last:start], label(None if user_id is _AMBIGUOUS else named)]
                last, index = end, index + 1
                continue
            if stands_for_something_else(text, start, end, "".join(folded[index:index + count]), count,
                                         first_tokens=starts, surnames=PINYIN_SURNAMES, cue_before=_CUE_BEFORE,
                                         cue_after=_CUE_AFTER):
                index += count  # Emily Weiss, max 3 actives, 质地糖糖的, 我家狗叫阿花, 琪琪格: no name starts inside
                continue
            start, end = _with_surname(text, start, end, last)  # 孙晓雯, Xiaowen.sun: the surname goes too
            if user_id in self.decorations:  # "Kiki🌸": the emoji of the name go with it
                start, end = self._decorated(user_id, text, start, end) or (start, end)
                start = max(start, last)  # an emoji the name before took stays taken
            certified = _certified(text, start, certifiable, guessed)  # @🍑桃子, @孙晓雯: the @ before it all
            pieces += [text[last:start], label(None if user_id is _AMBIGUOUS or not certified else user_id)]
            last, index = end, index + count
        return "".join(pieces) + text[last:] if pieces else text

    def _match(self, text: str, spans: list, folded: list[str], index: int, listed: bool = False,
               everywhere: bool = False) -> tuple[int, object, bool] | None:
        """The longest name starting at token ``index``: (token count, member, whether an @ right before it makes it
        an @mention: not for initials, ``_certified``), or None. ``listed``: the name before it, with
        "and" or a comma between, was a member's ("Thanks Sunny and 晴天"); ``everywhere``: a work's title or a
        quality (静静的书桌) is the name too (``replace_everywhere``)."""
        start = spans[index].start()
        after_at = start > 0 and text[start - 1] in _AT
        sound_listed, listed = listed, listed or everywhere  # a name written by its sounds needs a real list
        known = self._known if self._known is not None else self._all_keys()
        for count in self.starts[folded[index]]:
            end = index + count
            if end > len(spans):
                continue
            key = _SEP.join(folded[index:end])
            if key not in known:
                continue  # most runs that start like a name are none (小 of 小时候)
            if not _contiguous(text, spans, index, end) or _part_of_address(text, spans[end - 1].end()):
                continue
            stop = spans[end - 1].end()
            if count > 1 and len(folded[end - 1]) == 1 and text[spans[end - 1].start() - 1] in "'’":
                continue  # Gabi's: a possessive, not Gabi S.
            if after_at and key in self.mention:
                return count, self.mention[key], True
            if CJK_RE.match(key) and (_inside_word(text, start, stop) or not everywhere and (
                    (names_a_work_or_quality(text, start, stop, key.replace(_SEP, ""))
                     or count == 2 and _edge_crossed(text, start, stop) and not _subject(text, start, stop)
                     or self._phrase_title(text, start, stop))
                    and not _CUE_BEFORE.search(text[max(0, start - 8):start]))):
                continue  # 小红 in 小红书, 高峰 in 高峰期; 《小星星》, 暖暖的阳光; 北北 of 河北|北方; 《小兔子乖乖》
            if count == 1 and not CJK_RE.match(key) and names_a_thing(text, start, stop, key):
                continue  # a compound's first half or a product's name: Li-ion, Max strength, Ruby Woo, in May
            lower_word = count == 1 and text[start:stop].islower() and _english_word(key)
            if key in self.anycase:
                if (not lower_word or _used_as_name(text, start, stop, RARE)
                        or self._decorated(self.anycase[key], text, start, stop)):
                    return count, self.anycase[key], True
                continue
            for table in (self.wordlike, self.parts, self.derived):
                if key in table:
                    user_id, kind = table[key]
                    if table is self.derived and (key in self.parts or key in self.wordlike):
                        continue
                    if table is self.derived and count == 1 and model_before(text, start):
                        continue  # Max of Maximilian in "iPhone 15 Pro Max"
                    if table is self.derived and CJK_RE.match(key) and not (
                            (_pet_form(key) or kin_form(key.replace(_SEP, ""))) and not _noun_after(text, stop)):
                        kind = ORDINARY  # 老周, 桃桃乌龙茶: built from common characters, a name where used as one
                        if user_id is not _AMBIGUOUS and _surname_pet(key, text, stop):
                            kind = RARE  # 小徐, 老陈 of the one member so called: a name wherever it stands
                    if self._decorated(user_id, text, start, stop):
                        return count, user_id, True
                    if (kind == RARE and not lower_word) or listed or _used_as_name(text, start, stop, kind):
                        return count, user_id, True
            if key in self.nicknames and not (key in self.parts or key in self.wordlike or key in self.derived):
                user_id, kind, core_start, core_length = self.nicknames[key]
                core_to = spans[index + core_start + core_length - 1].end()
                if kind == RARE and core_length < count and _everyday_word(key):
                    kind = ORDINARY  # 草莓酱 of 草莓: jam, a name only where the sentence uses it as one
                if not (core_length < count and _crossed_by_word(text, start, core_to, stop)) and (
                        kind == RARE or listed or _used_as_name(text, start, stop, kind)
                        or self._decorated(user_id, text, start, stop)):
                    return count, user_id, True
            if key in self.titled:  # 王姐, 陈老师: a title after a surname names a person, unless the title
                user_id, surname_length = self.titled[key]  # begins a longer word (王总监, 李老师傅)
                if not _inside_word(text, spans[index + surname_length].start(), stop):
                    return count, user_id, True
            if count == 1 and key in self.singles and _person_context(text, start, stop):
                return 1, self.singles[key], True
            if count == 1 and key in self.initials and _initials_named(text, start, stop, after_at):
                return 1, self.initials[key], False  # 同意LW的观点: whose initials, even after an @, is a guess
        return self._sounded(text, spans, folded, index, sound_listed) if folded[index] in self.sounds else None

    def _phrase_title(self, text: str, start: int, stop: int) -> bool:
        """Whether text[start:stop] stands inside a title in 《》 that is a phrase name whole (兔子乖乖 in
        《小兔子乖乖》): the work, and no piece of it a name."""
        opening, closing = text.rfind("《", max(0, start - 8), start), text.find("》", stop, stop + 8)
        if opening < 0 or closing < 0:
            return False
        title = [fold(token) for token in TOKEN_RE.findall(text[opening + 1:closing])]
        return _SEP.join(token for token in title if token) in self.phrases

    def _add_sounds(self, given: str, user_id: int) -> None:
        """The Chinese forms of an English given name (贝拉, 贝贝 of Bella: ``transliteration``)."""
        found = patterns(given)
        first, last = pet_patterns(found)
        usual = conventional(given)
        for rank, group in ((3, usual), (2, [pattern for pattern in found if pattern not in usual]), (1, first),
                            (0, last)):
            for pattern in group:
                for char in pattern[0]:
                    if (char, pattern, user_id, rank) not in self._sounds_added:  # a set: thousands of members
                        self._sounds_added.add((char, pattern, user_id, rank))
                        self.sounds.setdefault(char, []).append((pattern, user_id, rank))
                        self._sound_pairs.pop(char, None)
                        self._fits.clear()
                        self._start([char] * len(pattern))

    def _sound_candidates(self, first: str, second: str) -> list[tuple[int, list]]:
        """The patterns of ``sounds[first]`` that may stand at a run whose second character is ``second``, by
        length, longest first: a long export looks up the same characters millions of times, and most runs that
        start like a name's sound go on like none (可 is the first sound of hundreds of names)."""
        pairs = self._sound_pairs.get(first)
        if pairs is None:
            grouped: dict[str, dict[int, list]] = {}
            for candidate in self.sounds[first]:
                for char in candidate[0][1]:
                    grouped.setdefault(char, {}).setdefault(len(candidate[0]), []).append(candidate)
            pairs = self._sound_pairs[first] = {char: sorted(by_length.items(), reverse=True)
                                                for char, by_length in grouped.items()}
        return pairs.get(second, ())

    def _sounded(self, text: str, spans: list, folded: list[str], index: int,
                 listed: bool = False) -> tuple[int, object, bool] | None:
        """The longest run of characters from ``index`` that writes a member's English name (``transliteration``):
        a rare one wherever it stands, an ordinary one (可可) where the sentence uses it as a name; not inside a
        longer word (可可粉), not the start of a longer name or a brand (杰西卡, 安娜苏) nor a product's name
        (露娜洁面仪)."""
        if index + 1 >= len(folded):
            return None  # every pattern is two characters long at least
        for count, candidates in self._sound_candidates(folded[index], folded[index + 1]):
            end = index + count
            if end > len(spans) or not all(CJK_RE.fullmatch(token) for token in folded[index:end]):
                continue
            if any(spans[at].end() != spans[at + 1].start() for at in range(index, end - 1)):
                continue
            run = "".join(folded[index:end])
            fitted = self._fitted(run, candidates)
            if fitted is None:
                continue
            best, owners = fitted
            start, stop = spans[index].start(), spans[end - 1].end()
            if (holds_a_name(run) or _inside_word(text, start, stop) or _longer_name(text, start, stop)
                    or product_after_sound(text, stop) or _noun_after(text, stop) and not _PERSON_AFTER.match(text, stop)
                    or foreign_name_after(text, stop)):
                continue  # 黛西视频了 is a person's doing, not a thing's name; 汤姆克鲁斯 is another person
            rare = sound_kind(run, pet=best < 2) == RARE and not _edge_crossed(text, start, stop)
            if rare or listed or _used_as_name(text, start, stop, ORDINARY):
                return count, next(iter(owners)) if len(owners) == 1 else _AMBIGUOUS, True
        return None

    def _fitted(self, run: str, candidates: list) -> tuple[int, frozenset] | None:
        """The best rank of the patterns among ``candidates`` (those of the run's first two characters and length)
        that the run fits, and the members whose patterns of that rank it fits; None when it fits none. Remembered
        (for a bounded number of runs): the same words come back in post after post."""
        if run in self._fits:
            return self._fits[run]
        fitting = [(rank, user_id) for pattern, user_id, rank in candidates if fits(pattern, run)]
        fitted = None
        if fitting:
            best = max(rank for rank, _user in fitting)  # 琪琪 is Kiki's name before Rachel's last syllable doubled
            fitted = best, frozenset(user_id for rank, user_id in fitting if rank == best)
        if len(self._fits) >= 65536:  # constant memory however many posts an export holds
            self._fits.clear()
        self._fits[run] = fitted
        return fitted

    def _underscored(self, token: str) -> tuple | None:
        """A name joined to a surname by an underscore (xiaowen_sun, sun_xiaowen): (1, member, True), or a member's
        handle written inside a longer run of handle characters, delimited by underscores (wangxm_tony_2023):
        (1, member, True, (where it starts and ends in the token)), or None."""
        pieces = token.split("_")
        if len(pieces) > 2:
            return self._handle_inside(pieces)
        if len(pieces) != 2:
            return None
        for name, surname in (pieces, pieces[::-1]):
            if surname in PINYIN_SURNAMES:
                for table in (self.anycase, self.parts, self.derived):
                    found = table.get(name)
                    if found is not None:
                        user_id = found if table is self.anycase else found[0]
                        return 1, user_id, True
        return None

    def _handle_inside(self, pieces: list[str]) -> tuple | None:
        """The longest member's handle (a whole name or username with an underscore in it) made of consecutive
        pieces of a token split at its underscores."""
        for size in range(len(pieces) - 1, 1, -1):
            for first in range(len(pieces) - size + 1):
                key = "_".join(pieces[first:first + size])
                found = self.anycase.get(key)
                found = found if found is not None else (self.derived.get(key) or (None,))[0]
                if found is not None:
                    begin = sum(len(piece) + 1 for piece in pieces[:first])
                    return 1, found, True, (begin, begin + len(key))
        return None

    def _replace_emails(self, text: str, label: Callable[[int], str]) -> str:
        found = {match.group().lower() for match in EMAIL_RE.finditer(text)}
        if unknown := [email for email in found if email not in self._emails]:
            owners = dict(db.session.execute(sa.select(User.email, User.id).where(User.email.in_(unknown))).all())
            self._emails.update({email: owners.get(email) for email in unknown})
        # [member], not the pseudonym: whoever knows a member's email would otherwise learn their pseudonym.
        return EMAIL_RE.sub(lambda m: m.group() if self._emails.get(m.group().lower()) is None else label(None), text)


# A signature at the end of a post: a dash or a tilde after a space, a line break or punctuation, or "by" starting
# a line or after a sentence's end or Chinese ("以上是我的经验 by 糖糖"; "recommended by Coco" is a sentence), then a
# short name (up to 24 characters on one line) and nothing else.
# After the name may come a sign-off word (敬上), a date or an aside in brackets ("—— 蜜桃 敬上", "—— 蜜桃 2024.6",
# "—— 蜜桃（油皮一枚）").
_SIGNATURE_NAME = (r"\s*(?P<name>[^\n。！？.!?，,:：;；]{1,24}?)(?:\s*(?:敬上|谨上|留)|\s+\d{2,4}(?:[./-]\d{1,2}){0,2}"
                   r"|\s*[（(][^）)\n]{1,12}[）)])?\s*\Z")
_SIGNED_AS = re.compile(r"\A(?:你们的|大家的|你的|(?i:your|ur|yours,?)\s+)")
_SIGNATURE_TAIL = 32
_SIGNATURE_MARK = re.compile(r"[—–~～\n-]|－－|[bB][yY]")
_SIGNATURE = re.compile(r"(?:\A|(?<=[\s。！？.!?，,~]))(?:——|--|—|－－|–|-|~|～)" + _SIGNATURE_NAME)
# A name alone on the post's last line ("Cheers,\nGrace", "今天的分享就到这里\n可可"), not an answer after a colon.
_LIST_ITEM_LINE = 6  # a line before it this short and unpunctuated makes the last line a list's last item


def _line_signature(text: str, tail: int) -> re.Match | None:
    """A name alone on the last line, after a line that ends a message rather than lists things (牛奶\n可可)."""
    found = _LINE_SIGNATURE.search(text, tail)
    if found is None:
        return None
    previous = text[:found.start()].rstrip("\n").rsplit("\n", 1)[-1].strip()
    return found if len(previous) > _LIST_ITEM_LINE or previous[-1:] in ",，!！.。~～…" else None


_LINE_SIGNATURE = re.compile(r"(?<=\n)(?<![:：]\n)[^\S\n]*(?P<name>[^\n。！？.!?，,:：;；]{1,24}?)\s*\Z")
_BY_SIGNATURE = re.compile(r"(?:(?<=\n)|(?<=[。！？.!?~])\s*|(?<=[\u4e00-\u9fff，,])\s)(?i:by)(?:\s|(?=[\u4e00-\u9fff]))"
                           + _SIGNATURE_NAME)
# A self-introduction: "叫我小雪就行", "喊我雪儿", "call me Luke", "I'm Luke", "I go by Luke", then the name.
_SELF_INTRO_CUE = re.compile(r"叫我|喊我|我是|(?i:call me|\bi['’]m|\bi am|\bi go by)")
_SELF_INTRO = re.compile(r"(?P<cue>(?:叫我|喊我|我是)\s*|(?i:\b(?:call me|i['’]m|i am|i go by))\s+)"
                         r"(?P<name>[\u3400-\u4dbf\u4e00-\u9fff]{2,8}|[A-Za-z][\w'’-]*)")


# Lower-case words no dictionary entry of common_word holds but English uses every day ("max 3 actives").
_EVERYDAY_LATIN = frozenset(("max", "min"))


def _english_word(key: str) -> bool:
    """A Latin word in common use, its plural too ("babbling brooks"): in lower case a word, not a name."""
    return common_word(key) or key in _EVERYDAY_LATIN or (len(key) > 4 and key.endswith("s") and common_word(key[:-1]))


# English given names that are words, and the Chinese they are called by in the community (a translation, or the
# usual name written in characters where the syllable table gives another).
CHINESE_FORMS = {"cherry": ("车厘子",), "amber": ("安柏",), "lemon": ("柠檬",), "peach": ("蜜桃",), "coco": ("可可",)}


def spaced_words(handle: str) -> list[list[str]]:
    """A handle of two to four English words run together (daydayup) as its words written spaced ([day, day, up]):
    the one split into the fewest words, each a word of two letters or more (or "a", "i", "up")."""
    if not handle.isalpha() or not handle.isascii() or not 6 <= len(handle) <= 24:
        return []
    best: dict[int, list[str]] = {0: []}
    for end in range(1, len(handle) + 1):
        for begin in range(max(0, end - 12), end):
            word = handle[begin:end]
            if begin in best and (len(word) >= 2 and is_english_word(word)) and (
                    end not in best or len(best[begin]) + 1 < len(best[end])):
                best[end] = best[begin] + [word]
    found = best.get(len(handle))
    return [found] if found is not None and 2 <= len(found) <= 4 else []


def _everyday_word(key: str) -> bool:
    """Whether a Chinese form is a word of jieba's dictionary that is no name (草莓酱)."""
    count, tag = chinese_words().get(key.replace(_SEP, ""), (0, ""))
    return count >= 3 and not tag.startswith("nr")


def _pet_form(key: str) -> bool:
    """A pet form of a Chinese name that is a name wherever it stands unless it is a word (雪雪, 阿伟, 大伟, 雪儿):
    a doubled character, 阿, 小 or 大 before one, 儿 after one."""
    key = key.replace(_SEP, "")
    return len(key) == 2 and (key[0] == key[1] or key[0] in "阿小大" and key[1] not in SURNAMES or key[1] == "儿")


def _derived_kind(form: list[str], lettered: list[list[str]], clipped: list[list[str]]) -> str:
    """The kind of a derived form: a username's letters by ``letters_kind``; a name cut short (Rach, Vero) and a
    diminutive that is an English word in common use (Nick, Kat: "the nick of time") ordinary, a name only where
    used as one; any other by ``kind_of``."""
    joined = "".join(form)
    if form in lettered:
        return letters_kind(joined)
    if form in clipped or (len(form) == 1 and not CJK_RE.match(joined) and common_word(joined)):
        return ORDINARY
    return kind_of(joined)


def _surname_pet(key: str, text: str, end: int) -> bool:
    """Whether a derived form is 小 or 老 before a one-character surname (小徐, 老陈) that is no common word (小米,
    小白, 老白) and whose surname does not begin a word with what follows it (小刘海, 小陈列柜, 老陈醋)."""
    key = key.replace(_SEP, "")
    if len(key) != 2 or key[0] not in "小老" or key[1] not in SURNAMES or kind_of(key) != RARE:
        return False
    if key in _EVERYDAY_SURNAME_FORMS:
        return False  # 小白一枚, 护肤小白: a newbie, not 白雪
    window = fold_text(text[end - 1:end + 3]) or text[end - 1:end + 3]
    words = chinese_words()
    return not any(words.get(window[:right], (0, ""))[0] >= 3 for right in range(2, len(window) + 1))


# Surname forms that are everyday words the dictionary lacks (小白 "newbie", 小黑 "a tanned one", 小强 "a cockroach"):
# a name only where the sentence uses them as one.
_EVERYDAY_SURNAME_FORMS = frozenset(("小白", "小黑", "小强"))


def _noun_after(text: str, end: int) -> bool:
    """Whether a common noun of jieba's dictionary (not a title: 老师, 姐姐) follows at text[end]: a pet form
    before it names a thing (桃桃乌龙茶), unless the sentence uses it as a name."""
    if end + 1 < len(text) and text[end] == text[end + 1]:
        return True  # 雪雪白白: the first half of a doubled pair of words
    words = chinese_words()
    for right in range(end + 2, min(len(text), end + 4) + 1):
        word = text[end:right]
        count, tag = words.get(word, (0, ""))  # jieba tags some drinks as names (乌龙茶 nr): a longer one counts
        if count >= 20 and tag.startswith("n") and (len(word) > 2 or not tag.startswith("nr")) and word not in TITLES:
            return True
    return False


# A romanised surname joined to a name: by . _ - ("Xiaowen.sun", "sun.xiaowen") or by a space when written with a
# capital ("Jenny Wang").
_SURNAME_AFTER = re.compile(r"(?P<sep>[._-]| )(?P<surname>[A-Za-z]+)(?![\w])")
_SURNAME_BEFORE = re.compile(r"(?<![\w.@-])(?P<surname>[A-Za-z]+)(?P<sep>[._-]| )\Z")


def _latin_surname(match: re.Match | None, text: str, after: int) -> bool:
    """Whether a matched neighbour of a name is a romanised surname that belongs to it."""
    if match is None or (surname := match.group("surname")).casefold() not in PINYIN_SURNAMES:
        return False
    if match.group("sep") != " ":
        return True
    return surname[:1].isupper() and (kind_of(surname.casefold()) == RARE or bool(_CUE_AFTER.match(text, after)))


def _with_surname(text: str, start: int, end: int, taken: int) -> tuple[int, int]:
    """A name's span with the surname written beside it (孙晓雯, As Xiaowen.sun said, sun.xiaowen, Jenny Wang)."""
    if CJK_RE.match(text, start):
        return max(surname_before(text, start), taken), end
    if start == end or not text[start].isascii():
        return start, end
    after = _SURNAME_AFTER.match(text, end)
    if _latin_surname(after, text, after.end() if after else end):
        end = after.end()
    before = _SURNAME_BEFORE.search(text, max(taken, start - 24), start)
    if _latin_surname(before, text, end):
        start = before.start()
    return start, end


def _plain(symbols: str) -> str:
    """Emoji without their variation selectors and joiners, to compare how two texts write them."""
    return symbols.replace("\ufe0f", "").replace("\u200d", "")


def _inside_word(text: str, start: int, end: int) -> bool:
    """Whether a longer dictionary word covers the Chinese match text[start:end] (``name_parts.covered_by_word``)."""
    left = max(0, start - 3)
    window = text[left:end + 3]
    folded = fold_text(window)
    return covered_by_word(folded if folded is not None else window, start - left, end - left)


def _longer_name(text: str, start: int, end: int) -> bool:
    """Whether the characters at text[start:end] are part of a longer name or word of jieba's dictionary, whatever
    its part of speech (杰西卡 of 杰西, 伊拉克 of 拉克, 安娜苏 the brand of 安娜), or of a brand newer than it; a
    Chinese personal name that starts before them is not (和丽丽 is jieba's guess at 和 and 丽丽)."""
    words = chinese_words()
    left = max(0, start - 3)
    window = fold_text(text[left:end + 3]) or text[left:end + 3]
    start, end = start - left, end - left
    for low in range(start + 1):
        for high in range(end, len(window) + 1):
            if high - low <= end - start or high - low > 6:
                continue
            if low == start and set(window[end:high]) <= _PARTICLES:
                continue  # 安娜的, 贝拉说: the name and a particle
            word = window[low:high]
            count, tag = words.get(word, (0, ""))
            if holds_a_name(word) or count >= 3 and (low == start or tag != "nr"):
                return True  # a Chinese name that starts before it is jieba's guess (和丽丽), a foreign one no guess
    return False


_PARTICLES = frozenset("的地得了着过说们")


def _edge_crossed(text: str, start: int, end: int) -> bool:
    """Whether an everyday word of jieba's dictionary (20 occurrences or more, no name) runs into text[start:end]
    from before it or out of it after it: characters that fit a name by chance across words (意外以, 世界征) are
    a name only where the sentence uses them as one."""
    words = chinese_words()
    left = max(0, start - 3)
    window = fold_text(text[left:end + 3]) or text[left:end + 3]
    start, end = start - left, end - left
    for low in range(end):
        for high in range(low + 2, min(len(window), low + 4) + 1):
            crosses = low < start < high <= end or start <= low < end < high
            if crosses and not (low >= start and _PARTICLES.issuperset(window[end:high])):  # 静静|的
                count, tag = words.get(window[low:high], (0, ""))
                if count >= 20 and not tag.startswith("nr"):
                    return not _cut_apart(window, start, end)
    return False


def _cut_apart(window: str, start: int, end: int) -> bool:
    """Whether jieba's cut of the window starts and ends a word where window[start:end] starts and ends: the everyday
    word that runs into it loses to another reading (昨天|马克斯, 楼上|海伦, 昨天|虎|哥: not 天马, 上海, 天虎)."""
    import jieba

    edges, at = set(), 0
    for word in jieba.lcut(window, HMM=False):
        at += len(word)
        edges.add(at)
    return (start == 0 or start in edges) and end in edges


def _crossed_by_word(text: str, start: int, core_end: int, stop: int) -> bool:
    """Whether a dictionary word runs into a nickname text[start:stop] from before it and ends inside its core
    (一点点姐), or starts in its suffix and runs out of it (点点姐妹)."""
    folded = fold_text(text) or text
    crossed = (word_spanning(folded, range(max(0, start - 3), start), range(start + 1, core_end + 1))
               or word_spanning(folded, range(core_end, stop), range(stop + 1, min(len(text), stop + 3) + 1)))
    left = max(0, start - 3)
    return crossed and not _cut_apart(folded[left:stop + 3], start - left, stop - left)  # 昨天|虎哥, not 天虎


def _initials_named(text: str, start: int, end: int, after_at: bool) -> bool:
    """Whether capitals that are a member's initials stand where the sentence names a person (after an @, a cue
    before or after it, or called at the start of a line: "同意LW的观点", "ZW上次说的", "WXM，你…"); never a
    brand's or a unit's code (SK-II, YSL, CPB, SPF, ML)."""
    word = text[start:end]
    if brand_code(word.casefold()) or text[end:end + 1] == "-" or (start and text[start - 1] == "-"):
        return False
    if after_at:
        return True
    if not word.isupper() and not _CUE_AFTER.match(text, end, end + 8):
        return False
    return _person_context(text, start, end) or bool(_PERSON_AFTER.match(text, end)) or (
        _LINE_LEAD.fullmatch(text[max(0, start - 24):start].rsplit("\n", 1)[-1]) is not None
        and bool(_VOCATIVE.match(text, end)))


def _person_context(text: str, start: int, end: int) -> bool:
    """A Chinese character that stands where the sentence needs a person (name_parts: one character)."""
    if _CUE_BEFORE.search(text[max(0, start - 12):start]) or _CUE_AFTER.match(text, end, end + 8):
        return True
    line = text[max(0, start - 24):start].rsplit("\n", 1)[-1]  # "**芳**:" heading a quote
    if _LINE_LEAD.fullmatch(line) and (_GREETING_AFTER.match(text, end) or _SUBJECT_AFTER.match(text, end)):
        return True  # "橙 早安！", "糖今天直播讲防晒了": a line that starts with the person
    return bool(_HEADING_COLON.match(text, end, end + 5) and _LINE_LEAD.fullmatch(line))


def _subject(text: str, start: int, end: int) -> bool:
    """Whether Chinese characters start their sentence before what a person did ("北北上次推荐的", "笑笑说过")."""
    return bool(_SUBJECT_AFTER.match(text, end)) and bool(_SENTENCE_END.search(text, max(0, start - 24), start))


def _verb_after_pronoun(text: str, start: int, end: int) -> bool:
    """Whether a doubled verb follows a pronoun ("她冲我笑笑说没事"): someone's doing, not a name."""
    word = text[start:end]
    return (start > 0 and text[start - 1] in _PRONOUNS and len(word) == 2 and word[0] == word[1]
            and chinese_words().get(word, (0, ""))[1] == "v")


_PRONOUNS = frozenset("我你他她它们")
# A line that signs a post: a dash or a tilde, then the name ending its line ("—— 芋泥\n#空瓶记").
_SIGNING_LEAD = re.compile(r"(?:\A|\n)[^\S\n]*(?:——|--|—|–|~|～)[^\S\n]*\Z")


def _used_as_name(text: str, start: int, end: int, kind: str) -> bool:
    """Whether a short or ordinary word at text[start:end] stands as a name here (see name_parts)."""
    before = text[max(0, start - 24):start]
    if before.endswith("像") and _LIKENESS.match(text, end):
        return False  # 像橙子一样: a likeness, not a person
    if CJK_RE.match(text, start) and _verb_after_pronoun(text, start, end):
        return False  # 冲我笑笑说: a smile, not 笑笑
    if _LINE_END.match(text, end) and _SIGNING_LEAD.search(before):
        return True  # a signing line is a person's
    if _CUE_BEFORE.search(before) or _CUE_AFTER.match(text, end, end + 16) or _PERSON_AFTER.match(text, end):
        return True
    if _GREETED_BEFORE.search(before) and (CJK_RE.match(text, start) or text[start].isupper()):
        return True
    if _called_round13(text, before, start, end):
        return True
    if _BECAUSE_BEFORE.search(before) and _LINE_END.match(text, end) or (
            _LISTEN_TO.search(before) and _LISTEN_AFTER.match(text, end)):
        return True  # "还是因为栗子", "听老王的，先做皮试"
    line = before.rsplit("\n", 1)[-1]
    at_line_start = _LINE_LEAD.fullmatch(line) and (len(line) < len(before) or start < 24)
    if at_line_start and (_LINE_COLON.match(text, end, end + 3) or _VOCATIVE.match(text, end)):
        return True  # "Will: agreed"; "熊猫，你那个链接还有吗", "Kat, did you try it?"
    if called_at_end(text, start, end):
        return True  # "Good point, Rachel.", "谢谢分享，可可"
    word = _INVISIBLE_RE.sub("", text[start:end])
    if not CJK_RE.match(word) and word.islower() and _SENTENCE_END.search(before) and _PERSON_VERB.match(text, end):
        return True  # "grace knows best": a name written in lower case at the start, before what a person does
    if not CJK_RE.match(word) and closes_line_of_words(text, start, end):
        return True  # "that's so true rach": no English word, ending a line of words
    if CJK_RE.match(word) and _subject(text, start, end):
        return True  # "晴天今天终于分享了…", "老王又来安利了": the subject of what a person does
    if CJK_RE.match(word) or not word[:1].isupper():
        return False
    if called_in_chinese(text, start, end):
        return True  # "Vivi也买了同款"
    if thing_beside(text, start, end):
        return False  # the Rose collection, the Ming dynasty, Li-ion, iPhone 15 Pro Max
    if kind == SHORT:
        return True
    if _SENTENCE_END.search(before):
        return bool(_PERSON_VERB.match(text, end))  # "Joy is right", "Ming told me"
    return kind == ORDINARY and not (word.isupper() and _shouting(text, start, end))


def _called_round13(text: str, before: str, start: int, end: int) -> bool:
    """Where a sentence calls a person (round 13): a greeting after a name opening its line ("小马早呀"), "求X同款",
    "多亏了X提醒"."""
    line = before.rsplit("\n", 1)[-1]
    if _LINE_LEAD.fullmatch(line) and (len(line) < len(before) or start < 24) and _MORNING_AFTER.match(text, end):
        return True
    if _ASKED_BEFORE.search(before) and _SAME_AFTER.match(text, end):
        return True
    return bool(_BECAUSE_BEFORE.search(before) and _OWED_AFTER.match(text, end))


def _shouting(text: str, start: int, end: int) -> bool:
    """Whether a word in capitals stands among words in capitals ("I WILL BUY IT"), not among lower-case ones."""
    before, after = _LATIN_WORD.findall(text[max(0, start - 24):start]), _LATIN_WORD.findall(text[end:end + 24])
    neighbours = before[-1:] + after[:1]
    return not neighbours or any(word.isupper() for word in neighbours)


def _contiguous(text: str, spans: list, start: int, end: int) -> bool:
    """Whether tokens start..end-1 stand together like the words of one name (a space, a hyphen or an emoji
    between)."""
    for left, right in zip(spans[start:end - 1], spans[start + 1:end]):
        gap = text[left.end():right.start()]
        if (len(gap) > _MAX_GAP or not _JOINERS.issuperset(gap)) and not _DECORATION.fullmatch(gap.strip()):
            return False  # a space or hyphen joins a name's words, and so does an emoji in it (Coco🐱Lin)
    return True


def _certified(text: str, start: int, certifiable: object, guessed: bool) -> bool:
    """Whether a name found at ``start`` may carry its member's pseudonym: only where the product's own syntax says
    whom it names, an @mention (@可可, not initials: @WXM); a name anywhere else in the text is found by the names
    book's guess, however sure, and a wrong guess must link nobody. Without ``guessed`` (who is named:
    ``members_in``) every name is its member's."""
    return not guessed or bool(certifiable) and start > 0 and text[start - 1] in _AT


def _part_of_address(text: str, end: int) -> bool:
    """A name followed by @ and more is the start of an email or a handle ("emily@…"), not the name."""
    return text[end:end + 1] in _AT and bool(TOKEN_RE.match(text, end + 1))


def load_member_names() -> MemberNames:
    """Every member's current display name and real name (the profile's, which members also write out: "我是吴佩玲",
    "引用 周建伟 的话"), then their former names (renamed or erased, and any they posted under), their emails' local
    parts, and who withdrew."""
    names = MemberNames()
    for user_id, name, real_name, withdrawn_at in db.session.execute(
            sa.select(User.id, User.display_name, User.real_name, User.consent_withdrawn_at).order_by(User.id)):
        names.add(user_id, name)
        if real_name and real_name.strip():
            names.add(user_id, real_name.strip())
        if withdrawn_at is not None:
            names.withdrawn.add(user_id)
    for model, author in ((Post, Post.author_id), (TaskSubmission, TaskSubmission.user_id),
                          (CompetitionEntry, CompetitionEntry.user_id)):
        older = (sa.select(author, model.author_name).distinct().join(User, User.id == author)
                 .where(model.author_name != User.display_name))
        for user_id, name in db.session.execute(older):
            names.add(user_id, name)
    for user_id, name in db.session.execute(sa.select(FormerName.user_id, FormerName.name)):  # renamed or erased
        names.add(user_id, name)
    for user_id, email in db.session.execute(sa.select(User.id, User.email).order_by(User.id)):
        names.add_email(user_id, email)  # naicha3 of naicha3@qq.com, weaker than every display name
    return names

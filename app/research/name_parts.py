"""How members' names are compared in free text, and which parts of a name can stand for the member alone.

**Folding.** Text and names are compared after one character-for-character fold (so positions in the folded text are
positions in the text): full-width forms as ASCII, accented Latin letters as their base letter (Zoë, Zoe), Cyrillic and Greek letters that look like Latin ones (Unicode TR39
confusables) as those Latin letters, traditional Chinese characters as simplified ones (OpenCC), then lower case.
Invisible characters (zero-width space, joiners, soft hyphen) are kept in the text but count as part of the word they
stand in and are dropped from its key: ``Em\u200bily``, ``Еmily`` (Cyrillic Е), ``ＥＭＩＬＹ`` and ``張偉`` all read as
``emily`` / ``张伟``.

**Parts.** A display name such as ``Zhang Wei 张伟`` or ``Emily Chen`` is found whole, and so is each of its parts:
every Latin word (``Zhang``, ``Wei``, ``Emily``, ``Chen``), every run of two or more Chinese characters (``张伟``),
and the given name of a Chinese name of three or four characters that starts with a common surname (``晓明`` of
``李晓明``); joined spellings of a name of several words (``EmilyChen``, ``emily_chen``, ``ChenEmily``) are whole names
too. A single Chinese character or a lone surname is never taken for a member outside an @mention.

**Ordinary words.** A part is one of three kinds, and the kind decides where it is taken for the member:

- *rare*: not a word of the language: replaced wherever it stands as a whole word, in any case (``emily``, ``CHEN``,
  ``大伟说``);
- *short*: one or two Latin letters that are not an English word (``Jo``, ``Li``, ``Wu``): replaced when written with a
  capital, or in any case where it is used as a name (below);
- *ordinary*: an English word in common use: a stop word, or a word of the web2 dictionary (``english-words``)
  with a Zipf frequency of 3.5 or more (``wordfreq``: ``Rose``, ``Ivy``, ``Jade``, ``Stone``, ``Park``), or 5.0 when
  it is first of all a given name (``May``, ``Will``, ``Mark``, not ``Mary``, ``Tom`` or ``Frank``), or 4.0 for a romanised Chinese
  surname (``Sun``, ``Tan``, not ``Wang`` or ``Lin``); or a Chinese word that jieba's dictionary lists as common
  (100 occurrences or more, or 20 or more when not tagged as a person's name: ``美丽``, ``建国``, ``文静``):
  replaced only where it is used as a name.

*Used as a name* means: right after an @; after a greeting, thanks, "by", "cc", 谢谢, 感谢, 你好, 引用 …; before
"said", "wrote", "asked", 说, 写道, 提到, 问, 觉得, 你 …, or before a colon at the start of a line ("Will: agreed"), or
called at the start of a line with a comma and what one says to a person after it ("熊猫，你那个链接…", "Kat, did
you…"); or, for a
Latin word, written with a capital inside a sentence (not as its first word, where every word has one), or in
capitals among words in lower case (not in a shouted "I WILL BUY IT"). So with a
member called Will, "I will ask Will" keeps the first "will" and "Will you come?" stays, and with a member called
Rose, "a rose toner" stays. What this costs (a capitalised "May" inside a sentence is taken for the member) is
measured in tests/research/test_member_names.py, with ordinary-word uses that must stay.

**Whole names.** A display name of three digits or more (1314), or of Chinese characters that are no common word
(于洋), is the member wherever it is written in full, except inside a longer word (below). A whole name that is a
common word (美丽, 高峰) keeps the ordinary-word rule, with the person's contexts of one character below too
("同意高峰的看法", "高峰你好").

**Everyday phrases** (``phrase_like``). A display name of common words (草莓味, 一只猫, 可乐加冰, 小兔子乖乖) or an
idiom (天天向上) that is no surname with one or two characters after it (王小明, 李娜) is still found whole wherever
it is written (and reads [member], as every name in text does), but a title in 《》 that is the phrase whole is the
work (《小兔子乖乖》), and no piece of it a name.

**Derived names** (``nicknames``). Members call each other by forms built from a name: for a Chinese name, the last
character of the given name doubled (明明, 芳芳) or after 小, 阿 (小明, 阿芳), the surname after 老 or 小 (老张), and
哥, 姐, 妹, 总 after the surname or the last given character (王哥, 伟哥, 芳姐); for an English first name, its
diminutives: a table of the usual ones (Daniel: Dan, Danny; Jennifer: Jen, Jenny…), the hand-curated table of the
``nicknames`` package (Chloe: Clo; Rebecca: Becca; shorter forms only, no common English word unless a name first)
and rules for the rest (a closing -ie or -y: Rosie and Rose, Mark and Marky; a doubled short name: Jojo); and its
clippings (``english_clippings``: Rach, Kath, Vero, Hanni, Gabby), names only where used as one. An English first
name is also found written in Chinese characters (``transliteration``: 贝拉 of Bella); the surname of a Chinese name
after 小 or 老 (小徐, 老陈) is the member wherever it stands when one member has it (and it is no word: 小米, 小白; nor
runs into one: 小刘海, 老陈醋). A username (anna_k, lily88) gives
its letters (anna, Anna K); a word written with a hyphen or an apostrophe gives its joined spelling (Meiling for
Mei-Ling, OBrien for O'Brien). A derived form is weaker than any real name or part: it counts only when no member
has it as a name or a part; an English one by the kind of word it is, like a part, a Chinese one only where it is
used as a name (it is built from common characters: 桃桃乌龙茶 stays).

Pet forms (a doubled character, 阿, 小 or 大 before one, 儿 after one: 雪雪, 阿伟, 大伟, 雪儿 of 黄小雪 and 张伟) are
names wherever they stand unless they are a common word (小雪, 大雪) or a common noun follows them (桃桃乌龙茶); a
compound surname before one given character is a surname too (司马晴: 司马老师, 晴晴).

**Display names that are no personal name** (橙子酱, 糖糖不吃糖, 一只小胖纸, 小雨点点, 伟仔, 雪儿) give nicknames
of their own (``display_nicknames``): the name without its wrapping (一只, 小, 阿 before; 酱, 仔, 儿, 宝 after), its
first two characters, the content words jieba cuts it into (not 不吃 or 一只: grammar words are no name), a
reduplication written in it (糖糖, 点点), each of them with 姐, 哥, 妹, 酱, 宝, 老师 after it or 小, 阿, 老 before a rare
one, and a one-character core doubled or with 子 (雪雪, 雪子); their pinyin joined (tangtang). The word pieces come from jieba's search cut too (大白 and 白兔 of 大白兔), with 阿 or
小 joined to one character after it (阿宝 of 熊猫阿宝); the last character of each content word and of the name is
doubled (夏夏 of 半夏微凉, 菇菇 of 小蘑菇, 猫猫 of 爱吃鱼的猫: the name's own last character wins a form two names
give); a name ending in 妈咪 or 妈 gives 豆妈 and 豆豆妈 (豆豆妈咪); a verb piece takes a kinship suffix (续命姐).
The name's last character, alone or doubled, takes the kinship and pet endings members use (姐, 哥, 妈, 爸, 妹, 弟,
宝, 儿, 酱; 阿 and 小 before it: 花姐, 阿花, 花花姐 of 霸王花, 虎哥 of 胖虎, 嘟妈 and 嘟嘟妈 of 嘟嘟), not on a
wrapping (子 of 橙子酱); a form built on a core written in the name beats one built on another name's last character
(糖糖姐 of 糖糖不吃糖, not of 奶盖少糖). **The rule for everyday words:** when the display name itself is an everyday
word (大海, 星星: jieba lists it 100 times or more, not as a person's name), every form built on one of its characters
(海哥, 阿海) may be anyone's and is a name only where the sentence uses it as one ("海哥说", "谢谢海哥", "有道理，
海哥。"; not "公司的海哥人很好"); tiger mothers and stay-at-home fathers (虎妈, 奶爸) are everyday words whatever
the names.
**Own forms** (``own_forms``): where a member signs their own post or introduces themselves ("叫我小雪就行", "call
me Luke"), any run of two characters or more inside their name and any form built from it counts. Two characters cut
from a name are ordinary (a name only where used as one: 橙子, 奶盖, 点点); a built form is rare unless jieba lists it
(伟哥, 小雨), but not where a dictionary word runs into it or out of it (一点点姐妹). A member's email local part and
its letters are derived names too (naicha3, naicha; letters English uses at all, Zipf 2 or more, are ordinary:
mochi, beauty).

**Kinship and respect forms** (``kin_forms``, ``kin_form``): a Chinese personal name's last given character, that
character doubled, and a given name of two characters take ``KIN_WORDS`` after them (娜姐, 娜娜姐, 娜姐姐, 娜酱 of
李娜; 婷宝, 婷总 of 周婷婷; 思远哥, 思远老师, 远叔 of 王思远); a display name's last character and the last character
of each content word in it take them too (花姐, 花姨 of 山茶花开), and a name of 小 or 阿 and one character is a pet
name already, so its kinship forms are rare even when the name is an everyday word (鱼妈, 鱼宝 of 小鱼). Such a
form is a name wherever it stands unless it is an everyday word (宝妈, 虎妈) or a word runs into it.

**Titles.** A surname followed by a title (王姐, 陈老师, 张总, 欧阳老师; ``TITLES``) names a person wherever it stands,
unless the title begins a longer word (王总监, 周总结, 李姐妹): it is the member with that surname, or no member
known when several share it.

**Emoji.** A name that wears an emoji or symbol before or after its words ("Kiki🌸", "Mia✨", "🍑桃子") is the member
wherever the text writes that emoji beside the name (with one space between at most), even when its words are an
ordinary word (桃子); the emoji leaves with the name.

**One character.** A surname or a one-character given name alone (李, 伟, 芳 of 李伟芳…) is a name only in a
person's context: right after 谢谢, 感谢, 同意, 刚才, 跟, 和, 问, 回复, 引用 or an @, or right before 提到, 说, 的看法,
的推荐, 的帖子, 你好, 上次, 推荐, 发的 and their kin. That is the principle: a Chinese character stands for a
person only where the sentence needs a person there.

**Never inside a longer word.** A Chinese match is no name where a longer word of jieba's dictionary (not a
person's name) covers it: 小红 in 小红书 or 小红帽, 天 in 谢天谢地, 高峰 in 高峰期, 明明 in 明明白白. A Latin word that
the English dictionary has is a name in lower case only where it is used as a name ("jack up prices" stays for a
member called Jack). A capitalised ordinary word right before a product word (the Rose collection, the Ming
dynasty, Max strength) or joined by a hyphen to a lower-case word (Li-ion) is not the member either.

**Calendar words.** The 24 solar terms and the festivals (小满, 清明, 端午) are ordinary words whatever jieba says: a
member called 小满 is found where the sentence uses the word as a name, and "今天是小满" stays.

*Used as a name* also covers a capitalised word at the start of a sentence followed by a verb that says what a
person did or thinks ("Joy is right", "Ming told me", "Rose's favourite").
"""
from __future__ import annotations

import itertools
import re
import unicodedata
from functools import cache

from app.research.stopwords import stop_words
from app.text.words import english_dictionary

CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
INVISIBLE = "\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff"
_INVISIBLE_RE = re.compile(f"[{INVISIBLE}]")
# A Latin word (letters and digits, invisible characters inside it) or one CJK character.
TOKEN_RE = re.compile(rf"[{CJK}]|[^\W{CJK}](?:[^\W{CJK}]|[{INVISIBLE}])*")
CJK_RE = re.compile(f"[{CJK}]")
RARE, SHORT, ORDINARY = "rare", "short", "ordinary"

# English words of one or two letters (a name like "Jo" or "Li" is none of them).
_TWO_LETTER_WORDS = frozenset(
    ["a", "i", "ah", "am", "an", "as", "at", "aw", "be", "by", "do", "eh", "go", "ha", "he", "hi", "hm", "if", "in",
     "is", "it", "lo", "ma", "me", "mm", "my", "no", "of", "oh", "ok", "on", "or", "ow", "ox", "pa", "so", "to",
     "uh", "um", "up", "us", "we", "ya", "ye", "yo"])
# Common Chinese surnames, two-character ones first: what precedes the given name of a three- or four-character name.
_COMPOUND_SURNAMES = ("欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "慕容", "令狐", "尉迟", "公孙", "长孙", "夏侯", "端木",
                      "轩辕", "宇文", "澹台", "独孤", "南宫", "西门", "司徒", "申屠", "呼延")
_COMPOUND_SET = frozenset(_COMPOUND_SURNAMES)
_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石"
    "廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁"
    "岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾"
    "尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛"
    "仲虞敖巩明佘池查麻苑迟邝")
# Given names that are first of all names, though the dictionary has them as words too ("mary", "tom", "jack").
# Names that are words first (Rose, Grace, Hope, Ivy, Jade, Sunny) are not here.
_GIVEN_NAMES = frozenset(
    ["abby", "adam", "al", "alan", "albert", "alex", "alice", "amy", "andrew", "andy", "angela", "ann", "anna",
     "anne", "annie", "arthur", "barbara", "barry", "becky", "ben", "benjamin", "bert", "beth", "betty", "billy",
     "bobby", "bonnie", "brad", "brian", "bruce", "carl", "carol", "carrie", "cathy", "charlie", "chris", "cindy",
     "claire", "colin", "craig", "dan", "daniel", "danny", "dave", "david", "debbie", "dennis", "diana", "dick",
     "don", "donna", "doris", "dorothy", "doug", "ed", "eddie", "edward", "elaine", "ellen", "emma", "eric", "eva",
     "frank", "fred", "freddie", "gary", "george", "gerald", "gordon", "greg", "hank", "harold", "harry", "helen",
     "henry", "irene", "jack", "jackie", "james", "jane", "janet", "jason", "jean", "jeff", "jennifer", "jenny",
     "jerry", "jill", "jim", "jimmy", "joan", "joe", "joey", "john", "johnny", "jordan", "joseph", "judy", "julia",
     "julie", "karen", "kate", "katie", "kay", "keith", "kelly", "ken", "kenny", "kevin", "kim", "kyle", "larry",
     "laura", "lee", "leo", "lewis", "linda", "lisa", "louis", "lucy", "luke", "maggie", "marie", "martha", "martin",
     "mary", "matt", "max", "megan", "mel", "mike", "molly", "nancy", "ned", "nick", "nicole", "norman", "pam",
     "patrick", "paul", "peggy", "peter", "phil", "philip", "polly", "ralph", "randy", "ray", "rebecca", "richard",
     "rita", "rob", "robert", "robin", "roger", "ron", "ronald", "roy", "russell", "ruth", "sally", "sam", "sandra",
     "sandy", "sarah", "scott", "sean", "sharon", "steve", "stan", "sue", "susan", "ted", "terry", "tim", "timothy",
     "tina", "toby", "todd", "tom", "tommy", "tony", "tracy", "victor", "vincent", "walter", "wayne", "wendy",
     "willie"])
_PINYIN_SURNAMES = frozenset(
    ["wang", "li", "zhang", "liu", "chen", "yang", "huang", "zhao", "wu", "zhou", "xu", "sun", "ma", "zhu", "hu",
     "guo", "he", "lin", "luo", "gao", "zheng", "liang", "xie", "song", "tang", "han", "feng", "deng", "cao", "peng",
     "zeng", "xiao", "tian", "dong", "pan", "yuan", "cai", "jiang", "yu", "du", "ye", "cheng", "wei", "su", "lu",
     "ding", "ren", "shen", "yao", "cui", "zhong", "tan", "fang", "jin", "shi", "bai", "qin", "qiu", "hou", "long",
     "tao", "lei", "gu", "mao", "hao", "kong", "xiang", "kang", "niu", "yan", "qi", "qiao", "mo", "zhuang"])


@cache
def _fold_table() -> dict[int, str]:
    """One character for one: full-width forms, Latin look-alikes from Cyrillic and Greek, traditional characters."""
    import icu
    import opencc

    table = {code: chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)}
    table[0x3000] = " "
    for code in range(0xC0, 0x250):  # accented Latin letters as their base letter: Zoë, Zoe; Tomás, Tomas
        decomposed = unicodedata.normalize("NFD", chr(code))
        if len(decomposed) > 1 and decomposed[0].isascii() and decomposed[0].isalpha():
            table[code] = decomposed[0]
    checker = icu.SpoofChecker()
    latin = {}
    for letter in "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ":
        latin.setdefault((checker.getSkeleton(0, letter), letter.isupper()), letter)
    for code in [*range(0x370, 0x400), *range(0x400, 0x530)]:
        char = chr(code)
        if char.isalpha():
            skeleton = checker.getSkeleton(0, char)
            found = latin.get((skeleton, char.isupper())) or latin.get((skeleton, not char.isupper()))
            if found:
                table[code] = found
    to_simplified = opencc.OpenCC("t2s")
    for code in range(0x4E00, 0xA000):
        simplified = to_simplified.convert(chr(code))
        if len(simplified) == 1 and simplified != chr(code):
            table[code] = simplified
    return table


@cache
def _foldable() -> re.Pattern:
    """Characters the fold table changes (a search is cheaper than translating every text)."""
    return re.compile("[" + "".join(re.escape(chr(code)) for code in sorted(_fold_table())) + "]")


def fold_text(text: str) -> str | None:
    """The text folded character for character and lower-cased, or None when that changes its length."""
    if not text.isascii():
        if _foldable().search(text):
            text = text.translate(_fold_table())
        compatible = unicodedata.normalize("NFKC", text)
        if len(compatible) == len(text):
            text = compatible
    folded = text.casefold()
    return folded if len(folded) == len(text) else None


def fold(token: str) -> str:
    """A token's key: folded like ``fold_text``, invisible characters dropped."""
    token = _INVISIBLE_RE.sub("", token)
    if not token.isascii():
        token = unicodedata.normalize("NFKC", token.translate(_fold_table()))
    return token.casefold()


@cache
def _jieba_dictionary() -> tuple[dict[str, tuple[int, str]], dict[str, int]]:
    """jieba's dictionary, read once: words of two characters or more -> (count, part of speech), and single
    characters -> count."""
    import jieba

    words, characters = {}, {}
    with jieba.get_dict_file() as handle:
        for line in handle:
            word, count, tag = (line.decode("utf-8").split() + ["", ""])[:3]
            if len(word) >= 2:
                words[word] = (int(count or 0), tag)
            elif word:
                characters[word] = int(count or 0)
    return words, characters


@cache
def _chinese_words() -> dict[str, tuple[int, str]]:
    """jieba's dictionary: word -> (count, part of speech)."""
    return _jieba_dictionary()[0]


@cache
def _characters_by_sound() -> dict[str, tuple[str, ...]]:
    """Chinese characters jieba's dictionary counts 100 times or more as words of their own, by their pinyin without
    tones (anyascii's): what the syllables of a pinyin handle (momo, xiaomeng) may be written with."""
    from anyascii import anyascii

    found: dict[str, list[str]] = {}
    for char, count in _jieba_dictionary()[1].items():
        if count >= 100 and CJK_RE.fullmatch(char):
            sound = anyascii(char).casefold()
            if sound.isalpha():
                found.setdefault(sound, []).append(char)
    return {sound: tuple(chars) for sound, chars in found.items()}


# Kinship words a doubled syllable also spells (baba, mama, gege): a handle's sound never makes them a name.
_KIN_DOUBLES = frozenset("爸妈哥姐弟妹爷奶宝叔姨婆公伯舅嫂")


def pinyin_readings(letters: str) -> list[str]:
    """The Chinese a pinyin handle is called by in the community: a doubled syllable written with any character of
    that sound (momo: 默默, 莫莫, 墨墨…; dudu: 嘟嘟…), and xiao with a syllable as 小 and a character of it
    (xiaomeng: 小萌, 小梦…). Each is a name only where the sentence uses it as one (as the handle's other forms)."""
    sounds = _characters_by_sound()
    half = len(letters) // 2
    if len(letters) >= 4 and len(letters) % 2 == 0 and letters[:half] == letters[half:] and letters[:half] in sounds:
        return [char * 2 for char in sounds[letters[:half]] if char not in _KIN_DOUBLES]
    if letters.startswith("xiao") and letters[4:] in sounds:
        return ["小" + char for char in sounds[letters[4:]]]
    return []


@cache
def common_word(key: str) -> bool:
    """A Latin word of the English dictionary in common use (Zipf 3.5 or more): "jack", "bill", "ming"."""
    if not key.isascii() or not key.isalpha() or key not in english_dictionary():
        return False
    from wordfreq import zipf_frequency

    return zipf_frequency(key, "en") >= 3.5


# The 24 solar terms and the festivals, which the calendar names every year (a member called 小满 is one where the
# sentence uses the word as a name).
_SEASONS = frozenset(("立春", "雨水", "惊蛰", "春分", "清明", "谷雨", "立夏", "小满", "芒种", "夏至", "小暑", "大暑", "立秋",
                      "处暑", "白露", "秋分", "寒露", "霜降", "立冬", "小雪", "大雪", "冬至", "小寒", "大寒", "元宵", "端午",
                      "七夕", "中秋", "重阳", "腊八", "除夕"))


@cache
def kind_of(key: str) -> str:
    """rare, short or ordinary (see the module) for a folded Latin word or Chinese run."""
    if CJK_RE.match(key):
        if key in _SEASONS:
            return ORDINARY  # 小满 the solar term
        count, tag = _chinese_words().get(key, (0, ""))
        return ORDINARY if count >= 100 or (count >= 20 and not tag.startswith("nr")) else RARE
    if key in stop_words() or key in _TWO_LETTER_WORDS:
        return ORDINARY
    if len(key) <= 2:
        return SHORT
    if key not in english_dictionary():
        return RARE
    from wordfreq import zipf_frequency

    # A word that is first of all a given name ("Mary", "Tom") must be very common to count as a word ("May",
    # "Will", "Mark"); a romanised Chinese surname ("wang", "lin") must be common too ("sun", "tan").
    needed = 5.0 if key in _GIVEN_NAMES else 4.0 if key in _PINYIN_SURNAMES else 3.5
    return ORDINARY if zipf_frequency(key, "en") >= needed else RARE


def parts(tokens: list[str]) -> list[list[str]]:
    """The parts of a name (folded tokens) that can stand for the member alone: its Latin words, its runs of two
    or more CJK characters and the given name of a Chinese full name (not the whole name itself)."""
    runs: list[list[str]] = []
    for token in tokens:
        if CJK_RE.match(token) and runs and CJK_RE.match(runs[-1][-1]):
            runs[-1].append(token)
        else:
            runs.append([token])
    found = []
    for run in runs:
        latin = not CJK_RE.match(run[0])
        if latin and len(run[0]) >= 2 and not run[0].isdigit():
            found.append(run)
        if latin:
            continue
        if len(run) >= 2:
            found.append(run)
        given = _given_name("".join(run))
        if given:
            found.append(list(given))
    return [part for part in found if part != tokens]


def _given_name(name: str) -> str | None:
    """The given name of a three- or four-character Chinese name after a common surname (李晓明 -> 晓明)."""
    if len(name) in (3, 4) and name[:2] in _COMPOUND_SET:
        return name[2:]
    if len(name) == 3 and name[0] in _SURNAMES:
        return name[1:]
    return None


def personal_name_like(run: str) -> bool:
    """Whether a Chinese run reads like a person's name: a common surname (one character or compound) and one or two
    characters after it (王小明, 李娜, 欧阳晴)."""
    surname = 2 if run[:2] in _COMPOUND_SET else 1 if run[:1] in _SURNAMES else 0
    return bool(surname) and 1 <= len(run) - surname <= 2


def phrase_like(run: str) -> bool:
    """Whether a Chinese display name (its characters, without emoji) is an everyday phrase rather than a name: no
    personal name's look (``personal_name_like``) and either a word of jieba's dictionary of three characters or
    more not tagged as a person's name (天天向上, 花花世界, 霸王花) or cut by jieba into two or more dictionary words,
    one of two characters or more common (20 occurrences or more), every one-character piece common too and none a
    name's 阿 or 小 before one character (草莓|味, 一只|猫, 可乐|加冰, 小兔子|乖乖; not 熊猫|阿|宝). Such a name read
    in text may be the phrase itself: written whole as a title in 《》, it is the work (``member_names``)."""
    import jieba

    words = _chinese_words()
    if len(run) < 2 or not all(CJK_RE.match(char) for char in run) or personal_name_like(run):
        return False
    if run in words:  # two characters are the everyday word of ``kind_of`` (糖糖, 可可 stay names)
        return len(run) >= 3 and not words[run][1].startswith("nr")
    cut = jieba.lcut(run, HMM=False)
    if len(cut) < 2 or not any(words.get(word, (0, ""))[0] >= 20 for word in cut):
        return False
    if any(left in ("阿", "小") and len(right) == 1 for left, right in itertools.pairwise(cut)):
        return False  # 阿宝 of 熊猫阿宝: a name's form
    return all(word in words if len(word) >= 2 else (jieba.get_FREQ(word) or 0) >= 20 for word in cut)


# Usual English diminutives: the full name's, and a diminutive's sister forms (Dan: Danny), never the full name
# from a short one (Jo is not always Joanna). Forms the rules below
# give (Rosie/Rose, Mark/Marky, Jo/Jojo) are not repeated here.
_DIMINUTIVE_GROUPS = (
    ("daniel", "dan", "danny"), ("jennifer", "jen", "jenny", "jenn"), ("benjamin", "ben", "benny"),
    ("sophie", "soph", "sophia"), ("emily", "em", "emmy", "emmie"), ("emma", "em", "emmy"), ("elizabeth", "liz", "lizzie",
    "beth", "betty", "eliza"), ("katherine", "kate", "katie", "kathy", "kat"), ("catherine", "cathy", "cat", "kate"),
    ("margaret", "maggie", "meg", "peggy"), ("rebecca", "becky", "becca", "bex", "becks"), ("samantha", "sam", "sammy"),
    ("samuel", "sam", "sammy"), ("alexander", "alex", "xander"), ("alexandra", "alex", "lexi", "sandra"),
    ("christopher", "chris", "topher"), ("christine", "chris", "chrissy", "tina"), ("michael", "mike", "mikey", "mick"),
    ("william", "will", "bill", "billy", "liam"), ("robert", "rob", "bob", "bobby", "robbie"), ("richard", "rich",
    "rick", "ricky", "dick"), ("thomas", "tom", "tommy"), ("james", "jim", "jimmy", "jamie"), ("joseph", "joe",
    "joey"), ("joanna", "jo", "jojo", "joanne"), ("josephine", "jo", "josie"), ("victoria", "vicky", "tori", "vic"),
    ("isabella", "bella", "izzy", "isabel"), ("gabrielle", "gabby", "gabi"), ("nicholas", "nick", "nicky"),
    ("jonathan", "jon", "jonny"), ("matthew", "matt", "matty"), ("anthony", "tony"), ("edward", "ed", "eddie", "ted"),
    ("stephanie", "steph"), ("stephen", "steve", "stevie"), ("abigail", "abby", "abbie"), ("amanda", "mandy"),
    ("deborah", "debbie", "deb"), ("patricia", "pat", "patty", "trish"), ("susan", "sue", "susie"),
    ("penelope", "penny"), ("florence", "flo", "flossie"), ("charlotte", "charlie", "lottie"), ("caroline", "carrie"),
    ("natalie", "nat"), ("nathan", "nate"), ("olivia", "liv", "livvy"), ("chloe", "chlo", "clo"), ("vivian", "viv", "vivi"), ("lily", "lil"), ("madeleine", "maddie"), ("madison", "maddie"),
    ("valerie", "val"), ("veronica", "ronnie"), ("frederick", "fred", "freddie"), ("andrew", "andy", "drew"),
    ("jessica", "jess", "jessie"), ("kimberly", "kim"), ("cynthia", "cindy"), ("theodore", "theo", "ted"),
    ("lucy", "lu", "lulu"), ("anna", "annie", "ann"), ("lucas", "luke", "luc"), ("luke", "lukey"), ("grace", "gracie"), ("rose", "rosie"), ("mei", "meimei"),
)


def usual_diminutives(key: str) -> frozenset[str]:
    """The table's diminutives of a folded English first name (jennifer: jen, jenny, jenn)."""
    return _diminutives().get(key, frozenset())


@cache
def _diminutives() -> dict[str, frozenset[str]]:
    table: dict[str, set[str]] = {}
    for full, *short in _DIMINUTIVE_GROUPS:
        table.setdefault(full, set()).update(short)
        for name in short:
            table.setdefault(name, set()).update(other for other in short if other != name)
    return {name: frozenset(others) for name, others in table.items()}


def english_nicknames(key: str) -> set[str]:
    """Diminutives of a (folded) English first name: the table's, then -ie / -y added or taken away, and a short
    name doubled."""
    if not key.isalpha() or not key.isascii() or len(key) < 2:
        return set()
    found = set(_diminutives().get(key, ()))
    if len(key) == 3 and key[-1] not in "aeiouy":
        found.add(key + "ie")  # Max: Maxie
    if key.endswith("ie") and len(key) >= 5:
        found |= {key[:-2], key[:-2] + "e", key[:-2] + "y"}  # Rosie: Rose, Gracie: Grace
    elif key.endswith("y") and len(key) >= 4 and key[-2] not in "aeiou":
        found |= {key[:-1] + "ie"}
    elif len(key) >= 3 and key[-1] not in "aeiouy":
        double = key + key[-1] if len(key) == 3 and key[-2] in "aeiou" else key
        found |= {double + "y", double + "ie"}  # Dan: Danny, Mark: Marky
    elif key.endswith("e") and len(key) >= 4:
        found |= {key[:-1] + "ie", key[:-1] + "y"}  # Rose: Rosie, Grace: Gracie
    if len(key) == 2:
        found.add(key * 2)  # Jo: Jojo
    found |= {form for form in _listed_nicknames(key) if len(form) < len(key)}  # Chloe: Clo; Rebecca: Becca
    return {form for form in found if form != key and len(form) >= 2}


@cache
def _nick_namer():
    from nicknames import NickNamer

    return NickNamer()


def _listed_nicknames(key: str) -> set[str]:
    """The nicknames the ``nicknames`` package's hand-curated table gives a name: shorter forms only (a table that
    joins Bella to Isabella both ways gives no longer name), and no English word in common use unless it is first of
    all a name (App of Absalom, Kit of Katherine are words; Max of Maximilian is a name)."""
    from wordfreq import zipf_frequency

    return {form.casefold() for form in _nick_namer().nicknames_of(key) if form.isalpha()
            and (form.casefold() in _GIVEN_NAMES or zipf_frequency(form, "en") < 3.5)}


# Abbreviations that begin names and are no clipping of them (Mar of Mary is March, Jan of Janet January).
_NOT_CLIPPINGS = frozenset(("jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "mon",
                            "tue", "wed", "thu", "fri", "sat", "sun"))


def english_clippings(key: str) -> set[str]:
    """A given name cut short, as friends do (Rach of Rachel, Kath of Katherine, Vero of Veronica), and the cut
    with a closing -i, -ie or -y (Hanni, Gabi, Gabby): the first three letters or more, two letters at least left
    out, for a name of five letters or more. Such a form is a name only where it is used as one (kind ordinary):
    it may be a word or an abbreviation besides. Stop words, English words in common use (Tab of Tabitha, App of
    Appolonia: Zipf 3.5 or more) and month and day abbreviations are none."""
    if not key.isascii() or not key.isalpha() or len(key) < 5:
        return set()
    found = set()
    for length in range(3, min(5, len(key) - 2) + 1):
        cut = key[:length]
        found.add(cut)
        if cut[-1] not in "aeiouy":
            found |= {cut + "i", cut + "ie", cut + "y"}
            if length == 3 and cut[1] in "aeiou":
                found |= {cut + cut[-1] + "y", cut + cut[-1] + "ie"}  # Gabby, Debbie
    from wordfreq import zipf_frequency

    return {form for form in found if form not in stop_words() and form not in _NOT_CLIPPINGS
            and zipf_frequency(form, "en") < 3.5}


_CHINESE_PREFIXES, _CHINESE_SUFFIXES = ("小", "阿", "老"), ("哥", "姐", "妹", "总")


def chinese_nicknames(run: str) -> set[str]:
    """What a Chinese name of two to four characters is called by (see the module): 明明, 小明, 阿明, 老李, 李哥…"""
    if not 2 <= len(run) <= 4:
        return set()
    if len(run) == 2 and run[0] in _CHINESE_PREFIXES:  # a name that is a nickname already: 小可 -> 可可, 阿可
        return {run[1] * 2} | {prefix + run[1] for prefix in _CHINESE_PREFIXES if prefix != run[0]}
    given = _given_name(run) or (run[1:] if run[0] in _SURNAMES and len(run) == 2 else None)
    if given is None:
        return set()
    surname, last = run[:len(run) - len(given)], given[-1]
    found = {last * 2, "小" + last, "阿" + last, "大" + last, last + "儿", "老" + surname, "小" + surname}
    if len(surname) == 2:
        found.add(surname)  # 司马 of 司马光明: a compound surname is rare enough to stand alone
    found |= {surname + suffix for suffix in _CHINESE_SUFFIXES} | {last + suffix for suffix in _CHINESE_SUFFIXES}
    if len(given) == 2:
        found.add(given[0] * 2)  # 晓晓 of 李晓明
    found |= kin_forms(given)
    return {form for form in found if form != run}


# Kinship and respect words members put after a part of someone's name (娜姐, 娜娜姐, 鱼宝, 婷总, 思远老师, 远叔).
KIN_WORDS = ("姐姐", "哥哥", "宝宝", "妈妈", "老师", "姐", "哥", "妈", "爸", "姨", "叔", "宝", "酱", "总", "妹", "弟")
_KIN_ENDING = re.compile(f"(?:{'|'.join(KIN_WORDS)})\\Z")


def kin_forms(given: str) -> set[str]:
    """A Chinese given name's kinship and respect forms: its last character, that character doubled and a given name
    of two characters with each of ``KIN_WORDS`` after it (娜姐, 娜娜姐, 娜姐姐 of 李娜; 婷宝, 婷婷姐 of 周婷婷;
    思远哥, 思远老师, 远叔 of 王思远)."""
    last = given[-1]
    bases = {last, last * 2} | ({given} if len(given) == 2 else set())
    return {base + word for base in bases for word in KIN_WORDS if base + word != given}


def kin_form(key: str) -> bool:
    """Whether a Chinese form is a part of a name and a kinship or respect word after it (娜姐, 思远老师), no
    everyday word (宝妈, 虎妈, 奶爸)."""
    found = _KIN_ENDING.search(key)
    return found is not None and 1 <= found.start() <= 2 and key not in _KIN_WORDS and kind_of(key) == RARE


# Titles said after a surname ("王姐", "陈老师", "张总"): such a form names a person wherever it stands.
TITLES = ("老师", "姐姐", "哥哥", "阿姨", "叔叔", "医生", "大夫", "经理", "老板", "女士", "先生", "小姐", "同学", "太太",
          "姐", "哥", "总", "妹", "姨", "叔")


def titled_forms(run: str) -> dict[str, int]:
    """A Chinese name's surname with each title after it (王丽: 王姐, 王老师, 王总…): form -> the surname's length."""
    if not 2 <= len(run) <= 4:
        return {}
    given = _given_name(run) or (run[1:] if run[0] in _SURNAMES and len(run) == 2 else None)
    if given is None:
        return {}
    surname = run[:len(run) - len(given)]
    return {surname + title: len(surname) for title in TITLES}


def initials(keys: list[str]) -> list[str]:
    """A personal name's initials, as members write them in capitals (wxm of 王小明, lw of 刘伟, eb of Emma Bai):
    a Chinese name of two to four characters that starts with a surname (its syllables' first letters), or a Latin
    name of two or three words; none that is an English word of one or two letters or a stop word."""
    from anyascii import anyascii

    if all(CJK_RE.fullmatch(key) for key in keys):
        run = "".join(keys)
        if not 2 <= len(run) <= 4 or not (_given_name(run) or len(run) == 2 and run[0] in _SURNAMES):
            return []
        letters = "".join(anyascii(char)[:1].casefold() for char in run)
    elif 2 <= len(keys) <= 3 and all(key.isascii() and key.isalpha() for key in keys):
        letters = "".join(key[0] for key in keys)
    else:
        return []
    if not letters.isalpha() or len(letters) != len(keys if len(keys) > 1 and not CJK_RE.match(keys[0]) else
                                                     "".join(keys)):
        return []
    return [] if letters in _TWO_LETTER_WORDS or letters in stop_words() or common_word(letters) else [letters]


def single_characters(run: str) -> set[str]:
    """The characters of a Chinese name that can stand for the member alone in a person's context: a one-character
    surname, and the given name when it is one character."""
    if not 2 <= len(run) <= 4:
        return set()
    given = _given_name(run) or (run[1:] if run[0] in _SURNAMES and len(run) == 2 else None)
    if given is None:
        return set()
    surname = run[:len(run) - len(given)]
    found = {surname} if len(surname) == 1 else set()
    if len(given) == 1:
        found.add(given)
    return found


def username_parts(token: str) -> list[list[str]]:
    """The letters of a username-like token (anna_k, lily88, bella.skin): its first run of three letters or more
    alone, and with the runs after it (anna k)."""
    pieces = [piece for piece in re.split(r"[\d_.\-]+", token) if piece]
    if len(pieces) == 1 and pieces[0] == token or not pieces or len(pieces[0]) < 3:
        return []
    return [[pieces[0]], pieces] if len(pieces) > 1 else [[pieces[0]]]


# Names of apps and shops newer than jieba's dictionary, which hold a name-like word (小红 in 小红书).
_NEWER_WORDS = {"小红书": (100, "n"), "小红薯": (100, "n"), "蘑菇街": (100, "n"),
                "大众点评": (100, "n"), "拼多多": (100, "n"), "得物": (100, "n")}


_PARTICLES = frozenset("的地得了着过说们")


def covered_by_word(text: str, start: int, end: int) -> bool:
    """Whether a longer word of jieba's dictionary that is not a person's name covers text[start:end] (folded
    Chinese text: 小红 in 小红书)."""
    words = _chinese_words()
    length = end - start
    for left in range(max(0, start - 3), start + 1):
        for right in range(end, min(len(text), end + 3) + 1):
            if right - left <= length or right - left > 6:
                continue
            if left == start and _PARTICLES.issuperset(text[end:right]):
                continue  # 静静的, 明明说: the name and a particle, not a longer word
            found = words.get(text[left:right]) or _NEWER_WORDS.get(text[left:right])
            if found is not None and found[0] >= 3 and not found[1].startswith("nr"):
                return True
    return False


def joined_forms(tokens: list[str]) -> list[str]:
    """Single-word spellings of a Latin name of two or three words: EmilyChen, emily_chen, and for two words the
    other order too (ChenEmily)."""
    if not 2 <= len(tokens) <= 3 or any(CJK_RE.match(token) or token.isdigit() for token in tokens):
        return []
    orders = [tokens] + ([tokens[::-1]] if len(tokens) == 2 else [])
    return [joiner.join(order) for order in orders for joiner in ("", "_")]


def pinyin_forms(run: str) -> list[list[str]]:
    """How a Chinese name of two to four characters is written in Latin letters (anyascii's pinyin): syllables
    spaced (zhang wei) or joined (zhangwei), surname last too (wei zhang, xiaoming li), and a given name of two
    syllables alone (xiaoming). One syllable alone is never a form: it is too common."""
    if not 2 <= len(run) <= 4:
        return []
    from anyascii import anyascii

    syllables = [anyascii(char).casefold() for char in run]
    if not all(syllable.isalpha() for syllable in syllables):
        return []
    given = _given_name(run)
    surname = "".join(syllables[:len(run) - len(given)]) if given else None
    forms = [syllables, ["".join(syllables)]]
    if given:
        given_joined = "".join(syllables[len(run) - len(given):])
        forms += [[surname, given_joined], [given_joined, surname], [given_joined + surname]]
        if len(given) == 2:
            forms.append([given_joined])
    elif len(run) == 2:
        forms += [syllables[::-1], ["".join(syllables[::-1])]]
    return forms


# Nicknames of display names that are no personal name (橙子酱, 糖糖不吃糖, 一只小胖纸, 小雨点点, 伟仔, 雪儿).
# What a name wraps its core in: a numeral and a classifier (一只), 小, 大, 阿, 老, 是 before it; a cute ending
# (酱, 仔, 儿, 呀, 宝…) or a kinship word after it.
_WRAP_BEFORE = re.compile(r"\A(?:我是|是|一[只个颗条枚朵头块杯根粒片位名碗口棵匹尾]|[小大阿老])")
_WRAP_AFTER = re.compile(r"(?:酱|仔|儿|呀|吖|啊|哒|鸭|呢|宝宝|宝|君|桑|本人|同学|的|姐姐|哥哥|姐|哥|妹)\Z")
# What people add to a nickname: kinship and cute endings (子 too after one character), and 小, 阿, 老 before a
# short one.
NICKNAME_SUFFIXES = ("姐姐", "哥哥", "宝宝", "老师", "姐", "哥", "妹", "酱", "宝", "妈", "爸", "姨", "叔", "总")
NICKNAME_PREFIXES = ("小", "阿", "老")
# jieba's parts of speech that are grammar, not a name's content: numerals, classifiers, adverbs, prepositions,
# conjunctions, particles, pronouns, verbs, locatives, times, interjections, onomatopoeia, modal particles.
_GRAMMAR_TAGS = ("m", "q", "d", "p", "c", "u", "r", "v", "f", "t", "e", "o", "y", "ad", "vn")


def _core(run: str) -> str:
    """A display name without its wrapping (一只小胖纸 -> 胖纸, 橙子酱 -> 橙子, 雪儿 -> 雪), at least one character."""
    core = run
    for _ in range(3):
        stripped = _WRAP_BEFORE.sub("", core)
        stripped = _WRAP_AFTER.sub("", stripped) if len(stripped) > 1 else stripped
        if not stripped or stripped == core:
            break
        core = stripped
    return core


_MOTHER = re.compile(r"(?:妈咪|妈妈|麻麻|妈)\Z")
_NO_DOUBLE = frozenset("的了不是一之阿小大老")  # never doubled into a name: grammar characters


def _pieces(text: str) -> list[str]:
    """The words jieba cuts a name into, with the shorter words inside longer ones (大白 and 白兔 of 大白兔), and a
    prefix 阿 or 小 joined to the one character after it (阿宝 of 熊猫阿宝, 阿狸 of 阿狸不乖)."""
    import jieba

    cut = jieba.lcut(text, HMM=False)
    found = list(jieba.lcut_for_search(text, HMM=False))
    for left, right in itertools.pairwise(cut):
        if left in ("阿", "小") and len(right) == 1:
            found.append(left + right)
    return found


def signing_pieces(run: str) -> set[str]:
    """The pieces of a Chinese display name that is no personal name that its member may sign with: the words of
    jieba's dictionary (two to four characters) written inside it, wherever jieba would cut it (山茶花, 花开 of
    山茶花开), and its first and last two characters (抹茶, 拿铁 of 抹茶拿铁, 拿铁 being no entry), none with a
    grammar character (与海 of 晚风与海)."""
    if len(run) < 3 or personal_name_like(run):
        return set()
    words = _chinese_words()
    found = {run[i:j] for i in range(len(run)) for j in range(i + 2, min(len(run), i + 4) + 1)
             if run[i:j] != run and run[i:j] in words}
    found |= {edge for edge in (run[:2], run[-2:]) if not _GRAMMAR_CHARACTERS.intersection(edge)}
    return found


_GRAMMAR_CHARACTERS = frozenset("的了不是一之与和在也就都很")


def _grammar_word(word: str, *allowed: str) -> bool:
    """Whether jieba tags the word as grammar (numeral, adverb, particle…), tags in ``allowed`` excepted."""
    tag = _chinese_words().get(word, (0, ""))[1].split("_")[0]
    return bool(tag) and tag in _GRAMMAR_TAGS and tag not in allowed


def _content_word(word: str) -> bool:
    """A run of two or more characters that can carry a name: not a grammar word (不吃, 一只) nor a stop word."""
    if len(word) < 2 or word in stop_words():
        return False
    tag = _chinese_words().get(word, (0, ""))[1]
    return not (tag and tag.split("_")[0] in _GRAMMAR_TAGS)


def display_nicknames(run: str) -> dict[str, tuple[str, int, int]]:
    """What members call someone whose display name (a Chinese run of two to eight characters) is no personal name:
    form -> (kind, where its core starts, the core's length).

    Forms written in the name: its core without the wrapping (一只小胖纸 -> 胖纸), the core's first two characters
    (奶盖 of 奶盖少糖, 雨点 of 小雨点点), each content word jieba cuts the name into, unwrapped too (not 不吃, 一只),
    and a reduplication (糖糖, 点点). Two characters cut from a name are most often an everyday word (橙子, 奶盖, 点点),
    so such a form is a name only where it is used as one (ordinary); a longer one has its word's kind
    (``kind_of``). Forms built from them with a kinship or cute suffix (橙子姐, 糖糖酱, 雪姐), a prefix (阿雪, 小胖纸)
    or, for a one-character core, doubled (雪雪) or with 子 (雪子) are names wherever they stand, unless they are a
    common word themselves (伟哥, 小雪) or their core or suffix is part of a longer word (一点点姐妹)."""

    if not 2 <= len(run) <= 8 or not all(CJK_RE.match(char) for char in run):
        return {}
    core = _core(run)
    pieces = [piece for text in {run, core} for piece in _pieces(text)]
    written = {form for word in pieces if _content_word(word) for form in (word, _core(word))}
    written |= {word for word in pieces if len(word) == 2 and word[0] in "阿小" and word not in _chinese_words()}
    written |= {run[i:i + 2] for i in range(len(run) - 1) if run[i] == run[i + 1]}  # 糖糖, 点点
    if len(core) >= 3 and _content_word(core[:2]):
        written.add(core[:2])
    if len(core) >= 2 and core != run and (_content_word(core) or core not in _chinese_words()):
        written.add(core)
    written = {word for word in written if len(word) >= 2 and word != run}
    found: dict[str, tuple[str, int, int]] = {
        word: (ORDINARY if len(word) == 2 else kind_of(word), 0, len(word)) for word in written}
    bases = {word for word in written if len(word) <= 4} | ({core} if len(core) == 1 else set())
    if len(core) == 2 and core[0] == core[1]:
        bases.add(core[0])  # 伟伟: 伟哥, 阿伟
    for base in bases:
        for suffix in (*NICKNAME_SUFFIXES, "子") if len(base) == 1 else NICKNAME_SUFFIXES:
            found.setdefault(base + suffix, (kind_of(base + suffix), 0, len(base)))
        prefixed = len(base) == 1 or len(base) == 2 and base[0] != base[1] and kind_of(base) == RARE  # 小胖纸, not 小橙子
        for prefix in NICKNAME_PREFIXES if prefixed else ():
            found.setdefault(prefix + base, (kind_of(prefix + base), len(prefix), len(base)))
    if len(core) == 1:
        found.setdefault(core * 2, (ORDINARY, 0, 2))  # 雪雪: built from a common character
    # The last character of each word doubled (夏夏 of 半夏, 菇菇 of 蘑菇, 猫猫 of 爱吃鱼的猫): a name wherever it
    # stands unless it is a word itself (宝宝, 天天).
    for word in {*written, run[-1], core[-1]}:
        if CJK_RE.match(word[-1]) and word[-1] not in _NO_DOUBLE:
            found.setdefault(word[-1] * 2, (kind_of(word[-1] * 2), 0, 2))
    # A verb that names the person ends the name (续命 of 奶茶续命): with a kinship suffix it is a name (续命姐).
    for word in pieces:
        if len(word) >= 2 and word not in stop_words() and word not in written and not _grammar_word(word, "vn"):
            for suffix in NICKNAME_SUFFIXES:
                found.setdefault(word + suffix, (kind_of(word + suffix), 0, len(word)))
    _add_kin_forms(run, core, found, written)
    mother = _MOTHER.search(core)
    if mother and mother.start() >= 1:  # 豆豆妈咪: 豆豆妈, 豆妈
        child = core[:mother.start()]
        for form in {child + "妈", child[-1] + "妈", child + "妈妈"}:
            if form != run:
                found.setdefault(form, (kind_of(form), 0, len(form) - 1))
    found.pop(run, None)
    if _everyday(run) and not (len(run) == 2 and run[0] in "小阿"):  # 大海: 海哥 may be anyone's, a name only where
        # the sentence uses it as one; 小鱼 and 阿花 are pet names already, so 鱼妈 and 花姐 are theirs
        found = {form: (ORDINARY if length == 1 else kind, start, length) for form, (kind, start, length) in found.items()}
    return found


# Kinship and pet forms members build on the last character of a display name or on it doubled: 花姐, 阿花, 花花姐 of
# 霸王花; 虎哥 of 胖虎; 嘟妈, 嘟嘟妈 of 嘟嘟. Not on a wrapping or grammar character (子 of 橙子酱, 的).
KIN_SUFFIXES = ("姐", "哥", "妈", "爸", "妹", "弟", "宝", "姨", "叔", "总", "儿", "酱")
_NO_KIN = frozenset("子儿酱呀吖啊哒鸭呢宝君桑们妈爸哥姐妹弟咪") | _NO_DOUBLE


def _add_kin_forms(run: str, core: str, found: dict[str, tuple[str, int, int]], words: set[str] = frozenset()) -> None:
    """The kinship and pet forms on the name's last character (its core's, when the name ends in a wrapping), and
    the kinship forms on the last character of each content word written in it (花姐 of 山茶花开)."""
    for word in words:
        if len(word) >= 2 and word[-1] not in _NO_KIN and CJK_RE.match(word[-1]):
            for suffix in KIN_SUFFIXES[:-2]:
                found.setdefault(word[-1] + suffix, (_kin_kind(word[-1] + suffix), 0, 1))
    last = run[-1] if run[-1] not in _NO_KIN else core[-1]
    if last in _NO_KIN or not CJK_RE.match(last):
        return
    for base in (last, last * 2):
        for suffix in KIN_SUFFIXES if len(base) == 1 else KIN_SUFFIXES[:-2]:  # not 花花儿, 花花酱
            found.setdefault(base + suffix, (_kin_kind(base + suffix), 0, len(base)))
    for prefix in ("阿", "小"):
        found.setdefault(prefix + last, (_kin_kind(prefix + last), 1, 1))


# Kinship forms that are everyday words whatever the names: a tiger mother, a stay-at-home father.
_KIN_WORDS = frozenset(("虎妈", "狼爸", "猫爸", "鹰爸", "宝妈", "宝爸", "奶爸", "辣妈", "猪妹", "花儿"))


def _kin_kind(form: str) -> str:
    return ORDINARY if form in _KIN_WORDS else kind_of(form)


def _everyday(run: str) -> bool:
    """Whether a display name is an everyday word of jieba's dictionary (大海, 星星: 100 occurrences or more, not
    tagged as a person's name)."""
    count, tag = _chinese_words().get(run, (0, ""))
    return count >= 100 and not tag.startswith("nr")


def own_forms(name: str) -> set[str]:
    """Every form a member may sign with or introduce themselves by, built generously from their own display name
    (only matched at the end of their own post or after their own "叫我", "call me"): each Latin word and its
    diminutives, every run of two or more characters inside a Chinese run, each character doubled, after 阿, 小, 大
    or before 儿, and the nicknames of ``chinese_nicknames`` and ``display_nicknames``. Folded keys, Latin words
    joined by a space."""
    keys = [fold(token) for token in TOKEN_RE.findall(name or "")]
    keys = [key for key in keys if key]
    latin = [key for key in keys if not CJK_RE.match(key)]
    found = {" ".join(latin)} if latin else set()
    for key in latin:
        if len(key) >= 2 and not key.isdigit():
            found |= {key, *english_nicknames(key), *(" ".join(form) for form in username_parts(key))}
    for run in re.findall(f"[{CJK}]+", "".join(key for key in keys if CJK_RE.match(key))):
        found |= {run[i:j] for i in range(len(run)) for j in range(i + 2, len(run) + 1)}
        found |= {form for char in run if char not in _NO_DOUBLE
                  for form in (char * 2, "阿" + char, "小" + char, "大" + char, char + "儿")}
        found |= chinese_nicknames(run) | set(display_nicknames(run)) | set(titled_forms(run))
    return {form for form in found if form}


def joined_latin_forms(token: str) -> list[str]:
    """A Latin name token written with separators or in camel case, as one word: Coco_Li and CocoLi -> cocoli,
    lemon_tree88 -> lemontree88 (digits may end a piece after the first)."""
    pieces = [piece for piece in re.split(r"[_.\-]+|(?<=[a-z])(?=[A-Z])", token) if piece]
    if len(pieces) < 2 or not pieces[0].isalpha() or not all(piece.isalnum() for piece in pieces):
        return []
    return ["".join(pieces).casefold()]


def email_local_forms(email: str) -> list[list[str]]:
    """A member's email local part as the name others call them by (naicha3, sunyue2000, xiaoyu.diandian): the
    local part as written, and its runs of letters (naicha, sunyue; xiaoyu diandian)."""
    local = (email or "").rsplit("@", 1)[0].casefold()
    tokens = [fold(token) for token in TOKEN_RE.findall(local)]
    tokens = [token for token in tokens if token]
    if not tokens or len("".join(tokens)) < 3:
        return []
    forms = [tokens]
    if len(tokens) == 1:
        forms += username_parts(tokens[0])
        pieces = [piece for piece in re.split(r"_+", tokens[0]) if piece]
        if len(pieces) > 1:
            forms.append(pieces)  # iris_yan written iris.yan or "iris yan"
            forms.append(["".join(pieces)])  # lemon_tree88 written lemontree88
    elif all(token.isalnum() for token in tokens):
        forms += [["_".join(tokens)], ["".join(tokens)]]  # iris.yan written iris_yan or irisyan
    letters = [piece for piece in re.split(r"[\d_]+", " ".join(tokens)) if piece.strip()]
    for piece in letters:
        words = piece.split()
        if words and len("".join(words)) >= 4 and words != tokens:
            forms.append(words)
    unique: list[list[str]] = []
    for form in forms:
        if form not in unique:
            unique.append(form)
    return unique


def letters_kind(key: str) -> str:
    """The kind of a username's or email's letters (mochi of Mochi_Bear): a word English uses at all (Zipf 2 or
    more: mochi, snowy) counts as ordinary, unless it is a given name; otherwise ``kind_of``."""
    kind = kind_of(key)
    if kind != RARE or not key.isascii() or not key.isalpha() or key in _GIVEN_NAMES:
        return kind
    from wordfreq import zipf_frequency

    return ORDINARY if zipf_frequency(key, "en") >= 2.0 else RARE


def pinyin_joined(run: str) -> str | None:
    """A Chinese run's pinyin as one word (糖糖 -> tangtang, 橙子酱 -> chengzijiang), or None."""
    from anyascii import anyascii

    syllables = [anyascii(char).casefold() for char in run]
    return "".join(syllables) if len(run) >= 2 and all(s.isalpha() for s in syllables) else None


def word_spanning(text: str, lefts: range, rights: range) -> bool:
    """Whether text[left:right], for a left and a right of those given, is a word of jieba's dictionary (no person's
    name): 一点点 of 一点点姐 crosses into the nickname from before it, 姐妹 of 点点姐妹 out of it."""
    words = _chinese_words()
    for left in lefts:
        for right in rights:
            found = words.get(text[left:right]) if right - left >= 2 else None
            if found is not None and found[0] >= 3 and not found[1].startswith("nr"):
                return True
    return False


def surname_before(text: str, start: int) -> int:
    """Where a one-character Chinese surname written right before text[start] begins (start - 1), or start when
    the character before is no surname, or ends a word with what stands before it (提高, 我和)."""
    if start < 1 or text[start - 1] not in _SURNAMES or text[start - 1] in _NOT_SURNAME_BEFORE_NAME:
        return start
    words = _chinese_words()
    for left in range(max(0, start - 3), start - 1):
        if text[left:start] in words:
            return start
    return start - 1


# Surnames that are first of all little words: before a name they join it to the sentence (和晓雯, 向晓雯, 连晓雯都).
_NOT_SURNAME_BEFORE_NAME = frozenset("和向于连管关文明时全应单解查常成安")
PINYIN_SURNAMES = _PINYIN_SURNAMES
SURNAMES = _SURNAMES
chinese_words = _chinese_words  # word -> (count, part of speech), for the matcher's context checks

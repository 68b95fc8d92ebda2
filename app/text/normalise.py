"""One normaliser for member text, so that identifier and spam rules match what a member meant, not how it was typed.

``normalise(text)`` folds compatibility forms (NFKC: full-width letters and digits, circled digits, ligatures) and
case, drops invisible characters, turns runs of Chinese numerals into digits (一三八…, 幺, 壹贰叁), removes the
separators members put between digits or between Chinese characters (spaces, dots, dashes, emoji) and rewrites the
words that stand for WeChat, QQ and Weibo (薇, 威信, 卫星, vx, 加V, ➕…) as one canonical word each. It returns a
``Normalised``: the text plus, for every character, the span of the original it came from, so a match found in the
normalised text replaces exactly the matching stretch of what the member wrote. Every step is a linear scan.

``judging_text(text)`` goes further for the spam filter, which needs no way back to the original: it also joins
letters and Chinese characters spelled out one by one ("s h u a", "兼 职 刷 单"), writes the text forms of a web
address as one ("h t t p : / /", "hongbao . vip", "www点xxx点com", "example dot com") and drops leftover emoji.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

WECHAT, QQ, WEIBO = "微信", "qq", "微博"  # the canonical words

# Chinese numerals as digits, one character for one, so a numeral run keeps its length. 幺 (one), 两 (two), 拐 (seven),
# 勾 (nine) and 洞 (zero) are how numbers are read out over the phone.
_NUMERALS = {"〇": "0", "零": "0", "洞": "0", "一": "1", "幺": "1", "壹": "1", "二": "2", "两": "2", "贰": "2", "貳": "2",
             "三": "3", "叁": "3", "參": "3", "四": "4", "肆": "4", "五": "5", "伍": "5", "六": "6", "陆": "6", "陸": "6",
             "七": "7", "柒": "7", "拐": "7", "八": "8", "捌": "8", "九": "9", "玖": "9", "勾": "9"}
_NUMERAL_TABLE = str.maketrans(_NUMERALS)
_NUMERAL_CHARS = "".join(_NUMERALS)
# Emoji and pictographs (not 🛰, a satellite: 卫星 stands for WeChat).
_EMOJI = ("\u2190-\u21ff\u2300-\u23ff\u25a0-\u27bf\u2900-\u297f\u2b00-\u2bff\u3030\u303d"
          "\U0001f000-\U0001f6ef\U0001f6f1-\U0001faff")
_CJK = "\u3400-\u4dbf\u4e00-\u9fff"
# Between two digits: the ways members space out a number (dashes of any width, the katakana ー and box-drawing
# lines a Chinese keyboard offers too). Not "," (thousands) or ":" (times), which stay.
_DIGIT_SEPARATORS = rf"[\s.\-_·•・~*/\\|()\[\]{{}}<>‐-―−ー─━{_EMOJI}]"
# Between two Chinese characters (威❤信): decoration only. Spaces stay, they end a Chinese Weibo name; "." and "-"
# stay, they separate the labels of a Chinese domain.
_CJK_SEPARATORS = rf"[·•・~*{_EMOJI}]"
# Five numerals (digits or Chinese) with only separators between them: a number spelled out, not 一个 or 三四天.
_NUMERAL_RUN = re.compile(rf"[0-9{_NUMERAL_CHARS}](?:{_DIGIT_SEPARATORS}*[0-9{_NUMERAL_CHARS}]){{4,}}")
_HAS_NUMERAL = re.compile(f"[{_NUMERAL_CHARS}]")
# (Not the emoji that stand for a platform: 抖🎵号 is 抖音号.)
_JOINABLE = re.compile(rf"(?<=[0-9]){_DIGIT_SEPARATORS}+(?=[0-9]|x(?![a-z]))"
                       rf"|(?<=[{_CJK}])(?:(?![\U0001f360\U0001f3b5\U0001f3b6]){_CJK_SEPARATORS})+(?=[{_CJK}])")

# What members put between a messenger word and their id: spaces, a colon, an emoji or two.
GAP = rf"[\s:{_EMOJI}]{{0,8}}"
# An id with a digit or "_" in it, spelled out letter by letter ("m e i y a n 888"), or digits then letters ("8866kk";
# WeChat wants a letter first, spammers do not care).
_LETTER_ID = r"(?:[a-z][a-z0-9_-]*[0-9_]|[a-z](?: [a-z0-9_]){3,}[a-z0-9_]*(?![a-z0-9]))"
_ID_FOLLOWS = rf"{GAP}(?:{_LETTER_ID}|[0-9]{{2,}}[a-z][a-z0-9_-]*)"
# ... or, after a weak word (V, 薇, 威), a bare number of six digits or more ("威 88-23-56" joins to 882356) or a name
# and a number ("薇：lisa 9 9 6 3"): an id written in pieces.
_NUMBER_ID_FOLLOWS = rf"{GAP}(?:[0-9]{{6,}}(?![0-9])|[a-z]{{2,12}} [0-9]{{3,}}(?![0-9]))"
_ID_AHEAD = rf"(?={GAP}{_LETTER_ID})"  # after a bare 加, a letter first ("叠加88vip" is a discount)
_QQ_AHEAD = rf"(?=\s*(?:号|群|:)|{GAP}[1-9][0-9]{{4,10}}(?![0-9]))"  # or a QQ number
_ADD = r"(?:加|\+|add)\s*(?:我|me)?\s*"
# Words for the messengers. The weak ones (V, 薇, 威, 微, 卫星, 🛰, 扣, Q, 加我) count only where the context makes
# them one: after 加 ("add") or before an id.
_CONTACT_WORDS = re.compile(
    rf"(?P<wechat>(?:{_ADD})?(?:[微威薇vㄨ溦徾]\s?(?:信|亻言|芯)|维信|徽信|卫信|绿色?泡泡"
    r"|(?<![a-z])(?:v ?x|w ?x|weixin|wechat|wei\s?xin)(?![a-z_]))"
    rf"|{_ADD}(?:v(?![a-z])|(?:薇|威|微|卫|围)(?![信星博脖])|卫星|🛰)|加\s*我?{_ID_AHEAD}"
    rf"|(?:(?<![a-z])v(?![a-z])|薇|威|微|卫星|🛰)(?=号|\s*搜|{_ID_FOLLOWS}|{_NUMBER_ID_FOLLOWS})"
    r"|(?<![a-z])v(?=[\u2600-\u27bf\U0001f300-\U0001faff])"  # "V❤", "v🌹": a V dressed up is WeChat's
    r"|(?<=[我你她他]的)v(?![a-z]))"  # "找她的v": someone's V is their WeChat
    rf"|(?P<qq>(?<![a-z])q\s?q(?![a-z])|扣\s?扣|抠抠|丘丘|球球|企鹅号?|(?:扣|🐧|(?<![a-z])q(?![a-z])){_QQ_AHEAD})"
    r"|(?P<weibo>微\s?博|威博|薇博|围脖|(?<![a-z])(?:weibo|wei\s?bo)(?![a-z])|(?<![a-z])wb(?=\s*[:@]))"
    # 小红书 and 抖音 in emoji: 小🍠, 小红🍠, 🍠 before 号/搜/id/a colon, 薯号; 抖🎵, dou🎵.
    r"|(?P<red>小红?\U0001f360|\U0001f360(?=\s*(?:号|搜|id|:|@))|(?<![红铃])薯(?=号))"
    r"|(?P<douyin>(?:抖|(?<![a-z])dou)\s?[\U0001f3b5\U0001f3b6])")
_CANONICAL = {"wechat": WECHAT, "qq": QQ, "weibo": WEIBO, "red": "小红书", "douyin": "抖音"}
_MAY_FOLD = re.compile(r"[^\x00-\x7f\u3400-\u4dbf\u4e00-\u9fff]")
_INVISIBLE = {0x20E3} | set(range(0xFE00, 0xFE10)) | set(range(0xE0100, 0xE01F0))  # keycap, variation selectors


@dataclass(frozen=True, slots=True)
class Normalised:
    """Normalised text; character i came from ``original[starts[i]:ends[i]]``."""

    text: str
    starts: list[int]
    ends: list[int]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The stretch of the original text that normalised characters start..end-1 came from."""
        return self.starts[start], self.ends[end - 1]


def normalise(text: str, *, messenger_words: bool = True) -> Normalised:
    """Fold, convert numerals, join separated digits and characters, canonicalise messenger words (see the module;
    a caller that looks for no messenger id may skip the last step, the costliest)."""
    folded, starts, ends = _fold(text)
    if _HAS_NUMERAL.search(folded):
        folded = _NUMERAL_RUN.sub(_digits_if_spelled, folded)
    folded, starts, ends = _rewrite(_JOINABLE, _drop, folded, starts, ends)
    if messenger_words:
        folded, starts, ends = _rewrite(_CONTACT_WORDS, _canonical_word, folded, starts, ends)
    return Normalised(folded, starts, ends)


def _digits_if_spelled(match: re.Match) -> str:
    """A run with three Chinese numerals or more is a spelled number; one numeral next to digits is a word
    ("023（一代证）", "13800138 八点")."""
    run = match.group()
    return run.translate(_NUMERAL_TABLE) if len(_HAS_NUMERAL.findall(run)) >= 3 else run


def _drop(match: re.Match) -> str:
    return ""


_STARTS_WITH_ADD = re.compile(_ADD)


def _canonical_word(match: re.Match) -> str:
    """The canonical word; "add me on" before a WeChat word is kept as 加 ("加V" reads 加微信, an invitation)."""
    word = _CANONICAL[match.lastgroup]
    if match.lastgroup == "wechat" and _STARTS_WITH_ADD.match(match.group()):
        return "加" + word
    return word


def _rewrite(pattern: re.Pattern, replace, text: str, starts: list[int], ends: list[int]):
    """Replace every match of ``pattern`` by ``replace(match)``; a replacement maps onto the whole replaced span."""
    pieces, new_starts, new_ends, last = [], [], [], 0
    for match in pattern.finditer(text):
        start, end = match.span()
        replacement = replace(match)
        if replacement == match.group():  # already canonical ("qq"): each character keeps its own origin
            continue
        pieces += [text[last:start], replacement]
        new_starts += starts[last:start]
        new_ends += ends[last:start]
        if replacement:
            new_starts += [starts[start]] * len(replacement)
            new_ends += [ends[end - 1]] * len(replacement)
        last = end
    if not pieces:
        return text, starts, ends
    pieces.append(text[last:])
    return "".join(pieces), new_starts + starts[last:], new_ends + ends[last:]


def _fold(text: str) -> tuple[str, list[int], list[int]]:
    """NFKC and lower case per character; one character for one unless the text holds a rarer form."""
    pieces, last = [], 0
    for match in _MAY_FOLD.finditer(text):  # ASCII and ideographs fold to themselves (or by lower())
        index = match.start()
        folded = _fold_char(text[index])
        if len(folded) != 1:
            return _fold_each(text)
        if folded != text[index]:
            pieces += [text[last:index], folded]
            last = index + 1
    folded = "".join(pieces) + text[last:] if pieces else text
    return folded.lower(), list(range(len(text))), list(range(1, len(text) + 1))


def _fold_each(text: str) -> tuple[str, list[int], list[int]]:
    """Fold character by character, noting where each folded character came from."""
    pieces, starts, ends = [], [], []
    for index, char in enumerate(text):
        folded = _fold_char(char)
        if folded:
            pieces.append(folded)
            starts += [index] * len(folded)
            ends += [index + 1] * len(folded)
        elif ends and ends[-1] == index:  # an invisible character belongs to the one before it (1️⃣: 1 + two marks)
            ends[-1] = index + 1
    return "".join(pieces), starts, ends


@cache
def _fold_char(char: str) -> str:
    """One character folded: invisible ones dropped, any decimal digit as 0-9, ➕ as 加, 。 as a dot, NFKC, lower.
    (Python's lower() lengthens only İ, which NFKC leaves as it is and so goes through here: the caller sees two.)"""
    code = ord(char)
    if code in _INVISIBLE or unicodedata.category(char) == "Cf":
        return ""
    if char == "➕":
        return "加"
    if char == "。":
        return "."
    if char == "丶":  # a stroke used as a separator inside ids ("yanyan丶520")
        return "_"
    if unicodedata.category(char) == "Nd":
        return str(unicodedata.decimal(char))
    return unicodedata.normalize("NFKC", char).lower()


# Numbers dressed up: circled, parenthesised, dotted, keycap, superscript or mathematical digits, and digits between
# emoji (full-width digits are only a keyboard mode). Members write prices and lists in plain digits; a run of five
# or more dressed-up numerals hides a number.
_PLAIN_NUMERAL = re.compile(r"[0-9\s.\-_·•・~*/\\|()\[\]{}<>]")


def disguised_number(text: str) -> bool:
    """Whether ``text`` writes a number of five digits or more mostly in dressed-up forms (①②③, ⑴, ⒈, 1️⃣, 𝟏, ¹,
    Chinese numerals) or with emoji between its digits: a number hidden from filters, which ordinary posts do not do.
    (Full-width digits are what a Chinese keyboard's full-width mode types: not a disguise.)"""
    run, dressed = 0, 0
    for char in text:
        code = ord(char)
        if char.isdigit() or char in _NUMERALS or unicodedata.category(char) == "No" and _numeric(char):
            run += 1
            dressed += not ("0" <= char <= "9" or "０" <= char <= "９")  # full-width: an input mode, not a disguise
            if run >= 5 and dressed >= 3:
                return True
        elif code == 0x20E3 and run:  # a keycap: the digit before it was dressed up
            dressed += 1
        elif (code in _INVISIBLE or unicodedata.category(char) in ("Cf", "Mn")
              or _PLAIN_NUMERAL.match(unicodedata.normalize("NFKC", char))):
            continue
        elif run and _EMOJI_CHAR.match(char):
            dressed += 1  # an emoji between digits dresses the number up too
        else:
            run, dressed = 0, 0
    return False


def _numeric(char: str) -> bool:
    value = unicodedata.numeric(char, -1)
    return 0 <= value < 10 and value == int(value)


_EMOJI_CHAR = re.compile(f"[{_EMOJI}\u2600-\u26ff]")


# --- the spam filter's reading: addresses and spelled-out words joined up ---------------------------------------------

# Top-level domains a text-form address may end in. "me", "in", "is" and "it" are English words, so an address is only
# taken to end in one of those when it is written with a plain dot and no spaces (which the URL rules see anyway).
TLDS = ("com|net|org|cn|vip|top|xyz|club|info|biz|shop|store|online|site|live|pro|cc|io|co|tv|gg|ly|gd|app|link|work|"
        "icu|fun|ltd|loan|health|love|bet|win|cash|life|today|world|tk|ml|ga|cf|ru|hk|tw|uk|us|de|net\\.cn|com\\.cn|"
        "support|help|click|download|services|space|website|digital|buzz|sbs|cyou|monster|quest|bond|beauty|skin|"
        "makeup|guru|email|stream|zone|asia|ws|la|su|pw|vn|sg|jp|kr|fr|au|ca|apk|finance|money|market|deals|sale")
# A dot as a word (点, dot, [.]), or a plain dot with spaces on both sides ("hongbao . vip", not "it. Com on").
_SPACED_DOT = r"(?:\s*(?:点|dot|\(dot\)|\[dot\]|\[\.\]|\(\.\)|。)\s*|\s+\.\s+|\.)"
_LABEL = r"[a-z0-9][a-z0-9-]*"
_TEXT_ADDRESS = re.compile(rf"(?<![a-z0-9-])(?:www{_SPACED_DOT})?(?:{_LABEL}{_SPACED_DOT})*(?=[a-z0-9-]*[a-z])"
                           rf"{_LABEL}{_SPACED_DOT}(?:{TLDS})(?![a-z0-9])")
_SPACED_WWW = re.compile(r"(?<![a-z0-9])w[ .]w[ .]w(?=\s*[.点。])")
_DOT_IN_ADDRESS = re.compile(_SPACED_DOT)
_SPACED_SCHEME = re.compile(r"h\W{0,3}t\W{0,3}t\W{0,3}p(?:\W{0,3}(s))?\s*[:：]\s*/\s*/\s*")
# Four or more single letters or digits with one separator between each: a word spelled out to dodge filters.
_SPELLED_OUT = re.compile(r"(?<![a-z0-9])(?:[a-z0-9][ .·*_~-]){3,}[a-z0-9](?![a-z0-9])")
_SPELLED_SEPARATOR = re.compile(r"[ .·*_~-]")
_SPACED_CJK = re.compile(rf"(?:[{_CJK}] ){{2,}}[{_CJK}]")
_LEFTOVER_EMOJI = re.compile(f"[{_EMOJI}\u2600-\u26ff]+")
# Emoji between letters or digits of one id or word ("yuan⭐yuan⭐0⭐8"): dropped, so the id reads whole.
_EMOJI_INSIDE = re.compile(f"(?<=[a-z0-9])[{_EMOJI}\u2600-\u26ff]+(?=[a-z0-9])")
_SPACES = re.compile(r"[ \t]{2,}")
# "v x", "w x": WeChat spelled apart (after normalise, "加我 v x" reads "微信 x")
_SPACED_VX = re.compile(r"(?<![a-z])[vw]\s+x(?![a-z])|(?<=微信)\s+x(?![a-z])")


# A number with letters that look like digits ("1-8O8-555-O142", "4OO 8l2"): six numerals or more, o for 0, i and l
# for 1, separators between them; it must hold three real digits and start with one ("lol 2000" is no number).
_LOOKALIKE_NUMBER = re.compile(r"(?<![a-z0-9])(?=[oil\s().-]*[0-9])(?:[0-9oil][\s().-]?){5,}[0-9oil](?![a-z0-9])")
_LOOKALIKE_DIGITS = str.maketrans("oil", "011")
# A weak messenger word (微, 薇, 威, V) just before an id spelled out letter by letter ("预约 微 w a n g j i n g").
_WEAK_BEFORE_SPELLED = re.compile(r"(?:(?<![a-z])v|薇|威|微)\s*[:：]?\s*(?=(?:[a-z0-9][ .·*_~-]){3,}[a-z0-9](?![a-z0-9]))")


def _digits_if_lookalike(match: re.Match) -> str:
    run = match.group()
    if sum(c.isdigit() for c in run) < 3 or not run[0].isdigit():
        return run
    return run.translate(_LOOKALIKE_DIGITS)


# Nicknames for the platforms members are sent to: 🍠 / 小红薯 / 红薯 / 薯号 for Xiaohongshu.
_PLATFORM_NICKNAMES = re.compile(r"\U0001f360\s*号?|小红薯|(?<![\u4e00-\u9fff])红薯(?=号|搜)|(?<![\u4e00-\u9fff])薯号")


def _platform(match: re.Match) -> str:
    return "小红书号" if match.group().rstrip().endswith("号") else "小红书"


# Leetspeak: digits and signs for the letters they look like ("ch34p d3s1gn3r b4gs", "v1agr4", "dot c0m").
_LEET_TOKEN = re.compile(r"(?<![a-z0-9])[a-z][a-z0-9@$]*[0-9@$][a-z0-9@$]*(?![a-z0-9])")
_LEET = {"0": "o", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"}
_LEET_ONE = ("i", "l")
_LEET_MIN_WORDS = 2  # one such word is a product code ("vc15"); a post in leetspeak has several


def _leet_reading(token: str) -> str | None:
    """The word a leetspeak token stands for, when it is a common English word or a top-level domain: letters only
    but for digits that stand for letters (not "spf50", not an id such as "lisa9963")."""
    if sum(c.isalpha() for c in token) < 2 or any(c.isdigit() and c not in _LEET and c != "1" for c in token):
        return None
    from wordfreq import zipf_frequency

    best, frequency = None, 0.0
    for one in _LEET_ONE:
        word = "".join(_LEET.get(c, one if c == "1" else c) for c in token)
        found = 9.0 if re.fullmatch(TLDS, word) else zipf_frequency(word, "en")
        if found > frequency:
            best, frequency = word, found
    return best if frequency >= 2.5 else None


def _unleet(text: str) -> str:
    """The text with its leetspeak read as words, when it holds at least _LEET_MIN_WORDS of them."""
    readings = {m.group(): _leet_reading(m.group()) for m in _LEET_TOKEN.finditer(text)}
    if sum(1 for word in readings.values() if word) < _LEET_MIN_WORDS:
        return text
    return _LEET_TOKEN.sub(lambda m: readings.get(m.group()) or m.group(), text)


def judging_text(text: str) -> str:
    """The text as the spam filter reads it: ``normalise`` plus joined addresses and spelled-out words, leetspeak
    read as words, no emoji."""
    folded = _PLATFORM_NICKNAMES.sub(_platform, normalise(text).text)
    unmasked = _LOOKALIKE_NUMBER.sub(_digits_if_lookalike, folded)
    if unmasked != folded:  # join the digits the letters stood between
        folded = _JOINABLE.sub("", unmasked)
    folded = _SPACED_VX.sub(lambda m: "" if m.group().strip() == "x" else WECHAT, folded)
    folded = _WEAK_BEFORE_SPELLED.sub(WECHAT + " ", folded)
    folded = _SPACED_SCHEME.sub(lambda m: "https://" if m.group(1) else "http://", folded)
    folded = _SPACED_WWW.sub("www", folded)
    folded = _EMOJI_INSIDE.sub("", folded)
    folded = _SPELLED_OUT.sub(lambda m: _SPELLED_SEPARATOR.sub("", m.group()), folded)
    folded = _SPACED_CJK.sub(lambda m: m.group().replace(" ", ""), folded)
    folded = _unleet(folded)
    folded = _TEXT_ADDRESS.sub(_address_as_one, folded)
    folded = _LEFTOVER_EMOJI.sub(" ", folded)
    return _SPACES.sub(" ", folded).strip()


def disguised_address(text: str) -> bool:
    """Whether ``text`` spells out a web address to get it past a link filter ("clearskin dot shop", "hongbao . vip",
    "xx点com"): a member who links in good faith writes the address as it is."""
    folded = normalise(text).text
    return any(_spelled(match.group()) for match in _TEXT_ADDRESS.finditer(folded))


def _spelled(found: str) -> bool:
    return not ("." in found and not any(c.isspace() for c in found) and "点" not in found and "dot" not in found)


def _address_as_one(match: re.Match) -> str:
    found = match.group()
    if not _spelled(found):
        return found  # an ordinary address (or a sentence's "end.com"): as it is
    return _DOT_IN_ADDRESS.sub(".", found)

"""Identifiers in member text, found by family and replaced by typed placeholders for the research exports.

Matching runs on the normalised text (``app.text.normalise``), so full-width digits, numbers spelled in Chinese or
broken up by emoji and the homophones for WeChat are caught; each replacement covers the matching stretch of the
original text and nothing else. The raw-text patterns at the top are the ones the spam rules still use.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Collection
from itertools import pairwise

from app.text import accounts
from app.text.addresses import address_spans, may_hold_address
from app.text.disguises import disguise_spans, may_hold_disguise, named_after_spans
from app.text.emails import STAND_IN_AT_CLUE, email_spans
from app.text.identifiers import (
    PHONE,
    chinese_digits,
    digit_family,
    is_bracketed_landline,
    is_landline,
    is_phone,
    labelled_number_spans,
)
from app.text.normalise import GAP, Normalised, normalise

# Raw-text patterns for the spam rules (app.moderation.spam), until they share the normaliser too.
CN_MOBILE_RE = re.compile(r"(?<!\d)(?:(?:\+|00)?86[-\s]?)?1[3-9]\d(?:[-\s]?\d{4}){2}(?!\d)")
INTL_PHONE_RE = re.compile(r"\(?\+\d{1,3}\)?[-\s]?\(?\d{1,4}\)?(?:[-\s]?\d{2,4}){2,4}(?!\d)")
WECHAT_RE = re.compile(r"(?:微信|weixin|wechat|vx|v信|薇信|威信|wx)\s*(?:号|id)?\s*[:：]?\s*[a-z][-_a-z0-9]{5,19}", re.IGNORECASE)
QQ_RE = re.compile(r"(?:qq|扣扣)\s*(?:号)?\s*[:：]?\s*\d{5,11}", re.IGNORECASE)


def has_phone(text: str) -> bool:
    return bool(CN_MOBILE_RE.search(text) or INTL_PHONE_RE.search(text))


# Patterns on the normalised text (lower case, canonical messenger words 微信 / qq / 微博). Group "id" is what is
# replaced: the member's words around it ("加V", "QQ群：") stay.
_ID = r"[a-z][a-z0-9_-]{5,19}(?![a-z0-9_-])"
# Spaced out: "W e n d y 8 8 8", "ab c12 345" (its digits joined by the normaliser: "ab c12345").
_SPACED_ID = r"[a-z][a-z0-9_-]{0,2}(?: [a-z0-9_-]{1,6}){1,10}(?![a-z0-9_-])"
WECHAT_ID_RE = re.compile(rf"微信\s?(?:号码?|id|名|搜索?)?{GAP}(?:是|为|(?:me|is|id is)\s(?:at\s|on\s)?|at\s|on\s)?{GAP}"
                          rf"(?P<id>{_ID}|{_SPACED_ID})")
QQ_NUMBER_RE = re.compile(rf"qq(?:\s?(?:号码?|群号?码?))?{GAP}(?:是|为|is)?{GAP}(?P<id>[1-9][0-9]{{4,10}})(?![0-9])")
# A Weibo name may be Chinese, so it needs a colon or an @ before it, or a word that announces it (叫, 是, 搜) set
# off by a space ("微博叫 一只胖橘猫", not "微博叫什么来着") unless the name is in Latin letters. It ends at a space
# or punctuation.
WEIBO_NAME_RE = re.compile(r"微博(?:号|名|id|账号|昵称)?\s*(?:(?:叫|是|为|搜索?)(?:\s*[:@]\s*@?|\s+@?|(?=[a-z]))"
                           r"|:\s*@?|@)\s*(?P<id>[\w-]{2,30})")
# Province, city letter, then five or six letters and digits (新能源 six), or four and 学/警/港/澳/挂/领; any number
# of them letters (苏J·NYBL5, 鄂JSEXC2). With no digit at all it is a plate only after a · or a 车牌 label.
PLATE_RE = re.compile(r"(?P<label>车牌号?码?\s?(?:是|:)?\s?)?(?P<id>[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼] ?"
                      r"[a-z]\s?(?P<dot>[·•・])?[.-]?\s?"
                      r"(?:[a-z0-9]{5,6}|[df]\s[0-9]{5}|[a-z0-9]{4}[学警港澳挂领试超]))(?![a-z0-9])")
DIGIT_RUN_RE = re.compile(r"(?<![0-9])(?P<plus>\+)?(?P<digits>[0-9]{5,}(?:x(?![a-z0-9]))?)(?![0-9])")
# Other platforms' accounts (小红书, 抖音, Instagram…): after the platform's name with 号/id or a colon, any id or a
# Chinese name; after the bare name ("ins lily_88"), only an id that starts with a letter and has a digit, "_" or
# "." in it, so "ins and outs", "ig account", "抖音 2024.11.11 大促" or "抖音上看到的" stay.
# A Chinese name needs a space, a colon or an @ before it ("小红书: 一只胖橘猫"): "小红书搜一下就有" and "抖音号多少" stay.
# 小红书 goes by 小红薯, 红薯 and RED too (红薯 and "red" only before 号 or id: a sweet potato and a colour stay).
# Bilibili goes by B站, 小破站 and 哔哩哔哩, and 抖音 by "tiktok 国内版".
_PLATFORM = (r"(?:(?:小红书|小红薯|红书|红薯(?=号|\s?id)|抖音|快手|豆瓣|b站|小破站|哔哩哔哩|哔站|视频号"
             r"|(?<![a-z])(?:bilibili|xhs|ig|ins|insta|instagram|tiktok|twitter|facebook|fb|douyin|dy|red(?=\s?(?:id|号)))"
             r"(?![a-z]))(?:\s?国[内际]版)?)")
_SOCIAL_ID = r"[a-z0-9][a-z0-9._-]{3,29}[a-z0-9_](?![a-z0-9_-]|\.[a-z0-9])"  # a full stop may end the sentence
SOCIAL_ID_RE = re.compile(rf"{_PLATFORM}(?:\s?(?:号|uid|id|账号|用户名|名|上?搜索?)[\s:]*(?:是|为|is)?[\s:]*|\s*[:@]\s*)@?"
                          rf"(?P<id>{_SOCIAL_ID}|(?<=[\s:@])[\u4e00-\u9fff]{{2,12}})")
BARE_SOCIAL_ID_RE = re.compile(rf"{_PLATFORM}\s*(?:is\s+|是)?@?(?P<id>(?=[a-z0-9._-]*[0-9_.])[a-z][a-z0-9._-]{{3,29}}[a-z0-9_])"
                               r"(?![a-z0-9_-]|\.[a-z0-9])")
# A profile's address on a platform: weibo.com/u/1234567890, instagram.com/name, tiktok.com/@name, a 小红书 or
# 抖音 profile.
SOCIAL_URL_RE = re.compile(r"(?:https?://)?(?:www\.|m\.)?(?P<id>(?:(?:weibo|微博)\.(?:com|cn)|instagram\.com|tiktok\.com"
                           r"|douyin\.com|xiaohongshu\.com|twitter\.com|x\.com|facebook\.com)/[\w@./-]*[\w])")
# A UK plate (AB12 CDE), in capitals as written.
UK_PLATE_RE = re.compile(r"(?<![a-z0-9])(?P<id>[a-z]{2}[0-9]{2}\s?[a-z]{3})(?![a-z0-9])")
# Travel and identity documents named as such, other than the mainland resident ID (app.text.identifiers): a
# passport (E12345678, EA1234567, a foreign one's nine digits), a Hong Kong, Macau or Taiwan identity card
# (A123456(7), A123456789), the permits of Hong Kong, Macau and Taiwan residents (回乡证 H1234567801 or C1234567,
# 港澳通行证 C12345678, 台胞证 12345678), a driving licence, a social security number: after its label, a run of
# letters and digits holding six digits or more. A date ("护照 2025-06-01 到期") is no document's number.
_DOCUMENT_LABEL = (r"(?:(?:港澳|台湾)居民)?(?:来往内地|来往大陆|往来港澳|港澳)?通行[证證]|回[乡鄉][证證]|台胞[证證]|[护護]照"
                   r"|(?:香港|澳门|澳門|台湾|台灣)身份[证證](?:字号)?|驾驶[证證]|驾驶执照|[驾駕]照|passport|hk\s?id"
                   r"|driv(?:er|ing)\S{0,2}\s?licen[cs]e|(?<![a-z])ssn(?![a-z])|social security")
DOCUMENT_RE = re.compile(rf"(?:{_DOCUMENT_LABEL})(?:\s?(?:号码?|编号|no\.?|number|#))?{GAP}(?:是|为|is|:)?{GAP}"
                         r"(?P<id>(?=[a-z]*[0-9](?:[a-z]*[0-9]){5})[a-z0-9]{6,18}(?:\(?[0-9a]\)?)?\)?)(?![a-z0-9])")
_DATE_DIGITS = re.compile(r"(?:19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])")
# A personal QQ number given beside a QQ group ("QQ群里找我，个人号 12345678", "扣扣群满了，我的私人号是 …").
QQ_PERSONAL_RE = re.compile(rf"qq\s?群[^.!?\n]{{0,20}}?(?:个人|私人|本人|小)\s?(?:号码?|qq){GAP}(?:是|为)?{GAP}"
                            r"(?P<id>[1-9][0-9]{4,10})(?![0-9])")
_HANDLES = ((WECHAT_ID_RE, "[wechat]"), (QQ_NUMBER_RE, "[qq]"), (QQ_PERSONAL_RE, "[qq]"), (WEIBO_NAME_RE, "[weibo]"))
# A phone number written in two or three pieces with words or punctuation between them ("138-0013，后面是8000",
# "call 138 0013 then 8000"): the pieces are runs of three digits or more, and what stands between two pieces is
# punctuation, or a word that says the number goes on. Anything else between them ("150 个，花了 12345678") keeps
# them apart.
_ON = (r"(?:then|and|followed by|the rest is|rest is|last (?:four|4)(?: digits)?(?: is| are)?|ending(?: in| with)?"
       r"|middle|后面(?:是|的是)?|中间(?:四位)?(?:是)?|后四位(?:是)?|尾号(?:是)?|然后(?:是)?|再加|接着(?:是)?|和|加上|剩下(?:的)?(?:是)?)")
_PIECE_GAP = rf"\s{{0,3}}(?:[,，、;；:：…~～/|]{{1,3}}|\.{{2,6}})?\s{{0,3}}(?:{_ON}\s{{0,3}}[,，:：]?\s{{0,3}})?"
SPLIT_PHONE_RE = re.compile(rf"(?<![0-9+])(?P<a>[0-9]{{3,8}})(?![0-9])(?P<gap1>{_PIECE_GAP})(?P<b>[0-9]{{3,8}})(?![0-9])"
                            rf"(?:(?P<gap2>(?![0-9]){_PIECE_GAP})(?P<c>[0-9]{{3,8}})(?![0-9]))?")
# Digits with one or two Chinese numerals among them (the normaliser spells out runs of three numerals or more):
# "1380013800零", "138001380零零". A numeral followed by a unit (八点, 八个) is a word: "1380013800 八点" stays.
_NUMERAL = "〇零一二三四五六七八九幺壹贰貳叁參肆伍陆陸柒捌玖两拐勾洞"
MIXED_NUMBER_RE = re.compile(rf"(?<![0-9+{_NUMERAL}])(?=[0-9]{{4}})(?=[0-9\s.-]*[{_NUMERAL}])[0-9{_NUMERAL}](?:[\s.-]?[0-9{_NUMERAL}]){{9,18}}"
                             rf"(?![0-9{_NUMERAL}点个块元月日号岁天次年分秒斤克折倍成])")
# A number spelled in words, English or Chinese, or partly in digits ("one three eight …", "oh seven seven double oh
# nine", "幺五零，一二三四，五六七八", "one five zero 1234 5678"): digit words and groups of digits with spaces, commas or
# dashes between them. Counting ("one two three, try it", 一三五用精华) is too short to be a phone number.
_DIGIT_WORD = r"(?:zero|oh|one|two|three|four|five|six|seven|eight|nine|double|triple)(?![a-z])"
_SPELLED_PIECE = rf"(?:{_DIGIT_WORD}|[0-9]+|[{_NUMERAL}])"
SPELLED_NUMBER_RE = re.compile(rf"(?<![a-z0-9{_NUMERAL}]){_SPELLED_PIECE}(?:[\s,，、.-]{{0,3}}{_SPELLED_PIECE}){{4,}}")
_WORD_DIGITS = {"zero": "0", "oh": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6",
                "seven": "7", "eight": "8", "nine": "9"}
_SPELLED_TOKEN = re.compile(rf"{_DIGIT_WORD}|[0-9]+|[{_NUMERAL}]")
_SPOKEN_PHONE = re.compile(r"07[1-9][0-9]{8}|1?[2-9][0-9]{2}[2-9][0-9]{6}")  # a British mobile, a North American number

_PHONE_CUE = re.compile(r"电话|手机|座机|固话|号码|致电|联系|打|call|phone|tel|ring|dial")
_TIME_BESIDE = re.compile(r"[0-9]:[0-9]")
_SHORTEST_PHONE, _LONGEST_PHONE = 10, 15  # what is_phone accepts (0086 and 11 digits is 15)

# Cheap looks at the raw text that say which families can match at all: most posts hold no run of digits, @, "at",
# messenger word or plate, and an export scrubs a million posts. (Several small searches are faster than one
# combined one: the alternation defeats the regex engine's shortcuts.)
_DIGITISH = r"\d〇零一二三四五六七八九幺壹贰貳叁參肆伍陆陸柒捌玖两拐勾洞①-⒇"
_SPELLED_AT = (r"(?=[aAａＡ艾])(?:\b[aAａＡ][tTｔＴ]\b|艾特)[\s\])）}>]*"
               r"(?:(?i:gmail|hotmail|outlook|yahoo|icloud|foxmail|protonmail)(?![\w.])|(?:[^\W_艾点]|-)+"
               r"(?:[.．。][^\W_]|\s*点|\s*[\[(（{<]\s*(?i:dot|ｄｏｔ|[.．。])|\s+(?i:dot|ｄｏｔ)\s))")
# v, q, qq, vx, wx, wb, weibo, wechat, weixin as words: led by a character class, which the engine scans for fast.
_MESSENGER_LATIN = (r"[vVqQwW](?<![A-Za-z][vVqQwW])(?i:(?<=[vq])|(?<=q)q|(?<=[vw]) ?x|(?<=w)b|(?<=w)ei\s?(?:bo|xin)"
                    r"|(?<=w)echat)(?![A-Za-z])")
_CLUES = tuple((family, re.compile(pattern).search) for family, pattern in (
    ("number", rf"[{_DIGITISH}](?:[^{_DIGITISH}]{{0,8}}[{_DIGITISH}]){{4}}"),  # five digits close together
    ("email", r"[@＠]"), ("email", _SPELLED_AT),
    ("handle", r"[微薇威卫围扣抠丘球鹅泡➕🛰溦徾🐧]"), ("handle", r"加\s*我"), ("handle", _MESSENGER_LATIN),
    ("email", r"\s[@＠]\s"),
    ("plate", r"(?<![A-Za-z0-9])[A-Z]{2}\d{2}\s?[A-Z]{3}(?![A-Za-z0-9])"),
    ("plate", r"[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼]\s?[A-Za-z]\s?(?:[·•・]|[.\-]?\s?[A-Za-z0-9]{0,5}\s?\d)"),
    ("number", rf"[{_NUMERAL}]\s?[0-9]|[0-9]\s?[{_NUMERAL}]"),  # digits and a Chinese numeral side by side
    # Full-width letters and digits, invisible characters, circled and mathematical letters: any family may hide.
    ("all", r"[\uff10-\uff19\uff20-\uff3a\uff41-\uff5a\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff\u2460-\u24ff\U0001d400-\U0001d7ff\U0001f100-\U0001f1ff]"),
))
# Platforms and identity documents are named by lists of words, which the engine tries at every position of the
# text. Each list below is searched only when a cheaper look says it could match: a character that every Chinese
# word of the list holds, or one of the Latin words' letters in the lower-cased text. A case-insensitive pattern
# takes three characters for a Latin letter that lower() does not turn into one (İ, ı for i; ſ for s:
# tests/text/test_scrub_clues.py checks all of Unicode): a text holding one is searched whatever the look says.
CASE_ODD = "\u0130\u0131\u017f"
_CASE_ODD_RE = re.compile(f"[{CASE_ODD}]")
# (family, cheap look, pattern): the pattern is searched only where the look finds something.
GUARDED_CLUES = (
    ("social", "[书薯音手瓣号站哔机报\U0001f360\U0001f3b5\U0001f3b6]",
     (r"小红书|小红薯|红书|红薯|抖音|快手|豆瓣|视频号|[bB]站|小破站|哔哩哔哩|哔站|飞机|电报|\U0001f360"
      r"|(?:抖|dou)\s?[\U0001f3b5\U0001f3b6]|薯号")),
    ("social", ("xhs", "ig", "ins", "tiktok", "bilibili", "twitter", "facebook", "fb", "douyin", "dy", "red", "tg",
                "telegram"),
     (r"(?i:(?<![a-z])(?:xhs|ig|ins|insta|instagram|tiktok|bilibili|twitter|facebook|fb|douyin|dy|red|tg|telegram)"
      r"(?![a-z]))")),
    ("social", r"\.[cC]", r"(?i:(?:weibo|instagram|tiktok|douyin|xiaohongshu|twitter|x|facebook)\.c)"),
    # One's account elsewhere, by its label (app.text.accounts.own_account_spans).
    ("social", "[号甲名叫]", r"账号|帐号|用户名|网名|小号|马甲|我叫|号也?是我"),
    ("social", ("id", "user", "account"), r"(?i:(?<![a-z])id(?![a-z])|user\s?name|account)"),
    ("document", "[照证證件卡]", (r"护照|護照|驾照|駕照|通行证|通行證|回乡证|回鄉證|台胞证|台胞證|驾驶证|驾驶执照|身份证|身份證"
                                 r"|证件|證件|卡号|卡號|银行卡|銀行卡|信用卡|储蓄卡|借记卡|行卡|邮储卡|农商卡")),
    ("number", ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"),
     rf"(?i:{_DIGIT_WORD}(?:[\s,.-]{{1,3}}{_DIGIT_WORD}){{4}})"),
    ("document", ("passport", "card", "hk", "id", "licen", "ssn", "social security"),
     (r"(?i:passport|hk\s?id|id\s?(?:card|number|no)|identity card|card\s?(?:number|no|#)|credit card|debit card"
      r"|licen[cs]e|ssn|social security)")),
)


def _guarded(look: str | tuple[str, ...], pattern: str) -> Callable[[str], bool]:
    """``pattern``'s search, run only when ``look`` (a regular expression, or words one of which the lower-cased
    text must hold) finds something."""
    search = re.compile(pattern).search
    if isinstance(look, str):
        look_search = re.compile(look).search
        return lambda text: look_search(text) is not None and search(text) is not None

    words = re.compile("|".join(map(re.escape, look))).search
    lower_search = _case_sensitive(pattern)

    def clue(text: str) -> bool:
        if text.isascii() or not _CASE_ODD_RE.search(text):
            lower = text.lower()
            if words(lower) is None:
                return False
            if lower_search is not None:
                return lower_search(lower) is not None
        return search(text) is not None

    return clue


def _case_sensitive(pattern: str) -> Callable[[str], re.Match | None] | None:
    """The search of a pattern written as one case-insensitive group of lower-case words, "(?i:…)", without the
    flag, for the lower-cased text (None for any other pattern). Where the text holds no ``CASE_ODD`` character it
    matches just where the pattern matches the text, several times faster: a case-insensitive list of words is
    tried letter by letter at every position."""
    inner = pattern[4:-1]
    if not (pattern.startswith("(?i:") and pattern.endswith(")")) or inner != inner.lower():
        return None
    try:
        return re.compile(inner).search
    except re.error:  # "(?i:a)|(?i:b)": not one group
        return None


# zip, post in any case (the letters that lower() does not make but a case-insensitive pattern matches too).
_DIGIT_SEARCH = re.compile(r"\d").search
_POSTCODE_LOOK = re.compile(r"[pPzZ](?:(?<=[zZ])[iI\u0130\u0131][pP]|(?<=[pP])[oO][sS\u017f][tT])").search
_CLUES += tuple((family, _guarded(look, pattern)) for family, look, pattern in GUARDED_CLUES)
FAMILIES = frozenset(("number", "email", "handle", "social", "document", "plate", "address", "disguise", "postcode",
                      "account"))


def scrub_contacts(text: str) -> str:
    """Replace every identifier (email, phone, ID, passport and card number, WeChat/QQ/Weibo and other platforms'
    ids, plate, street address) by its placeholder."""
    families = {family for family, clue in _CLUES if clue(text)}
    if may_hold_disguise(text):  # 围脖, wb搜, ins搜, LINE, 红薯, xATqqDOTcom, 圈 for @ (app.text.disguises)
        families.add("disguise")
    if "email" not in families and ("#" in text or "＃" in text or "在" in text) and STAND_IN_AT_CLUE.search(text):
        families.add("email")
    if may_hold_address(text, has_digits="number" in families):
        families.add("address")
    # A postcode has five digits (ZIP), six (邮编) or letters and digits (SW1A 1AA, M5V 3L9).
    if ("邮" in text or _POSTCODE_LOOK(text)) and _DIGIT_SEARCH(text):
        families.add("postcode")
    if "email" in families or "handle" in families or "/" in text:  # an @, 微博 uid, t.me/ and xhslink.com/ links
        families.add("account")
    if not families:
        return text
    spans = find_identifiers(text, FAMILIES if "all" in families else families)
    if not spans:
        return text
    pieces, last = [], 0
    for start, end, placeholder in spans:
        pieces += [text[last:start], placeholder]
        last = end
    return "".join(pieces) + text[last:]


def find_identifiers(text: str, families: Collection[str] = FAMILIES) -> list[tuple[int, int, str]]:
    """(start, end, placeholder) of each identifier of the given families in ``text``, in order, not overlapping."""
    normalised = normalise(text, messenger_words="handle" in families or "social" in families)
    found = _Found(text, normalised)
    for start, end, placeholder in accounts.account_spans(normalised.text) if "account" in families else ():
        found.add(start, end, placeholder)  # "tg @name", "小红书找我 @苏苏爱护肤", t.me/… before an email's @
    for start, end, placeholder in disguise_spans(normalised, text) if "disguise" in families else ():
        found.add(start, end, placeholder)  # first: "LINE @coco.tw" is an account, not an email
    if "email" in families:
        for start, end in email_spans(normalised.text):
            found.add(start, end, "[email]")
    for start, end, placeholder in named_after_spans(normalised.text) if "handle" in families or "social" in families else ():
        found.add(start, end, placeholder)  # "meiyan888（微信）", "2847561930 是我的qq"
    for pattern, placeholder in _HANDLES if "handle" in families else ():
        for match in pattern.finditer(normalised.text):
            if len(match.group("id").replace(" ", "")) >= 6 or placeholder != "[wechat]":
                found.add(*match.span("id"), placeholder)
    for pattern in (SOCIAL_URL_RE, SOCIAL_ID_RE, BARE_SOCIAL_ID_RE) if "social" in families else ():
        for match in pattern.finditer(normalised.text):
            found.add(*match.span("id"), "[handle]")
    for start, end in (*accounts.telegram_spans(normalised.text), *accounts.own_account_spans(normalised.text)) \
            if "social" in families else ():
        found.add(start, end, "[handle]")
    for match in DOCUMENT_RE.finditer(normalised.text) if "document" in families else ():
        if not _DATE_DIGITS.fullmatch(match.group("id")):
            found.add(*match.span("id"), "[id-number]")
    for start, end, placeholder in labelled_number_spans(normalised.text) if "document" in families else ():
        found.add(start, end, placeholder)
    for match in PLATE_RE.finditer(normalised.text) if "plate" in families else ():
        if match.group("label") or match.group("dot") or any(char.isdigit() for char in match.group("id")):
            found.add(*match.span("id"), "[plate]")
    for match in UK_PLATE_RE.finditer(normalised.text) if "plate" in families else ():
        original = text[slice(*normalised.original_span(*match.span("id")))]
        if original.replace(" ", "").isupper():
            found.add(*match.span("id"), "[plate]")
    if "address" in families:
        for start, end in address_spans(normalised.text, lambda s, e: text[slice(*normalised.original_span(s, e))]):
            found.add(start, end, "[address]")
    for start, end in accounts.postcode_spans(normalised.text) if "postcode" in families else ():
        found.add(start, end, "[postcode]")
    if "number" in families:
        _split_and_mixed_numbers(normalised.text, found)
        for start, end in accounts.lookalike_phone_spans(normalised.text):
            found.add(start, end, "[phone]")
    for match in DIGIT_RUN_RE.finditer(normalised.text):  # last: digits inside an email or a QQ id are taken
        for start, end, family in _numbers_in_run(normalised, match):
            found.add(start, end, f"[{family}]")
    return found.in_original()


class _Found:
    """Spans found in the normalised text; a later family may not take characters an earlier one took."""

    def __init__(self, original: str, normalised: Normalised) -> None:
        self.original, self.normalised = original, normalised
        self.taken = bytearray(len(normalised.text))
        self.spans: list[tuple[int, int, str]] = []

    def add(self, start: int, end: int, placeholder: str) -> None:
        if end > start and not any(self.taken[start:end]):
            self.taken[start:end] = b"\x01" * (end - start)
            self.spans.append((start, end, placeholder))

    def in_original(self) -> list[tuple[int, int, str]]:
        return sorted((*self._original(start, end), placeholder) for start, end, placeholder in self.spans)

    def _original(self, start: int, end: int) -> tuple[int, int]:
        """The original span, with an opening bracket the number's closing one pairs with: "(021) 6123 4567"."""
        original_start, original_end = self.normalised.original_span(start, end)
        before, inside = self.original[original_start - 1:original_start], self.original[original_start:original_end]
        if before in ("(", "（") and (")" in inside or "）" in inside):
            original_start -= 1
        return original_start, original_end


def _split_and_mixed_numbers(text: str, found: _Found) -> None:
    """Phone numbers in pieces ("138-0013，后面是8000", "182一4648一6162") and numbers with a Chinese numeral or two
    among the digits."""
    for start, end in accounts.dashed_phone_spans(text):
        found.add(start, end, "[phone]")
    for match in SPLIT_PHONE_RE.finditer(text):
        if _TIME_BESIDE.search(text, max(0, match.start() - 2), min(len(text), match.end() + 2)):
            continue  # times of day ("10:00-12:00 14:00-18:00"), not a number in pieces
        pieces = [match.group("a"), match.group("b")] + ([match.group("c")] if match.group("c") else [])
        for count in range(len(pieces), 1, -1):  # the longest run of pieces that is one phone number
            if is_phone("".join(pieces[:count]), (), plus=False):  # not 3-3-4: "138, 200, 8000" is a list
                found.add(match.start(), match.end("b" if count == 2 else "c"), "[phone]")
                break
    for match in SPELLED_NUMBER_RE.finditer(text):
        digits, words, repeat = "", 0, 1
        for token in _SPELLED_TOKEN.findall(match.group()):
            if token in ("double", "triple"):
                repeat = 2 if token == "double" else 3
                continue
            words += not token.isdigit()
            digits += (_WORD_DIGITS.get(token) or chinese_digits(token)) * repeat
            repeat = 1
        if words >= 3 and (is_phone(digits, (), plus=False) or _SPOKEN_PHONE.fullmatch(digits)):
            found.add(*match.span(), "[phone]")
    for match in MIXED_NUMBER_RE.finditer(text):
        if match.group().isascii():
            continue  # the numeral it looked ahead to lies beyond it: plain digits, which the labels judge (below)
        digits = chinese_digits(re.sub(r"[\s.-]", "", match.group()))
        if (family := digit_family(digits, ())) and not accounts.is_labelled_code(text, *match.span(), family):
            found.add(*match.span(), f"[{family}]")


def _numbers_in_run(normalised: Normalised, match: re.Match):
    """The numbers in a run of digits: the whole run if it is one, else phone numbers among the groups the member
    wrote it in ("13800138000 9点后" normalises to one run; "15012348765 / 13522226666" too)."""
    digits, start = match.group("digits"), match.start("digits")
    plus = match.group("plus") is not None
    cuts = _group_cuts(normalised, start, len(digits))
    family = digit_family(digits, _sizes(cuts), plus=plus)
    if family and accounts.is_labelled_code(normalised.text, match.start(), match.end(), family):
        return  # a courier's tracking number (JDVA19283746501); an order number, whatever its Luhn digit
    if family is None and len(cuts) == 2 and is_landline(digits) and _PHONE_CUE.search(
            normalised.text, max(0, match.start() - 12), match.start()):
        family = PHONE  # "电话 075512345678": a landline written in one run, said to be one
    elif family is None and normalised.text[match.start() - 1:match.start()] == "(" and is_bracketed_landline(
            digits, _sizes(cuts)):
        family = PHONE
    if family:
        yield match.start(), match.end(), family
        return
    first = 0
    while first < len(cuts) - 1:
        last = _phone_in_groups(digits, cuts, first, plus=plus and first == 0)
        if last is None:
            first += 1
            continue
        yield start + cuts[first] - (plus and first == 0), start + cuts[last], PHONE
        first = last


def _phone_in_groups(digits: str, cuts: list[int], first: int, *, plus: bool) -> int | None:
    """The end cut of the longest stretch of whole groups from ``first`` that is a phone number, if any."""
    if cuts[first + 1] - cuts[first] <= 2 and not digits.startswith("86", cuts[first]) and (
            first + 2 >= len(cuts) or cuts[first + 2] - cuts[first + 1] > 1):
        return None  # a date's month or day ("2024.05.01-2024.05.05") does not start a phone number
    for last in range(bisect_right(cuts, cuts[first] + _LONGEST_PHONE) - 1, first, -1):
        length = cuts[last] - cuts[first]
        if length < _SHORTEST_PHONE:
            return None
        if first == 0 and last == len(cuts) - 1:
            continue
        sizes = _sizes(cuts[first:last + 1]) if last - first == 3 else ()  # only 3-3-4 needs them
        if is_phone(digits[cuts[first]:cuts[last]], sizes, plus=plus):
            return last
    return None


def _group_cuts(normalised: Normalised, start: int, length: int) -> list[int]:
    """Offsets in the run where the original had something between two digits, plus both ends."""
    starts, ends = normalised.starts, normalised.ends
    inner = [offset for offset in range(1, length) if ends[start + offset - 1] != starts[start + offset]]
    return [0, *inner, length]


def _sizes(cuts: list[int]) -> tuple[int, ...]:
    return tuple(high - low for low, high in pairwise(cuts))

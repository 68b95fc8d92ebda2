"""Identifiers the eighth check found (tests/text/data/families/round8_*.tsv), on the normalised text
(``app.text.normalise``: lower case, messenger words canonical), and the codes that look like them but are not.

- Accounts: Telegram (telegram, tg, 电报, 飞机, 纸飞机) before an @name or a bare id (``telegram_spans``); an @name a few characters after a platform's name, Chinese
  names too, up to a space or punctuation ("来小红书找我 @苏苏爱护肤", "ig → @ivy_minimal_skin"); a Weibo uid
  ("微博uid u/5812349076"); personal links on t.me, line.me and the 小红书 short links (xhslink.com/a/…), which
  point at one member even though the spam rules allow the domain.
- Postcodes only after their label (邮编, 邮政编码, postcode, postal code, zip code): a Chinese six-digit code (unless
  the words after it say it names an area), a British (SW1A 1AA) or Canadian one (M5V 3L9) or an American ZIP
  (90210, 10001-1234). A bare six-digit number is an order or a price.
- Phone numbers with o for 0 and l or i for 1 among the digits ("136 o8 22 1l 45"), or 一 for the dash between
  their groups ("182一4648一6162").
- Accounts on other sites given as one's own (``own_account_spans``): a handle after ID, 账号, 用户名, 网名, 小号, 马甲,
  "我叫", username or account ("我在别的论坛的ID是 mia_lin2020", "my old account was rosie_b77"), or before "这个号",
  "这个账号", "是我的小号" ("cici_sh 这个号是我以前用的"). The handle must look like one: Latin letters with a digit,
  "_" or "." in it, or (round 12) letters only that are no English word in any use ("daydayup 这个号是我以前的", "my
  username on reddit is skincarenerd"; "my old account was deleted" stays), except after 我叫, where letters are a
  name; a product's or goods' ID (商品ID, 产品ID) is none, nor a shade (色号) or a size (小号 alone).
- Not identifiers: a courier's tracking number (JDVA19283746501, SF1234567890123, YT…) and a number after an order,
  tracking or invoice label, whatever its Luhn digit ("订单号5102938475610293847").
"""
from __future__ import annotations

import re

from app.text.identifiers import BANK_CARD, is_landline, is_phone
from app.text.words import is_english_word

_PLATFORMS = (r"(?:小红书|红书|抖音|快手|豆瓣|b站|视频号|微博|telegram|电报|(?<![a-z])(?:bilibili|xhs|ig|ins|insta|instagram"
              r"|tiktok|twitter|facebook|fb|douyin|dy|red|tg|line)(?![a-z]))")
# An @ and a name right after it ("@ 了我" is a mention of nobody): Latin, or Chinese with Latin letters and digits,
# up to a space or punctuation.
_AT_NAME = r"@(?P<id>[a-z0-9_][a-z0-9._]{1,30}[a-z0-9_](?![a-z0-9_\u4e00-\u9fff]|\.[a-z0-9])|[\u4e00-\u9fffa-z0-9_]{2,30})"
PLATFORM_AT_RE = re.compile(rf"{_PLATFORMS}[^@\n。！？!?]{{0,12}}?(?<![a-z0-9._+-]){_AT_NAME}")  # an email's @ is not one
WEIBO_UID_RE = re.compile(r"微博\s?uid\s?(?:是|为|:)?\s?(?P<id>(?:u/)?[0-9]{5,12})(?![0-9])")
LINK_RE = re.compile(r"(?<![\w.-])(?:https?://)?(?:(?:t|telegram|line)\.me/[\w/~.+-]*[\w]|xhslink\.com/[\w/]*\w)")
# Chinese codes are six digits starting 0-8; American ZIPs five (the normaliser joins ZIP+4 into nine); British
# (SW1A 1AA) and Canadian (M5V 3L9) ones letters and digits.
POSTCODE_RE = re.compile(r"(?<![a-z])(?:邮政编码|邮编|post(?:al)?\s?code|zip\s?code|zip)(?![a-z])(?P<said>\s?(?:is|号码?|是|为))?"
                         r"(?P<gap>\s?:?\s?)(?P<id>(?P<cn>[0-8][0-9]{5})(?![0-9a-z])|[0-9]{5}(?:[0-9]{4})?(?![0-9a-z])"
                         r"|[a-z]{1,2}[0-9][a-z0-9]?\s?[0-9][a-z]{2}(?![a-z0-9])|[a-z][0-9][a-z]\s?[0-9][a-z][0-9](?![a-z0-9]))")
# A labelled Chinese code is replaced wherever it stands, also bare ("邮编 200030"): privacy first, since a code and
# a few other details narrow a member down to a few streets. It stays only where the words after it say it names an
# area ("邮编 100871 的那个区", "…一带", "…附近").
_NAMES_AREA = re.compile(r"\s?(?:的(?:那个|这个)?(?:区|片|地方|学校|小区|一带)|一带|附近|那(?:边|片|块)|片区|地区|是哪)")
POSTCODE_CLUE = re.compile(r"邮编|邮政编码|(?i:post(?:al)?\s?code|zip)").search
# Couriers' prefixes: 京东 (JD, JDV, JDVA…), 顺丰 SF, 圆通 YT, 中通 ZT(O), 韵达 YD, 申通 STO, EMS, 极兔 JT, 德邦 DPK.
# A mobile number glued to two letters ("jd13800138000") is still a phone number: after the bare prefixes, 12 digits.
TRACKING_RE = re.compile(r"(?<![a-z0-9])(?:jd[a-z]{1,3}[0-9]{10,16}|(?:jd|sf|yt|yto|zt|zto|yd|sto|ems|jt|dpk)[0-9]{12,16})"
                         r"(?![0-9])")
# The label may carry a word for "number" and an aside in brackets ("订单编号（淘宝app里复制的）", "order number
# (taobao):"), or follow the number in brackets ("…（订单编号）").
_ORDER_WORD = r"(?:订单|单号|运单|物流|快递|发票|order|tracking|invoice)"
ORDER_LABEL_RE = re.compile(rf"{_ORDER_WORD}(?:编号|号码|号|\s?(?:number|no\.?|#))?(?:\s?\([^()\n]{{1,24}}\))?[^0-9\n]{{0,6}}$")
ORDER_AFTER_RE = re.compile(rf"\s?\(\s?(?:是)?{_ORDER_WORD}")
# Telegram by its name, tg, 电报 and 飞机 / 纸飞机 (its paper-plane logo), with or without an @: after a label
# (号, id, a colon, 搜, 联系) any id of five characters or more; after the bare word only one with a digit, "_" or "."
# in it, so "飞机上不能带" and "took a plane 飞机 to tokyo" stay.
_ID_MARK = re.compile(r"[0-9_.]")
TELEGRAM_RE = re.compile(r"(?:telegram|(?<![a-z])tg(?![a-z])|电报|纸?飞机)(?P<label>\s?(?:号|id|账号|用户名|username))?"
                         r"\s?(?P<said>:|是|为|上?搜索?|联系|私聊|私信|找我)?\s?@?"
                         r"(?P<id>[a-z][a-z0-9_.]{3,31}[a-z0-9_])(?![a-z0-9_]|\.[a-z0-9])")
_HANDLE = r"(?P<id>[a-z][a-z0-9_.]{2,30}[a-z0-9_])(?![a-z0-9_]|\.[a-z0-9])"
OWN_ACCOUNT_RE = re.compile(r"(?P<label>(?<![a-z品物备])id|(?<![品物])账号|帐号|用户名|网名|小号|马甲|我叫|user\s?name|account)"
                            r"(?:(?:\s[a-z]+){0,2}\s(?:was|is)(?:\scalled)?|\s?(?:是|为|叫|:))?\s?@?" + _HANDLE)
ACCOUNT_BEFORE_RE = re.compile(r"(?<![a-z0-9_.@])" + _HANDLE + r"\s?(?:(?:这个|那个)?(?:号|账号|帐号)也?是我"
                               r"|是我的?(?:小号|大号|马甲|账号|帐号|号))")
# 一 ("one") typed for a dash, it being the dash on a Chinese keyboard: "182一4648一6162". Read so only where the
# digits without it make a phone number; app.text.scrub's MIXED_NUMBER_RE reads it as the digit.
ONE_AS_DASH_RE = re.compile(r"(?<![0-9])(?P<a>[0-9]{2,4})\s?一\s?(?P<b>[0-9]{2,8})(?:\s?一\s?(?P<c>[0-9]{2,8}))?(?![0-9])")
# Six numerals or more among which o, i or l stand for digits; it starts with a real digit and holds seven.
LOOKALIKE_PHONE_RE = re.compile(r"(?<![a-z0-9])[0-9](?:[\s().-]?[0-9oil]){9,14}(?![a-z0-9])")
_LOOKALIKE = str.maketrans("oil", "011", " ().-")


def account_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, placeholder) in the normalised text of the accounts and links above."""
    found = [(*match.span(), "[handle]") for match in LINK_RE.finditer(text)]
    found += [(*match.span("id"), "[weibo]") for match in WEIBO_UID_RE.finditer(text)]
    found += [(*match.span("id"), "[weibo]" if match.group().startswith("微博") else "[handle]")
              for match in PLATFORM_AT_RE.finditer(text)]
    return found


def postcode_spans(text: str) -> list[tuple[int, int]]:
    """Postcodes after their label; a Chinese one only where it is given for mail (above)."""
    spans = []
    for match in POSTCODE_RE.finditer(text):
        if match.group("cn") and _NAMES_AREA.match(text, match.end()):
            continue
        spans.append(match.span("id"))
    return spans


def lookalike_phone_spans(text: str) -> list[tuple[int, int]]:
    """Phone numbers with letters for some digits; a run of real digits is the other rules' business."""
    spans = []
    for match in LOOKALIKE_PHONE_RE.finditer(text):
        run = match.group()
        letters = sum(char in "oil" for char in run)
        if 1 <= letters <= 4 and is_phone(run.translate(_LOOKALIKE), (), plus=False):
            spans.append(match.span())
    return spans


def is_labelled_code(text: str, start: int, end: int, family: str) -> bool:
    """Whether the digits at start..end, read as ``family``, belong to a courier's tracking number, or are a card
    number by its Luhn digit alone after an order, tracking or invoice label. A phone number after 订单 stays a
    phone number: "订单有问题打 138…"."""
    if family == BANK_CARD and (ORDER_LABEL_RE.search(text, max(0, start - 48), start)
                                or ORDER_AFTER_RE.match(text, end)):
        return True
    return any(match.start() < start and match.end() >= end
               for match in TRACKING_RE.finditer(text, max(0, start - 5), min(len(text), end + 1)))


def telegram_spans(text: str) -> list[tuple[int, int]]:
    """Telegram accounts after the messenger's name (above)."""
    return [match.span("id") for match in TELEGRAM_RE.finditer(text)
            if match.group("label") or match.group("said") or _ID_MARK.search(match.group("id"))]


def dashed_phone_spans(text: str) -> list[tuple[int, int]]:
    """Phone numbers with 一 between their groups (above)."""
    spans = []
    for match in ONE_AS_DASH_RE.finditer(text):
        digits = "".join(match.group("a", "b", "c")[:3 if match.group("c") else 2])
        if is_phone(digits, (), plus=False) or is_landline(digits):
            spans.append(match.span())
    return spans


def own_account_spans(text: str) -> list[tuple[int, int]]:
    """Handles of the member's accounts elsewhere, by the words around them (above)."""
    return [match.span("id") for pattern in (OWN_ACCOUNT_RE, ACCOUNT_BEFORE_RE) for match in pattern.finditer(text)
            if _ID_MARK.search(match.group("id")) or _letters_handle(match)]


def _letters_handle(match: re.Match) -> bool:
    """Whether a handle of Latin letters only ("daydayup 这个号是我以前的", "my old account was daydayup") is one: no
    English word in any use (Zipf 2.5: "deleted", "login", "private" stay), and not after 我叫, where letters are a
    name (the names book's) or a word ("我叫 uber")."""
    from wordfreq import zipf_frequency

    handle = match.group("id")
    if not handle.isalpha() or "label" in match.re.groupindex and match.group("label") == "我叫":
        return False
    return not is_english_word(handle) and zipf_frequency(handle, "en") < 2.5

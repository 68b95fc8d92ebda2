"""Contact details in the disguises members use to slip them past a moderator, found on the normalised text
(``app.text.normalise``: lower case, 围脖 and 薇博 read 微博) as a pass of their own before the other families.

- Weibo by its nicknames (wb, 微bo, 围脖, 薇博, vb): after 搜, 叫, 是, 同名 or a colon ("wb搜 一只胖橘猫",
  "围脖同名：奶茶三分糖"), an @ a few characters on ("去围脖找我 @小鹿乱撞"), or a bare account that has a digit,
  "_" or "." in it ("围脖 lily_makeup88").
- Instagram (ins, insta, ig), LINE (and 賴, its Taiwanese name) and 小红书 (红薯, 小红薯) the same way, also glued to
  Chinese ("关注我ig lily_88", "ins搜 coco_li_"); a Chinese account name only for 小红书, whose names are Chinese.
- Emails with AT and DOT in capitals glued to the words ("naicha3ATqqDOTcom"), or 圈 for @ ("naicha3圈qq.com",
  "sunyue2000 圈 163 点 com").
- Plates whose letter the normaliser reads as a messenger (京Q12345: q is QQ's short name).
- WeChat by its colour (绿色软件, 绿色app, 绿色聊天软件, 绿软) before an id that has a digit, "_" or "-" in it, a
  few words between at most ("绿色软件找我：meiyan888", "在绿色app上加我 tina_1990").
- (``named_after_spans``, searched with the messenger families) An id with its platform named after it: in brackets ("搜 meiyan888（微信）", "2847561930（QQ）", "lily_88（小红书）")
  or as "是我的微信" ("yuki0521 是我的微信", "12345678 是我扣扣").

Near misses stay: portable software (绿色软件 potplayer, 绿色版), 微信支付 in brackets, a scarf (围脖织好了), "ins风", an eyeliner's line, "line 2", a roast sweet potato (烤红薯), 朋友圈
and 黑眼圈, "ATM", a grade-A scenic spot (京A级): a platform word needs an account after it, 圈 a Latin name before it
and a mail domain after it, AT a name glued on both sides and written in capitals.
"""
from __future__ import annotations

import re

from app.text.normalise import Normalised

# Cheap looks at the raw text (most posts hold none of these), each led by a character or a class the regex engine
# scans for fast.
_LATIN_CLUE, _CHINESE_CLUE, _CIRCLE_CLUE, _AT_CLUE, _PLATE_CLUE = (re.compile(pattern).search for pattern in (
    r"[wWvViIlL](?<![A-Za-z][wWvViIlL])(?:[bB]|[nN][sS](?:[tT][aA])?|[gG]|[iI][nN][eE])(?![A-Za-z])",  # wb ins ig line
    r"微bo|围脖|薇博|微博|红薯|賴",
    r"圈(?:(?<=[A-Za-z0-9]圈)|(?<=[A-Za-z0-9][\s(\[]圈))",
    r"AT(?<=[A-Za-z0-9_]AT)(?=[A-Za-z0-9])",
    r"[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼]\s?[QqVvWw]",
))
_GREEN_CLUE = re.compile(r"绿(?:色的?(?:聊天)?(?:软件|[aA][pP][pP]|应用)|软)").search  # WeChat by its colour


def may_hold_disguise(text: str) -> bool:
    """Whether the raw text could hold a disguised contact at all."""
    return bool(_CHINESE_CLUE(text) or _LATIN_CLUE(text) or _PLATE_CLUE(text) or _CIRCLE_CLUE(text) or _AT_CLUE(text)
                or _GREEN_CLUE(text))


_LATIN_ID = r"[a-z0-9][a-z0-9._-]{2,29}(?<![.-])(?![a-z0-9_-]|\.[a-z0-9])"  # a full stop may end the sentence
_MARKED_ID = r"(?=[a-z0-9._-]*[0-9_.])[a-z][a-z0-9._-]{3,29}(?<![.-])(?![a-z0-9_-]|\.[a-z0-9])"  # lily_88, mia.glow
_CHINESE_NAME = r"[\u4e00-\u9fffa-z0-9_-]{2,30}"  # up to a space or punctuation: 一只胖橘猫, 小鹿乱撞lu
_SAYS = r"(?:搜索?|叫|是|为|同名|is)"


def _platform_re(words: str, *, chinese: bool) -> re.Pattern:
    """An account on a platform: after a colon or an @; after 搜/叫/是/同名 (a Chinese name only after a space or
    colon); a bare account with a digit, "_" or "."; or an @ a few characters after the platform's name."""
    latin = rf"{_LATIN_ID}(?![\u4e00-\u9fff])"  # "Coco的护肤日记" is one Chinese name
    name = rf"(?:{latin}|{_CHINESE_NAME})" if chinese else _LATIN_ID
    spaced = rf"(?:{latin}|(?<=[\s:@]){_CHINESE_NAME})" if chinese else _LATIN_ID
    return re.compile(
        rf"(?<![a-z]){words}(?![a-z])(?:\s?的?(?:号|id|账号|名|昵称)(?![a-z]))?"
        rf"(?:\s?{_SAYS}?\s?[:@]\s?@?(?P<a>{name})|\s?{_SAYS}\s?@?(?P<b>{spaced})|\s+@?(?P<c>{_MARKED_ID})"
        rf"|[^\s@:\n]{{1,6}}\s?@(?P<d>{name}))")


WEIBO_RE = _platform_re(r"(?:微博|wb|vb|微bo|weibo)", chinese=True)
RED_RE = _platform_re(r"(?:小红薯|红薯|小红书)", chinese=True)
OTHER_RE = _platform_re(r"(?:instagram|insta|ins|ig|line|賴)", chinese=False)

# WeChat by its colour, then a few words ("找我：", "上加我", "，号是") and an id with a digit, "_" or "-" in it.
_WECHAT_MARKED_ID = r"(?=[a-z0-9_-]*[0-9_-])[a-z][a-z0-9_-]{5,19}(?![a-z0-9_-])"
GREEN_RE = re.compile(r"(?:绿色的?(?:聊天)?(?:软件|app|应用)|绿软)(?:上|里)?(?:找我|加我|联系我|私我|私聊)?\s?[,:]?\s?"
                      rf"(?:搜索?|号码?|id)?\s?(?:是|为)?\s?:?\s?(?P<id>{_WECHAT_MARKED_ID})")
# An id with its platform named right after it: "meiyan888（微信）", "2847561930 (qq)", "yuki0521 是我的微信".
NAMED_AFTER_RE = re.compile(
    r"(?<![a-z0-9_.-])(?:(?P<number>[1-9][0-9]{4,10})|(?P<id>(?=[a-z0-9._-]*[0-9_])[a-z][a-z0-9._-]{3,29}))"
    r"\s?(?:[(\[【]\s?(?P<bracketed>微信|qq|v|小红书|微博)号?\s?[)\]】]|是我的?\s?(?P<said>微信|qq|v|小红书|微博)(?![a-z])"
    r"|(?<=[0-9_])\s(?P<trailing>微信)(?=\s*(?:$|[,.!?;。，！？；\n])))")
_NAMED_PLACEHOLDER = {"微信": "[wechat]", "v": "[wechat]", "qq": "[qq]", "小红书": "[handle]", "微博": "[weibo]"}

_PROVIDER = (r"(?:gmail|googlemail|outlook|hotmail|live|yahoo|icloud|foxmail|protonmail|qq|163|126|yeah|sina|sohu"
             r"|139|189|aliyun|[a-z0-9-]{2,20}?)")
_TLD = r"(?:com|net|org|cn|edu|hk|tw|jp|uk|io|co|me)(?:(?:\.|dot)(?:cn|hk|tw|uk|jp))?(?![a-z0-9])"
GLUED_AT_RE = re.compile(rf"(?<![\w.+-])[a-z0-9][a-z0-9._+-]{{0,30}}?(?P<at>at){_PROVIDER}(?P<dot>\.|dot){_TLD}")
CIRCLE_AT_RE = re.compile(rf"(?<![\w.+-])[a-z0-9][a-z0-9._+-]{{1,30}}\s?(?:圈|\(圈\)|\[圈\])\s?{_PROVIDER}"
                          rf"\s?(?:\.|点|dot)\s?{_TLD}")

_PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
MESSENGER_PLATE_RE = re.compile(rf"[{_PROVINCES}] ?(?:qq|微信|[a-z])\s?[·•・.-]?\s?[a-z0-9]{{5,6}}(?![a-z0-9])")
_RAW_PLATE = re.compile(rf"[{_PROVINCES}]\s?[A-Za-z]\s?[·•・.-]?\s?(?=[A-Za-z]*\d)[A-Za-z0-9]{{5,6}}")


def disguise_spans(normalised: Normalised, original: str) -> list[tuple[int, int, str]]:
    """(start, end, placeholder) in the normalised text of each disguised contact, in the order found."""
    text = normalised.text

    def written(start: int, end: int) -> str:
        return original[slice(*normalised.original_span(start, end))]

    found = []
    for pattern in (GLUED_AT_RE, CIRCLE_AT_RE):
        for match in pattern.finditer(text):
            if pattern is GLUED_AT_RE and (written(*match.span("at")) != "AT"
                                           or match.group("dot") == "dot" and written(*match.span("dot")) != "DOT"):
                continue  # "greatqq.com" is a word; only capitals glued on mark the disguise
            found.append((*match.span(), "[email]"))
    for pattern, placeholder in ((WEIBO_RE, "[weibo]"), (RED_RE, "[handle]"), (OTHER_RE, "[handle]")):
        for match in pattern.finditer(text):
            group = next(name for name in "abcd" if match.group(name) is not None)
            found.append((*match.span(group), placeholder))
    for match in GREEN_RE.finditer(text):
        found.append((*match.span("id"), "[wechat]"))
    for match in MESSENGER_PLATE_RE.finditer(text):
        if _RAW_PLATE.fullmatch(written(*match.span()).strip()):
            found.append((*match.span(), "[plate]"))
    return found


def named_after_spans(text: str) -> list[tuple[int, int, str]]:
    """Ids followed by the name of their platform, in the normalised text (the messenger families' clues say when
    to look): a number for QQ, a letter first for the others."""
    found = []
    for match in NAMED_AFTER_RE.finditer(text):
        placeholder = _NAMED_PLACEHOLDER[match.group("bracketed") or match.group("said") or match.group("trailing")]
        if (placeholder == "[qq]") == (match.group("number") is not None):
            found.append((*match.span("number" if match.group("number") else "id"), placeholder))
    return found

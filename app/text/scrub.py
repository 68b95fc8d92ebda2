"""Contact details in member text: patterns shared by the spam rules and the research exports."""
from __future__ import annotations

import re

# The look-behind starts a match only where a run of word characters starts: without it, a long run (Chinese text
# has no spaces) is rescanned from every character, which is quadratic.
EMAIL_RE = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
CN_MOBILE_RE = re.compile(r"(?<!\d)(?:(?:\+|00)?86[-\s]?)?1[3-9]\d(?:[-\s]?\d{4}){2}(?!\d)")
INTL_PHONE_RE = re.compile(r"\(?\+\d{1,3}\)?[-\s]?\(?\d{1,4}\)?(?:[-\s]?\d{2,4}){2,4}(?!\d)")
LOCAL_PHONE_RE = re.compile(r"(?<!\d)(?<!\d[-\s])(?:\(\d{2,4}\)\s?|0\d{2,3}[-\s])\d{3,4}[-\s]?\d{4}(?!\d)(?![-\s]\d)"  # (010) / 021 6888 8888
                            r"|(?<!\d)\d{3}[-.]\d{3}[-.]\d{4}(?!\d)")
# Emails written to dodge filters: "bob at example dot com", "bob [at] example.com", "bob(at)qq.com", "bob艾特qq点com",
# "bob @ example.com". The top-level domain must be letters, so "3 at 5.50" stays.
_AT = r"(?:\s*[\[(（{<]\s*(?:at|@|艾特)\s*[\])）}>]\s*|\s*艾特\s*|\s+@\s*|@\s+)"  # unmistakable ways to write @
# A plain " at " is ordinary English ("I bought it at tmall.com"): it stands for @ only when the dot is spelled out
# too ("bob at example dot com") or an address-like name is at a mail provider ("zhang.san at 163.com"). A bare @
# with a spelled-out dot ("bob@163点com") is caught here too; a plain one is EMAIL_RE's.
_PLAIN_AT = r"\s+at\s+"
# With a plain " at " before a provider, the local part must look like an address (a digit, ".", "_" or "+"):
# "zhang.san at 163.com" is an email, "news at 163.com" and "sign in at outlook.com" are not.
# Or it follows a word that announces an address ("我的邮箱是alice at gmail.com", "email: alice at gmail.com").
_ANNOUNCED = "|".join(f"(?<={word})" for word in (
    "邮箱", "邮箱是", "邮箱:", "邮箱：", "邮件", "邮件:", "邮件：", "email ", "email:", "email: ", "e-mail ", "mail ",
    "mail:", "mail: "))
_SPELLED_DOT = r"(?:\s*[\[(（{<]\s*(?:dot|点|\.)\s*[\])）}>]\s*|\s+dot\s+|\s*点\s*)"
_MAIL_PROVIDER = (r"(?:gmail|googlemail|outlook|hotmail|live|msn|yahoo|icloud|me|aol|proton|protonmail|gmx|qq|foxmail"
                  r"|163|126|yeah|sina|sohu|139|189|wo|aliyun)")
_DOT = rf"(?:\.|{_SPELLED_DOT})"
# Neither the local part nor a label can hold what stands for @ or the dot (艾特, 点): with only one way to split the
# text, a failed match backtracks linearly instead of quadratically or worse. A match may also start right after 艾.
_LOCAL_START = r"(?:(?<![\w.+-])|(?<=艾))"
_LOCAL_CHAR = r"(?:[^\W艾]|[.+-])"
_LOCAL = rf"{_LOCAL_START}{_LOCAL_CHAR}+"
_ADDRESS_LOCAL = rf"(?:(?:{_ANNOUNCED})|{_LOCAL_START}(?={_LOCAL_CHAR}*[\d._+])){_LOCAL_CHAR}+"
_LABEL = r"(?:[^\W点艾]|-)+"
_TLD = r"[a-z]{2,24}(?![a-z0-9-])"
OBFUSCATED_EMAIL_RE = re.compile(
    rf"{_LOCAL}(?:{_AT}{_LABEL}(?:{_DOT}{_LABEL})*{_DOT}{_TLD}"
    rf"|(?:{_PLAIN_AT}|@){_LABEL}(?:{_DOT}{_LABEL})*{_SPELLED_DOT}{_TLD})"
    rf"|{_ADDRESS_LOCAL}{_PLAIN_AT}{_MAIL_PROVIDER}(?:{_DOT}{_TLD})+", re.IGNORECASE)
WECHAT_RE = re.compile(r"(?:微信|weixin|wechat|vx|v信|薇信|威信|wx)\s*(?:号|id)?\s*[:：]?\s*[a-z][-_a-z0-9]{5,19}", re.IGNORECASE)
QQ_RE = re.compile(r"(?:qq|扣扣)\s*(?:号)?\s*[:：]?\s*\d{5,11}", re.IGNORECASE)

# Cheap looks at the raw text (full-width forms included) that say which scrubbers can match at all: most posts hold
# no digit, @, "at" or messenger keyword, and an export scrubs a million posts. (Four small searches are faster
# than one combined one: the alternation defeats the regex engine's shortcuts.)
_DIGIT = r"\d"  # also matches full-width digits
_AT_SIGN = r"[@＠]"
# "at" or 艾特, then something shaped like a domain: a label and a dot (". " ends a sentence, not a domain).
_SPELLED_AT = (r"(?=[aAａＡ艾])(?:\b[aAａＡ][tTｔＴ]\b|艾特)[\s\])）}>]*(?:[^\W_艾点]|-)+"
               r"(?:[.．。][^\W_]|\s*点|\s*[\[(（{<]\s*(?i:dot|ｄｏｔ|[.．。])|\s+(?i:dot|ｄｏｔ)\s)")
_KEYWORD = (r"(?=[微薇威扣wWvVqQｗＷｖＶｑＱ])(?:微信|薇信|威信|扣扣"
            r"|(?i:weixin|wechat|vx|v信|wx|qq|ｗｅｉｘｉｎ|ｗｅｃｈａｔ|ｖｘ|ｖ信|ｗｘ|ｑｑ))")
_CLUES = {name: re.compile(pattern).search for name, pattern in (
    ("digit", _DIGIT), ("at_sign", _AT_SIGN), ("spelled_at", _SPELLED_AT), ("keyword", _KEYWORD))}

SCRUBBERS = (  # (pattern, placeholder, clues that must be present for it to match), applied in this order
    (EMAIL_RE, "[email]", ("at_sign",)),
    (OBFUSCATED_EMAIL_RE, "[email]", ("at_sign", "spelled_at")),
    (WECHAT_RE, "[wechat]", ("keyword",)),
    (QQ_RE, "[qq]", ("keyword",)),
    (INTL_PHONE_RE, "[phone]", ("digit",)),
    (CN_MOBILE_RE, "[phone]", ("digit",)),
    (LOCAL_PHONE_RE, "[phone]", ("digit",)),
)


def has_phone(text: str) -> bool:
    return bool(CN_MOBILE_RE.search(text) or INTL_PHONE_RE.search(text))


# Full-width forms (１３８…, ＠, ＋, ideographic space) typed with Chinese input methods, folded one character to one
# character so that a match in the folded text marks the same span in the original.
_FOLD_WIDE = {0xFF01 + i: 0x21 + i for i in range(94)} | {0x3000: 0x20, 0x3002: 0x2E}  # 。 is a dot too


def scrub_contacts(text: str) -> str:
    """Replace emails, phone numbers and WeChat/QQ ids (also in full-width characters) with placeholders."""
    present = {name for name, search in _CLUES.items() if search(text)}
    if not present:
        return text
    todo = [(pattern, placeholder) for pattern, placeholder, clues in SCRUBBERS if present.intersection(clues)]
    folded = text.translate(_FOLD_WIDE)
    for pattern, placeholder in todo:
        pieces, last = [], 0
        for match in pattern.finditer(folded):
            pieces += [text[last:match.start()], placeholder]
            last = match.end()
        if pieces:
            text = "".join(pieces) + text[last:]
            folded = text.translate(_FOLD_WIDE)
    return text

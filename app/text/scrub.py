"""Contact details in member text: patterns shared by the spam rules and the research exports."""
from __future__ import annotations

import re

EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
CN_MOBILE_RE = re.compile(r"(?<!\d)(?:\+?86[-\s]?)?1[3-9]\d(?:[-\s]?\d{4}){2}(?!\d)")
INTL_PHONE_RE = re.compile(r"\+\d{1,3}[-\s]?\(?\d{1,4}\)?(?:[-\s]?\d{2,4}){2,4}(?!\d)")
LOCAL_PHONE_RE = re.compile(r"(?<!\d)(?:\(\d{2,4}\)\s?|0\d{2,3}-)\d{3,4}[-\s]?\d{4}(?!\d)|(?<!\d)\d{3}[-.]\d{3}[-.]\d{4}(?!\d)")
WECHAT_RE = re.compile(r"(?:微信|weixin|wechat|vx|v信|薇信|威信|wx)\s*(?:号|id)?\s*[:：]?\s*[a-z][-_a-z0-9]{5,19}", re.I)
QQ_RE = re.compile(r"(?:qq|扣扣)\s*(?:号)?\s*[:：]?\s*\d{5,11}", re.I)

SCRUBBERS = (
    (EMAIL_RE, "[email]"),
    (WECHAT_RE, "[wechat]"),
    (QQ_RE, "[qq]"),
    (INTL_PHONE_RE, "[phone]"),
    (CN_MOBILE_RE, "[phone]"),
    (LOCAL_PHONE_RE, "[phone]"),
)


def has_phone(text: str) -> bool:
    return bool(CN_MOBILE_RE.search(text) or INTL_PHONE_RE.search(text))


# Full-width forms (１３８…, ＠, ＋, ideographic space) typed with Chinese input methods, folded one character to one
# character so that a match in the folded text marks the same span in the original.
_FOLD_WIDE = {0xFF01 + i: 0x21 + i for i in range(94)} | {0x3000: 0x20}
# Every scrubbed detail holds a digit, an @ or a WeChat/QQ keyword: text without any is left alone after one search.
_CANDIDATE_RE = re.compile(r"[\d@]|微信|weixin|wechat|vx|v信|薇信|威信|wx|qq|扣扣", re.I)


def scrub_contacts(text: str) -> str:
    """Replace emails, phone numbers and WeChat/QQ ids (also in full-width characters) with placeholders."""
    folded = text.translate(_FOLD_WIDE)
    if not _CANDIDATE_RE.search(folded):
        return text
    for pattern, placeholder in SCRUBBERS:
        pieces, last = [], 0
        for match in pattern.finditer(folded):
            pieces += [text[last:match.start()], placeholder]
            last = match.end()
        if pieces:
            text = "".join(pieces) + text[last:]
            folded = text.translate(_FOLD_WIDE)
    return text

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


def scrub_contacts(text: str) -> str:
    """Replace emails, phone numbers and WeChat/QQ ids with placeholders."""
    for pattern, placeholder in SCRUBBERS:
        if pattern.search(text):
            text = pattern.sub(placeholder, text)
    return text

"""What a post's text says about spam once normalised: its links and their domains, contact details, contact phrases.

Everything here reads ``judging_text`` (app.text.normalise), so "hongbao . vip", "ｖｘ：abc123" and "加 薇 xin" look
the same as the plain forms. Pure functions: no database.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from app.text.normalise import TLDS, judging_text
from app.text.scrub import EMAIL_RE, QQ_NUMBER_RE, WECHAT_ID_RE, has_phone

# Written-out addresses with a scheme or www, and bare domains ending in a known top-level domain (not an email's).
URL_RE = re.compile(r"(?:https?://|www\.)[^\s<>()\"'，。！？、]+", re.IGNORECASE)
BARE_DOMAIN_RE = re.compile(rf"(?<![@\w.-])(?:[a-z0-9-]+\.)+(?:{TLDS})(?![\w-])(?:/[^\s<>()\"'，。]*)?")
SHORTENERS = ("bit.ly", "t.co", "tinyurl.com", "goo.gl", "ow.ly", "is.gd", "t.cn", "dwz.cn", "url.cn", "suo.im",
              "cutt.ly", "rb.gy", "shorturl.at", "s.id", "tiny.cc", "v.gd", "t.ly", "bl.ink")
# A shortened link written without a scheme ("is.gd/abc"): the shortener's name and a path.
SHORT_LINK_RE = re.compile(r"(?<![\w.-])(?:" + "|".join(re.escape(s) for s in SHORTENERS) + r")/[^\s<>()\"']+")
_HOST_RE = re.compile(r"^(?:https?://)?([^/:?#\s]+)")
# Messenger handles and ids that are not WeChat or QQ (both found by the scrubber's patterns).
OTHER_HANDLE_RE = re.compile(r"(?<![a-z])(?:telegram|tg|whatsapp|skype|icq|line|kik)\s*(?:id)?\s*[:：@]\s*@?[a-z0-9_.+]{4,}"
                             r"|(?<![a-z])t\.me/\w+"
                             r"|(?<![a-z])dm\s+(?:me\s+)?@[a-z0-9_.]{3,}"
                             r"|(?<![a-z])(?:instagram|insta|ig|ins|twitter|tiktok|facebook|fb|snapchat|微博|抖音|小红书)(?:\s*on)?"
                             r"[^@\n]{0,6}@[^\s@,，。]{3,}"
                             r"|\+\d{1,3}[\s-]?\d{3}[\s-]?\d{3}[\s-]?\d{3,4}")
# Phrases that invite a private channel or money: they make contact details a sales pitch.
CONTACT_PHRASE_RE = re.compile(
    r"微信\s*(?:了解|咨询|详聊|私聊)|加\s*(?:我|群)|私聊我?|私信我?|联系(?:我|方式)?|扫码|进群|代购|刷单|兼职日结|日结|"
    r"(?<![a-z])(?:dm|message|text|contact|whatsapp|telegram|email)\s+(?:me|us|him|her)(?![a-z])",
    re.IGNORECASE)
# Where a spammer points instead of writing an id: their avatar, signature or profile, a group number, "reply 1".
POINTER_RE = re.compile(r"看我(?:头像|签名|主页|朋友圈)|(?:见|看|在)我?(?:的)?(?:签名|主页|头像)|私我|滴滴我?|找我(?:拿|领|要)|"
                        r"扣\s*[\"“]?1|群号|进群|拉你进|(?:小红薯|抖音|快手|围脖|公众号)\s*搜|关注我|绿色?泡泡|留言秒回|"
                        r"check my (?:profile|page|bio|pics)|link in (?:my )?bio|dm me|message me", re.IGNORECASE)
# A messenger word with an id or number close after it, however it is spaced ("微信: qy 1386629", "qq 群 5532018").
LOOSE_ID_RE = re.compile(r"(?:微信|qq|企鹅|群号?|telegram|whatsapp|(?<![a-z])v\s*[:：])[^\n。，,!！?？]{0,12}?(?=[a-z0-9_]*\d)[a-z0-9_]{5,}")


# What a member quotes rather than says: quoted lines ("> ...") and text in quotation marks. Members who report an
# ad quote it ("举报：那条“加V：lm88520”是广告"); an established member's quotes are not read as their own words.
QUOTED_RE = re.compile(r"^\s*>.*$|“[^”\n]{0,300}”|\"[^\"\n]{0,300}\"|「[^」\n]{0,300}」|『[^』\n]{0,300}』", re.MULTILINE)


def without_quotes(text: str) -> str:
    return QUOTED_RE.sub(" ", text)


@dataclass(frozen=True)
class TextSignals:
    """The judged text and what the rules and the classifier read from it."""

    text: str

    @classmethod
    def of(cls, raw: str) -> TextSignals:
        return cls(judging_text(raw))

    @cached_property
    def links(self) -> list[str]:
        found = [m.group() for m in URL_RE.finditer(self.text)]
        rest = URL_RE.sub(" ", self.text)
        found += [m.group() for m in SHORT_LINK_RE.finditer(rest)]
        rest = SHORT_LINK_RE.sub(" ", rest)
        return found + [m.group() for m in BARE_DOMAIN_RE.finditer(rest)]

    @cached_property
    def domains(self) -> list[str]:
        hosts = []
        for link in self.links:
            match = _HOST_RE.match(link.lower())
            if match:
                host = match.group(1).rstrip(".")
                hosts.append(host.removeprefix("www."))
        return hosts

    @cached_property
    def contact_ids(self) -> list[str]:
        """Kinds of contact detail in the text: wechat-id, qq-id, phone, email, handle."""
        kinds = []
        for name, found in (("wechat-id", WECHAT_ID_RE.search), ("qq-id", QQ_NUMBER_RE.search),
                            ("phone", has_phone), ("email", EMAIL_RE.search), ("handle", OTHER_HANDLE_RE.search)):
            if found(self.text):
                kinds.append(name)
        if not kinds and LOOSE_ID_RE.search(self.text):
            kinds.append("spaced-id")
        return kinds

    @cached_property
    def pointer(self) -> bool:
        """The text points to a private channel without writing it out (看我头像, 私我, 群号, DM me)."""
        return bool(POINTER_RE.search(self.text))

    @cached_property
    def contact_phrase(self) -> bool:
        return bool(CONTACT_PHRASE_RE.search(self.text))


def registered_domain(host: str) -> str:
    """The last two labels of a host (three under a two-letter country's com/net/org: shop.example.com.cn)."""
    labels = host.lower().strip(".").split(".")
    if len(labels) >= 3 and labels[-2] in {"com", "net", "org", "gov", "edu", "co"} and len(labels[-1]) == 2:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


def is_allowed(host: str, allowed: list[str]) -> bool:
    """Whether ``host`` is one of the allowed domains or under one of them."""
    host = host.lower().strip(".")
    return any(host == domain or host.endswith("." + domain) for domain in allowed if domain)


def is_shortener(host: str) -> bool:
    return registered_domain(host) in SHORTENERS or host in SHORTENERS

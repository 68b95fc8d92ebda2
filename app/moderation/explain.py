"""The spam filter's reasons in words, in the reader's language: review items store codes ("links:2:new-member",
"classifier:0.97:v3|加v,领取|new_account,links=2"), pages show "2 links from a new member", "classifier 0.97: words
加v, 领取; new account; 2 links"."""
from __future__ import annotations

import re

from flask_babel import gettext as _
from flask_babel import ngettext

_NUMBER = re.compile(r"\d+")


def _first_number(text: str) -> int:
    match = _NUMBER.search(text)
    return int(match.group()) if match else 0


def _sign(sign: str) -> str:
    """One behaviour feature the classifier weighed towards spam."""
    if sign.startswith("links="):
        n = _first_number(sign)
        return ngettext("%(num)d link", "%(num)d links", n)
    return {"new_account": _("new account"), "young_account": _("account less than a month old"),
            "trust_new": _("trust level new"), "first_link": _("first link"), "posting_rate": _("posting fast"),
            "duplicates": _("same text from other accounts"), "contact_id": _("contact details")}.get(sign, sign)


def _classifier(code: str) -> str:
    head, _bar, rest = code.partition("|")
    words, _bar, signs = rest.partition("|")
    probability = head.split(":")[1] if head.count(":") >= 1 else "?"
    parts = [_("classifier %(p)s", p=probability)]
    text = parts[0]
    if words:
        text += ": " + _("words %(words)s", words=", ".join(words.split(",")))
    extra = [_sign(s) for s in signs.split(",") if s]
    return "; ".join([text, *extra])


def _lure_family(name: str) -> str:
    """A family of lure (app.moderation.signals.LURES) in words."""
    families = {
        "profile-pointer": _("contact details on the profile"), "qr-lure": _("a QR code to scan"),
        "shop-search": _("search for a shop"), "upfront-fee-job": _("a job with a fee up front"),
        "screen-share": _("a meeting id or shared screen"), "gambling-tip": _("gambling tips"),
        "crypto-returns": _("promised crypto returns"), "miracle-cure": _("a miracle cure"),
        "counterfeit": _("copies sold as originals"), "engagement-service": _("followers or reviews for sale"),
        "account-sale": _("accounts or invitation codes for sale"), "live-lure": _("a live-stream lure"),
        "paid-tasks": _("paid app tests or tasks"), "site-plug": _("a plug for a site"),
        "private-sale": _("goods offered privately"), "fake-notice": _("a fake notice asking for a code or a click"),
        "details-for-prize": _("personal details asked for a prize"), "staff-impostor": _("posing as the community's staff"),
        "easy-loan": _("loans whatever your credit"), "ghost-writing": _("essays or exams done for hire"),
        "vpn-sale": _("a VPN for sale"), "stranger-invest": _("a stranger's investment offer"),
        "adult": _("adult services"), "casino-pharma-seo": _("casino, pharmacy or search-ranking spam"),
        "collab-dm": _("a collaboration offered by message"), "easy-income": _("easy income promised"),
        "dm-bait": _("a nudge to read a private message"), "fake-hotline": _("a customer-service number posted"),
        "money-bait": _("money or a prize for nothing"), "romance-bait": _("romance or sugar-dating bait"),
        "scheme-recruit": _("recruiting into a money scheme"), "seo-plug": _("a link-dropping plug"),
        "hard-sell": _("an order pressed with little stock or time"),
        "platform-redirect": _("an account on another platform to look up"),
        "shop-code": _("a discount for a code word"),
    }
    return families.get(name, name)


def _reply_to_spam(rest: str) -> str:
    """``thread:<post id>[:held]`` or ``post:<post id>[:held]``: the spam post a reply was judged with."""
    where, _colon, more = rest.partition(":")
    held = more.endswith(":held")
    if where == "thread":
        return _("reply to a thread held as spam") if held else _("reply to a quarantined thread")
    return _("reply after a post held as spam") if held else _("reply after a quarantined post in its thread")


def describe_reason(code: str) -> str:
    """A reason code from the spam rules or the classifier, in words (unknown codes as they are)."""
    code = str(code)
    name, _colon, rest = code.partition(":")
    n = _first_number(rest)
    if name == "classifier":
        return _classifier(code)
    if name == "links":
        text = ngettext("%(num)d link", "%(num)d links", n)
        return _("%(links)s from a new member", links=text) if rest.endswith("new-member") else text
    simple = {
        "first-link": _("a new member's first link"),
        "contact-in-first-posts": _("contact details in a new member's first posts"),
        "pointer-in-first-posts": _("a new member's first posts point to a private channel (avatar, signature, "
                                    "group number)"),
        "short-link": _("a shortened link"), "spelled-link": _("a web address spelled out"),
        "wechat-id": _("a WeChat id"), "qq-id": _("a QQ number"), "phone": _("a phone number"),
        "email": _("an email address"), "handle": _("a messenger handle"), "spaced-id": _("a spaced-out contact id"),
        "disguised-number": _("a number in disguised digits"),
        "contact-phrase": _("asks to be contacted privately"),
        "author-has-confirmed-spam": _("the author has posted confirmed spam"),
        "author-spamming-now": _("the author's other posts are being quarantined now"),
        "pointer-only": _("a new member's post only points to a private message or to their own profile"),
        "only-posts-here": _("only posts here"),
        "created-with-spam-account": _("account created within a day of the spam post's author's"),
    }
    if name in simple:
        return simple[name]
    if name == "lure":
        return _("a lure: %(families)s", families=", ".join(_lure_family(f) for f in rest.split(",") if f))
    if name == "reply-to-spam":
        return _reply_to_spam(rest)
    if name == "stray-chorus":
        return ngettext("posted %(num)d minute after a spam post held elsewhere by another new account",
                        "posted %(num)d minutes after a spam post held elsewhere by another new account",
                        _first_number(rest.partition(":")[2]))
    if name == "account-age":
        return ngettext("account %(num)d day old", "account %(num)d days old", n)
    if name == "chorus":
        return {"takes-up": _("takes up its offer or private channel"), "vouches": _("vouches for it"),
                "points-elsewhere": _("only points to a private message or the profile"),
                "asks-terms": _("asks the offer's terms (price, pay-out, refund)"),
                "says-nothing": _("says nothing but an emoji or the cue the ad asked for"),
                "same-author": _("the spam post's own author"),
                "echoes": _("echoes a spam post held minutes before, not its own thread"),
                "off-topic": _("has nothing to do with its own thread: no word in common with it, no one in it "
                               "addressed")}.get(rest, rest)
    if name == "chorus-sign":
        return {"outcome": _("tells what a service did for them (received, paid out, won)"),
                "code-word": _("a lone word and nothing else, like the code word an ad asks for")}.get(rest, rest)
    if name == "near-duplicate":
        return _("nearly the same text from %(num)d accounts", num=n)
    if name.startswith("same-text-from-"):
        return _("the same text from %(num)d accounts", num=_first_number(name))
    if name == "link-farm":
        return _("links to %(num)d different sites", num=n)
    if name == "repeated-text":
        return _("the same text again (%(num)d times today)", num=n)
    if name == "burst":
        return _("%(num)d posts in a few minutes", num=n)
    if name == "blocked-word":
        return _("blocked word “%(word)s”", word=rest)
    if name == "flag-weight":
        return _("flagged (weight %(num)d)", num=n)
    return code

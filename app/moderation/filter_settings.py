"""The filter's admin setting: the domains whose links never count against a member (audited)."""
from __future__ import annotations

import re

from flask_babel import gettext as _

from app import audit
from app.core.exceptions import DomainError
from app.core.settings import set_setting
from app.members.models import User
from app.moderation.spam import setting

_DOMAIN = re.compile(r"^(?=.{3,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


def domains_from(text: str | None) -> list[str]:
    """One domain per line (or separated by spaces or commas); "https://www.x.com/…" is read as x.com."""
    domains: list[str] = []
    for raw in re.split(r"[\s,，]+", (text or "").strip().lower()):
        if not raw:
            continue
        host = re.sub(r"^[a-z]+://", "", raw).split("/")[0].split(":")[0]
        host = host.removeprefix("www.")
        if not _DOMAIN.match(host):
            raise DomainError(_("“%(value)s” is not a domain such as example.com.", value=raw[:80]), "domains")
        if host not in domains:
            domains.append(host)
    if len(domains) > 500:
        raise DomainError(_("At most 500 domains."), "domains")
    return domains


def save_allowed_domains(text: str | None, *, by: User) -> bool:
    """Store the allowed domains; False when nothing changed."""
    domains, before = domains_from(text), list(setting("spam.allowed_domains"))
    if domains == before:
        return False
    set_setting("spam.allowed_domains", domains, by=by)
    audit.record(by, "settings.spam_domains", None, before={"domains": before}, after={"domains": domains})
    return True

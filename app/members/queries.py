"""Reads about members that other packages and views share: lookup by email and the "members only" filter."""
from __future__ import annotations

import sqlalchemy as sa

from app.core.params import LOOKAHEAD_PAGES, PrebuiltPagination, bounded_count, page_arg
from app.extensions import db, read_connection
from app.members.models import User
from app.members.notifications import Notification
from app.security.roles import Role


def normalise_email(email: str) -> str:
    """Emails are stored and compared trimmed and in lower case."""
    return email.strip().lower()


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == normalise_email(email)))


def members_only() -> sa.ColumnElement[bool]:
    """The condition keeping ordinary members (not hosts, researchers or admins) in a query on ``User``."""
    return User.role == Role.MEMBER.value


def taking_part_in_research() -> sa.ColumnElement[bool]:
    """Members who agreed to the consent text and have not withdrawn (nor been erased): the only ones whose words
    research views and exports may use."""
    return sa.and_(User.consent_at.is_not(None), User.consent_withdrawn_at.is_(None))


def people(role: str | None = None, search: str = "", *, ordered: bool = True) -> sa.Select:
    """Everyone, newest first (unordered for a keyset page, which orders it itself), optionally with one role and
    a name or email containing ``search``."""
    select = sa.select(User)
    if ordered:
        select = select.order_by(User.created_at.desc(), User.id.desc())
    if role in {r.value for r in Role}:
        select = select.where(User.role == role)
    if search:
        like = f"%{search.lower()}%"
        select = select.where(sa.or_(User.email.like(like), User.display_name_key.like(like)))
    return select


# What the notifications page shows of each, as plain rows: the page and its bounded count, built once
# (members/notifications.html unpacks the rows in this order).
_NOTIFICATIONS = sa.select(Notification.id, Notification.created_at, Notification.url, Notification.text,
                           Notification.read_at).where(Notification.user_id == sa.bindparam("user_id"))
_NOTIFICATION_COUNT = bounded_count(_NOTIFICATIONS)
# The page with its bounded count as every row's last column: one round trip instead of two.
_NOTIFICATION_PAGE = (_NOTIFICATIONS.add_columns(_NOTIFICATION_COUNT.scalar_subquery().label("counted"))
                      .order_by(Notification.created_at.desc()).limit(sa.bindparam("limit"))
                      .offset(sa.bindparam("offset")))


class _CountedPagination(PrebuiltPagination):
    """``PrebuiltPagination`` whose items statement also counts (``counted``, binding ``cap``): a page with rows
    needs no second query; an empty one (past the end) counts as usual."""

    def _query_items(self) -> list:
        values = {**self._query_args["params"], "limit": self.per_page, "offset": self._query_offset,
                  "cap": (self.page + LOOKAHEAD_PAGES) * self.per_page + 1}
        rows = read_connection().execute(self._query_args["items"], values).all()
        self._counted = rows[0].counted if rows else None
        return rows

    def _query_count(self) -> int:
        return super()._query_count() if self._counted is None else self._counted


def notifications_of(user: User, *, per_page: int) -> PrebuiltPagination:
    """A page of the member's notifications, newest first."""
    return _CountedPagination(items=_NOTIFICATION_PAGE, counter=_NOTIFICATION_COUNT, params={"user_id": user.id},
                              page=page_arg(), per_page=per_page, max_per_page=100, error_out=False)


def mention_suggestions(prefix: str, *, limit: int = 8) -> list[tuple[int, str]]:
    """Members whose name starts with ``prefix`` (casefolded), for @mention completion: (id, name), shortest
    names first; suspended and erased accounts are left out."""
    key = prefix.strip().casefold()
    if not key:
        return []
    escaped = key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    rows = db.session.execute(
        sa.select(User.id, User.display_name)
        .where(User.display_name_key.like(f"{escaped}%", escape="\\"), User.suspended_at.is_(None),
               ~User.password_hash.like("!erased:%"))
        .order_by(sa.func.length(User.display_name_key), User.display_name_key).limit(limit))
    return [(row.id, row.display_name) for row in rows]

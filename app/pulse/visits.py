"""A member's last visit, for "gone quiet" and the active-member rollups: written at most once an hour per member,
on its own short connection, so reading pages costs no write in between (as ThreadRead only writes on advance)."""
from __future__ import annotations

import logging
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm.attributes import set_committed_value

from app.extensions import db
from app.members.models import User

RESOLUTION = timedelta(hours=1)

log = logging.getLogger(__name__)


def needs_update(last_seen: datetime | None, now: datetime) -> bool:
    return last_seen is None or now - last_seen >= RESOLUTION


def record_visit(user: User, now: datetime) -> bool:
    """Advance ``user.last_seen_at`` when it is an hour old or more; True when written. Never fails a page."""
    if not needs_update(user.last_seen_at, now):
        return False
    try:
        with db.engine.begin() as connection:
            connection.execute(sa.update(User.__table__).where(User.__table__.c.id == user.id)
                               .values(last_seen_at=now))
    except sa.exc.SQLAlchemyError as error:  # a busy or absent database: the visit is simply not recorded
        log.warning("could not record a visit: %s", type(error).__name__)
        return False
    set_committed_value(user, "last_seen_at", now)  # the loaded member agrees, without a write of its own
    return True

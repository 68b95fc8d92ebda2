"""Reads the landing page makes per request (the shared panels come from the snapshot, see panels)."""
from __future__ import annotations

import sqlalchemy as sa

from app.db import utcnow
from app.extensions import read_connection
from app.landing.models import Announcement
from app.security.roles import Permission
from app.tasks.models import Task, TaskSubmission

# Built once: statements cost more to build than SQLite takes to run them.
_ANNOUNCEMENTS = (sa.select(Announcement.id, Announcement.title, Announcement.body, Announcement.body_html,
                            Announcement.position)
                  .where(Announcement.archived_at.is_(None)).order_by(Announcement.position, Announcement.id))


_ANSWERED = sa.select(TaskSubmission.task_id).where(TaskSubmission.user_id == sa.bindparam("user_id"))
_NOW = sa.bindparam("now", type_=Task.opens_at.type)
_OPEN_TASKS = sa.select(sa.func.count()).select_from(Task).where(
    Task.is_published.is_(True), Task.opens_at <= _NOW, Task.due_at > _NOW, Task.id.not_in(_ANSWERED))


def open_task_count(user) -> int:
    """How many open tasks the member has not answered yet (0 for those who cannot post)."""
    if not user.can(Permission.POST):
        return 0
    return read_connection().scalar(_OPEN_TASKS, {"user_id": user.id, "now": utcnow()}) or 0


def live_announcements() -> list[sa.Row]:
    """The announcements on the landing page, in their order (rows, not ORM objects)."""
    return read_connection().execute(_ANNOUNCEMENTS).all()

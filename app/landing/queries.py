"""Reads the landing page makes per request (the shared panels come from the snapshot, see panels)."""
from __future__ import annotations

import sqlalchemy as sa

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
# Open tasks the member has not answered yet (binds user_id and now).
OPEN_TASKS = sa.select(sa.func.count()).select_from(Task).where(
    Task.is_published.is_(True), Task.opens_at <= _NOW, Task.due_at > _NOW, Task.id.not_in(_ANSWERED))


def can_answer_tasks(user) -> bool:
    """Whether the landing page counts the member's open tasks (those who cannot post have none)."""
    return user.can(Permission.POST)


def live_announcements() -> list[sa.Row]:
    """The announcements on the landing page, in their order (rows, not ORM objects)."""
    return read_connection().execute(_ANNOUNCEMENTS).all()

"""Reads the task pages need."""
from __future__ import annotations

import sqlalchemy as sa

from app.extensions import db
from app.tasks.models import Task, TaskSubmission


def all_tasks() -> list[Task]:
    """Every task, latest due first (the hosts' overview)."""
    return db.session.scalars(sa.select(Task).order_by(Task.due_at.desc())).all()


def submission_counts() -> dict[int, int]:
    """How many submissions each task has, by task id."""
    return dict(db.session.execute(sa.select(TaskSubmission.task_id, sa.func.count())
                                   .group_by(TaskSubmission.task_id)).all())

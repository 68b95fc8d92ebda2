"""Demo-like data for the route sweep, and the URL of every GET page with real ids filled in."""
from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from flask import Flask

from app.auth.services import create_invitation, make_reset_token
from app.competitions.models import Competition
from app.db import utcnow
from app.demo.community import DEMO_PASSWORD, seed_demo_community
from app.extensions import db
from app.forum.models import Category, Post, Thread
from app.landing.services import build_hot_panels, save_announcement
from app.mailing.render import unsubscribe_token
from app.members.models import User
from app.moderation.canned import save_canned_reply
from app.moderation.models import CannedReply
from app.moderation.services import flag_post
from app.polls.models import Poll
from app.research.coding import apply_code, save_code
from app.research.exports import queue_export
from app.research.models import Code, ExportRun
from app.research.transcript_filter import TranscriptFilter
from app.segments.models import SegmentAttribute
from app.tasks.models import Task

ROLES = ("anonymous", "member", "moderator", "researcher", "admin")
LOGINS = {"member": "member1@teahouse.test", "moderator": "host@teahouse.test",
          "researcher": "researcher@teahouse.test", "admin": "admin@teahouse.test"}
PASSWORD = DEMO_PASSWORD

# Endpoints that answer with a file, JSON or a redirect whatever the data: nothing to lay out.
NOT_PAGES = {"static", "core.healthz", "uploads.upload_file", "research.export_download", "research.export_status",
             "research.poll_crosstab_csv", "rights.data_export_download", "forum.post_goto", "members.avatar",
             "research.code_segments_csv", "research.refi_export"}


@dataclass
class SweepData:
    ids: dict[str, int] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)


def _first(model, *where, order=None) -> int:
    column = order if order is not None else model.id
    return db.session.scalar(sa.select(model.id).where(*where).order_by(column).limit(1))


def seed_sweep_data() -> SweepData:
    """The demo community, plus what the remaining pages need: a code, an export, a canned reply, a flag, an
    announcement, an invitation and the landing snapshot."""
    seed_demo_community()
    users = {role: db.session.scalar(sa.select(User).where(User.email == email)) for role, email in LOGINS.items()}
    member, host, researcher = users["member"], users["moderator"], users["researcher"]
    post = db.session.scalar(sa.select(Post).where(Post.author_id == member.id, Post.number > 1).order_by(Post.id))
    opening = db.session.scalar(sa.select(Post).where(Post.author_id == member.id, Post.number == 1).order_by(Post.id))
    code = save_code(None, by=researcher, name="Texture", colour="#8a4b08", description="Talk about texture",
                     parent_id=None)
    apply_code(opening, code, by=researcher, memo="texture first")
    queue_export(TranscriptFilter(), "csv", by=researcher)
    save_canned_reply(None, by=host, title="Welcome", body_en="Welcome to the community!", body_zh="欢迎加入！")
    other = db.session.scalar(sa.select(Post).where(Post.author_id != member.id, Post.number > 1).order_by(Post.id))
    flag_post(other, by=member, reason="spam", note="Looks like an advert")
    save_announcement(None, by=host, title="Welcome week", body="Say hello in **Introductions**.")
    _invitation, invite_token = create_invitation("newcomer@example.test", by=users["admin"])
    build_hot_panels(utcnow())
    db.session.commit()
    poll = db.session.scalar(sa.select(Poll).order_by(Poll.id).limit(1))
    data = SweepData()
    data.ids = {
        "category_id": _first(Category), "competition_id": _first(Competition), "reply_id": _first(CannedReply),
        "attribute_id": _first(SegmentAttribute), "user_id": member.id, "post_id": post.id,
        "poll_id": poll.id, "thread_id": poll.thread_id, "code_id": _first(Code), "run_id": _first(ExportRun),
        "task_id": _first(Task, Task.is_masked.is_(True)),
    }
    data.ids["activity_id"] = data.ids["task_id"]
    data.tokens = {"auth.accept_invite": invite_token, "auth.reset_confirm": make_reset_token(member),
                   "mailing.unsubscribe": unsubscribe_token(member.id, "digest")}
    db.session.commit()
    return data


def page_urls(app: Flask, data: SweepData) -> dict[str, str]:
    """endpoint -> path for every GET route that renders a page; a rule with two endpoints counts once each."""
    urls: dict[str, str] = {}
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if "GET" not in rule.methods or rule.endpoint in NOT_PAGES:
            continue
        values = {}
        for arg in rule.arguments:
            if arg == "token":
                values[arg] = data.tokens[rule.endpoint]
            elif arg == "kind":  # the activity invitation page: a task's
                values[arg] = "task"
            else:
                values[arg] = data.ids[arg]
        path = rule.build(values, append_unknown=False)[1]
        urls.setdefault(f"{rule.endpoint}:{rule.rule}", path)
    return urls


def thread_of(post_id: int) -> Thread:
    return db.session.get(Post, post_id).thread

"""The spam filter's record: what it held, quarantined and let through, and how the hosts' decisions judged it.

A false positive is a post the filter held or quarantined that a host then approved or restored; a miss is a post it
published that a host then marked as spam. Precision and recall are estimated from the posts hosts decided on:
precision = caught and confirmed / caught and decided; recall = caught and confirmed / all confirmed spam. The same
figures per rule (the rules that fired on a post) and for the classifier (its probability alone would have held it,
by the very points the filter gives it: app.moderation.spam.classifier_would_hold, reckoned again here from the post's
text, so verdicts kept under an older formula are counted the same way).
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa

from app.extensions import db
from app.forum.models import Post, Thread
from app.moderation.classifier import Behaviour
from app.moderation.spam import classifier_would_hold, judged_text
from app.moderation.spam_models import SpamModel, SpamVerdict

CAUGHT = ("held", "quarantined")
CLASSIFIER = "classifier alone"


@dataclass
class Judge:
    """Figures for one rule (or the classifier, or the whole filter) over the decided posts."""

    name: str
    fired: int = 0
    confirmed: int = 0       # fired and the hosts said spam
    overturned: int = 0      # fired and the hosts said ham
    spam_total: int = 0      # all posts the hosts said were spam

    @property
    def precision(self) -> float | None:
        decided = self.confirmed + self.overturned
        return self.confirmed / decided if decided else None

    @property
    def recall(self) -> float | None:
        return self.confirmed / self.spam_total if self.spam_total else None


@dataclass
class FilterRecord:
    since: datetime
    outcomes: Counter = field(default_factory=Counter)   # published / held / quarantined
    false_positives: int = 0
    misses: int = 0
    overall: Judge = field(default_factory=lambda: Judge("filter"))
    rules: list[Judge] = field(default_factory=list)
    model: SpamModel | None = None


def filter_record(now: datetime, *, days: int = 30) -> FilterRecord:
    """The filter's record over the last ``days`` days."""
    since = now - timedelta(days=days)
    rows = db.session.execute(sa.select(SpamVerdict.id, SpamVerdict.outcome, SpamVerdict.rules,
                                        SpamVerdict.classifier_flagged, SpamVerdict.decision)
                              .where(SpamVerdict.created_at >= since)).all()
    flagged = _classifier_alone(since)
    record = FilterRecord(since=since)
    judges: dict[str, Judge] = {}
    spam_total = sum(1 for row in rows if row.decision == "spam")
    record.overall.spam_total = spam_total
    for row in rows:
        record.outcomes[row.outcome] += 1
        caught = row.outcome in CAUGHT
        record.false_positives += caught and row.decision == "ham"
        record.misses += (not caught) and row.decision == "spam"
        fired = [name for name in (row.rules or []) if caught or name != "classifier"]
        if caught:
            _count(record.overall, row.decision)
        for name in [*fired, *([CLASSIFIER] if flagged.get(row.id, row.classifier_flagged) else [])]:
            judge = judges.setdefault(name, Judge(name, spam_total=spam_total))
            _count(judge, row.decision)
    record.rules = sorted(judges.values(), key=lambda judge: (-judge.fired, judge.name))
    record.model = db.session.scalar(sa.select(SpamModel).order_by(SpamModel.created_at.desc(), SpamModel.id.desc())
                                     .limit(1))
    return record


def _classifier_alone(since: datetime) -> dict[int, bool]:
    """Verdict id -> whether the classifier's points alone would have held the post, for verdicts whose post is still
    there and whose probability could give points (above 0.5); others keep the flag stored with the verdict."""
    rows = db.session.execute(
        sa.select(SpamVerdict.id, SpamVerdict.classifier, SpamVerdict.behaviour, Post.body, Post.number, Thread.title)
        .join(Post, SpamVerdict.post_id == Post.id).join(Thread, Post.thread_id == Thread.id)
        .where(SpamVerdict.created_at >= since, SpamVerdict.classifier > 0.5)).all()
    found = {}
    for row in rows:
        behaviour = Behaviour.from_dict(row.behaviour)
        text = judged_text(row.body, row.title if row.number == 1 else None, behaviour.trust_level)
        found[row.id] = classifier_would_hold(row.classifier, text, behaviour)
    return found


def _count(judge: Judge, decision: str | None) -> None:
    judge.fired += 1
    judge.confirmed += decision == "spam"
    judge.overturned += decision == "ham"

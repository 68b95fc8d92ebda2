"""How the classifier learns: the seed corpus shipped with the app, the hosts' decisions, and stored model versions.

Hosts' decisions are read from the audit log (approve / restore / dismiss = ham, spam = spam) and written onto the
posts' verdicts; ``train_model`` fits the seed corpus plus every decided post still in the database (purged spam
leaves with its text) and stores the result as a new version for the community. Until a version exists, the
model trained on the seed alone judges: built once per process, and kept in a file (SPAM_SEED_MODEL_DIR, by default
the instance folder) named by a fingerprint of what it is built from, so that other processes load it instead of
training it again (5-10 s of CPU each: every web worker, scheduler and test worker scores posts).
"""
from __future__ import annotations

import hashlib
import logging
import os
import sys
import tempfile
import threading
import zipfile
from datetime import datetime
from functools import cache
from pathlib import Path

import sqlalchemy as sa
from flask import current_app, has_app_context

from app.audit.models import AuditEvent
from app.core.settings import get_checkpoint, set_checkpoint
from app.extensions import db
from app.forum.models import Post, Thread
from app.moderation import classifier
from app.moderation.classifier import BEHAVIOUR, Behaviour, Scorer, Trained, train
from app.moderation.spam_models import SpamModel, SpamVerdict
from app.text import normalise, segment
from app.text.normalise import judging_text

DATA = Path(__file__).parent / "data"
DECISIONS = {"post.approve": "ham", "post.restore": "ham", "post.dismiss": "ham", "post.spam": "spam"}
CHECKPOINT = "spam_decisions"
DECISION_WEIGHT = 2.0  # a host's decision counts twice as much as a seed example
_lock = threading.Lock()
_scorers: dict[tuple[str, int], Scorer] = {}
log = logging.getLogger(__name__)


def community() -> str:
    return current_app.config.get("SPAM_COMMUNITY", "default") if has_app_context() else "default"


def seed_rows() -> list[tuple[float, str, int]]:
    """The seed corpus: (account age in days, judged text, label) from ``data/seed_spam*.txt`` and
    ``data/seed_ham*.txt``."""
    rows = []
    for pattern, label in (("seed_spam*.txt", 1), ("seed_ham*.txt", 0)):
        for line in (line for path in sorted(DATA.glob(pattern))
                     for line in path.read_text(encoding="utf-8").splitlines()):
            if not line.strip() or line.startswith("#"):
                continue
            age, text = line.split("|", 1)
            rows.append((float(age), judging_text(text), label))
    return rows


def seed_examples() -> list[tuple[str, Behaviour, int]]:
    """The seed corpus as training examples. The seed's accounts are made up: the same neutral behaviour for both
    classes, so what behaviour means is learnt from the hosts' real decisions only (and new members are not suspects
    by default); the ages serve to check the held decision (tests/perf/spam_cv.py)."""
    return [(text, Behaviour(), label) for _age, text, label in seed_rows()]


@cache
def seed_scorer() -> Scorer:
    """The model trained on the seed corpus alone (once per process, or loaded from the file another process kept)."""
    return Scorer(seed_model(), version=0)


def train_seed() -> Trained:
    """Fit the seed corpus alone."""
    texts, behaviours, labels = zip(*seed_examples(), strict=True)
    return train(list(texts), list(behaviours), list(labels))


def seed_fingerprint() -> str:
    """A hash of everything the seed model is built from: the corpus, the code that reads it, turns it into features
    and fits it, jieba's extra vocabulary, and the versions of Python and the libraries (a new jieba dictionary or
    scikit-learn may fit differently). Any change names another file, so a kept model is never a stale one."""
    import jieba
    import numpy
    import scipy
    import sklearn

    digest = hashlib.sha256()
    sources = [*sorted(DATA.glob("seed_*.txt")), Path(__file__), Path(classifier.__file__),
               Path(normalise.__file__), Path(segment.__file__), segment.USERDICT]
    for path in sources:
        data = path.read_bytes()
        digest.update(f"{path.name}:{len(data)}:".encode())
        digest.update(data)
    for version in (sys.version, numpy.__version__, scipy.__version__, sklearn.__version__, jieba.__version__):
        digest.update(f"|{version}".encode())
    return digest.hexdigest()[:32]


def seed_model_path() -> Path | None:
    """Where the seed model is kept: SPAM_SEED_MODEL_DIR, or the instance folder; None outside an app."""
    if not has_app_context():
        return None
    folder = current_app.config.get("SPAM_SEED_MODEL_DIR") or current_app.instance_path
    return Path(folder) / f"spam-seed-model-{seed_fingerprint()}.npz"


def seed_model() -> Trained:
    """The seed model from its file when one was kept for this very corpus and code; else trained and kept."""
    path = seed_model_path()
    if path is not None and path.is_file():
        try:
            return Trained.from_bytes(path.read_bytes())
        except (OSError, ValueError, KeyError, zipfile.BadZipFile) as error:  # a damaged file: train again
            log.warning("spam seed model %s unreadable (%s): training it again", path, error)
    trained = train_seed()
    if path is not None:
        _keep(path, trained.to_bytes())
    return trained


def _keep(path: Path, data: bytes) -> None:
    """Write the file whole or not at all (processes starting together may each write it; the last one wins)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".spam-seed-model-")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError as error:  # a read-only folder: every process trains its own, as before
        log.warning("spam seed model not kept in %s: %s", path.parent, error)


def active_scorer() -> Scorer:
    """The community's newest stored model (cached per process by version), or the seed model."""
    row = db.session.execute(sa.select(SpamModel.id, SpamModel.version).where(SpamModel.community == community())
                             .order_by(SpamModel.version.desc()).limit(1)).first()
    if row is None:
        return seed_scorer()
    key = (community(), row.version)
    with _lock:
        if key not in _scorers:
            model = db.session.get(SpamModel, row.id)
            _scorers.clear()
            _scorers[key] = Scorer(Trained.from_bytes(model.arrays), version=model.version)
        return _scorers[key]


def harvest_decisions(now: datetime) -> int:
    """Copy the hosts' spam decisions since the last harvest from the audit log onto the posts' verdicts."""
    position = get_checkpoint(CHECKPOINT)
    events = db.session.execute(
        sa.select(AuditEvent.id, AuditEvent.verb, AuditEvent.target_id, AuditEvent.created_at)
        .where(AuditEvent.id > position, AuditEvent.verb.in_(DECISIONS), AuditEvent.target_type == "post")
        .order_by(AuditEvent.id)).all()
    if not events:
        return 0
    latest = {event.target_id: event for event in events}  # the last word on each post counts
    verdicts = {v.post_id: v for v in db.session.scalars(sa.select(SpamVerdict)
                                                          .where(SpamVerdict.post_id.in_(latest)))}
    for post_id, event in latest.items():
        verdict = verdicts.get(post_id)
        if verdict is None:  # a post the filter never judged (written before it, or imported)
            post = db.session.get(Post, post_id)
            if post is None:
                continue
            verdict = SpamVerdict(post_id=post_id, author_id=post.author_id, created_at=post.created_at,
                                  outcome="published", score=post.spam_score or 0, rules=[])
            db.session.add(verdict)
        verdict.decision, verdict.decided_at = DECISIONS[event.verb], event.created_at
    set_checkpoint(CHECKPOINT, events[-1].id)
    db.session.flush()
    return len(latest)


def decided_examples() -> list[tuple[str, Behaviour, int]]:
    """Posts the hosts decided on that are still in the database, as training examples."""
    rows = db.session.execute(
        sa.select(Post.body, Post.number, Thread.title, SpamVerdict.behaviour, SpamVerdict.decision)
        .join(Post, SpamVerdict.post_id == Post.id).join(Thread, Post.thread_id == Thread.id)
        .where(SpamVerdict.decision.is_not(None))).all()
    return [(judging_text(f"{row.title}\n{row.body}" if row.number == 1 else row.body),
             Behaviour.from_dict(row.behaviour), 1 if row.decision == "spam" else 0) for row in rows]


def train_model(now: datetime) -> int:
    """Harvest decisions, train on the seed plus decided posts, store a new version; returns the examples used."""
    harvest_decisions(now)
    seed, decided = seed_examples(), decided_examples()
    examples = seed + decided
    texts, behaviours, labels = (list(column) for column in zip(*examples, strict=True))
    weights = [1.0] * len(seed) + [DECISION_WEIGHT] * len(decided)
    trained = train(texts, behaviours, labels, weights=weights)
    version = (db.session.scalar(sa.select(sa.func.max(SpamModel.version))
                                 .where(SpamModel.community == community())) or 0) + 1
    db.session.add(SpamModel(community=community(), version=version, created_at=now, seed_examples=len(seed),
                             decided_spam=sum(label for _, _, label in decided),
                             decided_ham=sum(1 - label for _, _, label in decided), arrays=trained.to_bytes(),
                             details={"behaviour": list(BEHAVIOUR), "features": len(trained.vocabulary)}))
    db.session.flush()
    return len(examples)

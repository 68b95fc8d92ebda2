"""The spam filter's own records: trained classifier versions, the verdict on every judged post, near-duplicate
fingerprints."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, UTCDateTime, utcnow


class SpamModel(Base):
    """One trained version of a community's classifier: arrays as an ``.npz`` (no pickle), counts as JSON."""

    __tablename__ = "spam_model"
    __table_args__ = (sa.UniqueConstraint("community", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    community: Mapped[str] = mapped_column(sa.String(60), default="default")
    version: Mapped[int] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    seed_examples: Mapped[int] = mapped_column(default=0)
    decided_spam: Mapped[int] = mapped_column(default=0)   # hosts' decisions it learnt from
    decided_ham: Mapped[int] = mapped_column(default=0)
    arrays: Mapped[bytes] = mapped_column(sa.LargeBinary)  # npz: vocabulary, idf, coef, intercept
    details: Mapped[dict | None] = mapped_column(sa.JSON)   # feature names, training figures


class SpamVerdict(Base):
    """What the filter decided about one post and what hosts later decided: the filter's record and its lessons."""

    __tablename__ = "spam_verdict"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int | None] = mapped_column(sa.ForeignKey("post.id", ondelete="SET NULL"), unique=True)
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    outcome: Mapped[str] = mapped_column(sa.String(16))    # published | held | quarantined
    score: Mapped[float] = mapped_column(default=0)
    rules: Mapped[list] = mapped_column(sa.JSON, default=list)  # names of the rules that fired
    classifier: Mapped[float | None] = mapped_column()     # spam probability, when a model was there
    classifier_flagged: Mapped[bool] = mapped_column(default=False)  # the classifier alone would have held it
    model_version: Mapped[int | None] = mapped_column()
    behaviour: Mapped[dict | None] = mapped_column(sa.JSON)
    decision: Mapped[str | None] = mapped_column(sa.String(8))  # ham | spam, from hosts' actions
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class PostFingerprint(Base):
    """A MinHash signature of a recent post's judged text, with its LSH band keys, to find copies across accounts."""

    __tablename__ = "post_fingerprint"

    post_id: Mapped[int] = mapped_column(sa.ForeignKey("post.id", ondelete="CASCADE"), primary_key=True)
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    signature: Mapped[bytes] = mapped_column(sa.LargeBinary)


class FingerprintBand(Base):
    """One LSH band of a fingerprint: posts sharing a band key are candidate near-duplicates."""

    __tablename__ = "fingerprint_band"

    post_id: Mapped[int] = mapped_column(sa.ForeignKey("post_fingerprint.post_id", ondelete="CASCADE"),
                                         primary_key=True)
    band: Mapped[int] = mapped_column(sa.SmallInteger, primary_key=True)
    key: Mapped[int] = mapped_column(sa.BigInteger, index=True)

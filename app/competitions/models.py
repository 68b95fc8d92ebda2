"""Competitions: entry and voting windows, entries, one vote per member, judges' scores, ranked results."""
from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, ModeratedMixin, UTCDateTime, utcnow


class Judging(str, enum.Enum):
    MEMBERS = "members"  # one vote per member
    MODERATORS = "moderators"  # hosts score each entry 0-10


class Competition(Base):
    __tablename__ = "competition"
    __table_args__ = (
        sa.CheckConstraint("entry_opens_at < entry_closes_at AND entry_closes_at <= voting_opens_at "
                           "AND voting_opens_at < voting_closes_at", name="windows_in_order"),
        sa.CheckConstraint("winner_count >= 1", name="at_least_one_winner"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    rules: Mapped[str] = mapped_column(sa.Text)
    rules_html: Mapped[str] = mapped_column(sa.Text)
    prize: Mapped[str] = mapped_column(sa.String(500), default="")
    category_id: Mapped[int] = mapped_column(sa.ForeignKey("category.id"))
    thread_id: Mapped[int | None] = mapped_column(sa.ForeignKey("thread.id", ondelete="SET NULL"), index=True)
    entry_opens_at: Mapped[datetime] = mapped_column(UTCDateTime())
    entry_closes_at: Mapped[datetime] = mapped_column(UTCDateTime())
    voting_opens_at: Mapped[datetime] = mapped_column(UTCDateTime())
    voting_closes_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    judging: Mapped[str] = mapped_column(sa.String(12), default=Judging.MEMBERS.value)
    entry_points: Mapped[int] = mapped_column(default=5)
    win_points: Mapped[int] = mapped_column(default=50)
    winner_count: Mapped[int] = mapped_column(default=1)
    is_published: Mapped[bool] = mapped_column(default=False)  # researchers' drafts wait for a host
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    published_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    draw_seed: Mapped[int | None] = mapped_column(sa.BigInteger)  # the tie-break draw's seed, also in the audit log

    category = relationship("Category")
    thread = relationship("Thread")

    def phase(self, now: datetime) -> str:
        """draft, upcoming, entry, between, voting, counting (voting over, not yet closed) or closed."""
        return competition_phase(self, now)


def competition_phase(competition, now: datetime) -> str:
    """``Competition.phase`` of a competition or of a row with its publishing, closing and phase times."""
    if not competition.is_published:
        return "draft"
    if competition.closed_at is not None:
        return "closed"
    if now < competition.entry_opens_at:
        return "upcoming"
    if now < competition.entry_closes_at:
        return "entry"
    if now < competition.voting_opens_at:
        return "between"
    if now < competition.voting_closes_at:
        return "voting"
    return "counting"


class CompetitionEntry(ModeratedMixin, Base):
    __tablename__ = "competition_entry"
    __table_args__ = (
        sa.UniqueConstraint("competition_id", "user_id"),
        # Targets for the votes' composite foreign keys (a vote names its entry's competition and author). Unique
        # indexes rather than constraints, so adding them never makes SQLite rebuild (and cascade) this table.
        sa.Index("ix_competition_entry_id_competition", "id", "competition_id", unique=True),
        sa.Index("ix_competition_entry_id_author", "id", "user_id", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(sa.ForeignKey("competition.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"), index=True)
    author_name: Mapped[str] = mapped_column(sa.String(40))
    title: Mapped[str] = mapped_column(sa.String(200))
    body: Mapped[str] = mapped_column(sa.Text)
    body_html: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    score: Mapped[int | None] = mapped_column()  # votes or judges' total, fixed when the competition closes
    rank: Mapped[int | None] = mapped_column()
    is_winner: Mapped[bool] = mapped_column(default=False)

    competition = relationship(Competition)


class CompetitionVote(Base):
    """One per member per competition; never for the voter's own entry (both enforced by the database).

    The composite foreign keys tie ``competition_id`` and ``entry_author_id`` to the entry itself, so the
    unique constraint and the check cannot be dodged with a vote that misstates either.
    """

    __tablename__ = "competition_vote"
    __table_args__ = (
        sa.UniqueConstraint("competition_id", "user_id"),
        sa.CheckConstraint("entry_author_id IS NULL OR entry_author_id <> user_id", name="not_own_entry"),
        sa.ForeignKeyConstraint(["entry_id", "competition_id"],
                                ["competition_entry.id", "competition_entry.competition_id"],
                                name="fk_competition_vote_entry_competition", ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["entry_id", "entry_author_id"], ["competition_entry.id", "competition_entry.user_id"],
                                name="fk_competition_vote_entry_author", ondelete="CASCADE", onupdate="CASCADE"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(sa.ForeignKey("competition.id", ondelete="CASCADE"))
    entry_id: Mapped[int] = mapped_column(sa.ForeignKey("competition_entry.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    entry_author_id: Mapped[int | None] = mapped_column()  # the entry's author (held to it by a foreign key)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class CompetitionScore(Base):
    """A host's score for an entry when moderators judge; one per judge per entry."""

    __tablename__ = "competition_score"
    __table_args__ = (
        sa.UniqueConstraint("entry_id", "judge_id"),
        sa.CheckConstraint("score BETWEEN 0 AND 10", name="score_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(sa.ForeignKey("competition_entry.id", ondelete="CASCADE"))
    judge_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    score: Mapped[int] = mapped_column()
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

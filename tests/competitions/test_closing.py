"""Closing competitions: ranking, the recorded tie-break draw, points, the announcement, idempotence."""
from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.competitions import closing, services
from app.competitions.models import Competition, CompetitionEntry, CompetitionVote
from app.core.exceptions import DomainError
from app.db import utcnow
from app.forum.models import Post
from app.members.models import User
from app.members.notifications import Notification
from app.points.models import BadgeAward, PointEvent
from app.polls.models import Poll
from tests.competitions.helpers import VOTING, count_rows, vote_for


def test_closing_ranks_awards_notifies_and_announces(voting_competition, user_factory, db):
    competition, (first, second, third), (alice, bob, carol) = voting_competition(win_points=40)
    vote_for(second, [user_factory() for _ in range(3)], db)
    vote_for(first, [user_factory()], db)
    assert closing.close_due_competitions(competition.voting_closes_at) == 1
    db.session.commit()
    assert (second.rank, second.is_winner, second.score) == (1, True, 3)
    assert (first.rank, first.is_winner) == (2, False) and (third.rank, third.score) == (3, 0)
    assert bob.points == 5 + 40 and alice.points == 5
    assert count_rows(BadgeAward, BadgeAward.user_id == bob.id, BadgeAward.badge == "competition_winner") == 1
    texts = {n.user_id: n.text for n in db.session.scalars(sa.select(Notification).where(
        Notification.kind == "competition"))}
    assert "You won" in texts[bob.id] and "placed 2 of 3" in texts[alice.id] and "placed 3 of 3" in texts[carol.id]
    announcement = db.session.scalar(sa.select(Post).where(Post.thread_id == competition.thread_id, Post.number == 2))
    assert "Results of" in announcement.body and "Entry 1" in announcement.body and "3 votes" in announcement.body
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.verb == "competition.close"))
    assert event.after["seed"] == competition.draw_seed and event.after["winners"] == [second.id]


def test_hosts_scores_decide_when_hosts_judge(voting_competition, user_factory, moderator, admin, db):
    competition, (first, second, third), _people = voting_competition(judging="moderators", winner_count=2)
    for judge, scores in ((moderator, (4, 9, 7)), (admin, (5, 6, 8))):
        for entry, score in zip((first, second, third), scores):
            services.score_entry(entry, judge=judge, score=score)
    db.session.commit()
    closing.close_competition(competition, now=competition.voting_closes_at)
    assert [(e.rank, e.score, e.is_winner) for e in (third, second, first)] == [(1, 15, True), (2, 15, True),
                                                                                (3, 9, False)] or \
        [(e.rank, e.score, e.is_winner) for e in (second, third, first)] == [(1, 15, True), (2, 15, True),
                                                                             (3, 9, False)]


def test_ties_are_broken_by_a_seeded_draw_that_anyone_can_replay():
    scores = {11: 2, 12: 2, 13: 2, 14: 5, 15: 0}
    placings = closing.rank(scores, seed=424242, winner_count=2)
    assert placings[0].entry_id == 14
    assert placings == closing.rank(scores, seed=424242, winner_count=2)
    order = sorted(scores)
    import random

    random.Random(424242).shuffle(order)
    tied = [p.entry_id for p in placings if p.score == 2]
    assert tied == [entry_id for entry_id in order if scores[entry_id] == 2]
    assert [p.is_winner for p in placings] == [True, True, False, False, False]
    assert {tuple(p.entry_id for p in closing.rank(scores, seed=s, winner_count=2)) for s in range(30)} != {
        tuple(p.entry_id for p in placings)}


def test_a_tie_is_drawn_and_the_seed_recorded(voting_competition, user_factory, db):
    competition, (first, second, third), _people = voting_competition()
    vote_for(first, [user_factory()], db)
    vote_for(second, [user_factory()], db)
    closing.close_competition(competition, now=competition.voting_closes_at, seed=7)
    db.session.commit()
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.verb == "competition.close"))
    assert event.after["seed"] == 7 and event.after["ties_drawn"] is True
    expected = [p.entry_id for p in closing.rank({first.id: 1, second.id: 1, third.id: 0}, 7, 1)]
    assert [row["entry_id"] for row in event.after["ranking"]] == expected
    announcement = db.session.scalar(sa.select(Post).where(Post.thread_id == competition.thread_id, Post.number == 2))
    assert "seed 7" in announcement.body


def test_close_activities_twice_gives_the_same_winners_points_and_audit_log(voting_competition, user_factory, db,
                                                                           runner):
    competition, (first, second, _third), _people = voting_competition()
    vote_for(first, [user_factory(), user_factory()], db)
    vote_for(second, [user_factory()], db)
    competition.voting_closes_at = utcnow() - timedelta(minutes=1)
    db.session.commit()

    def snapshot():
        db.session.expire_all()
        return (
            [(e.id, e.rank, e.score, e.is_winner) for e in db.session.scalars(
                sa.select(CompetitionEntry).order_by(CompetitionEntry.id))],
            [(p.user_id, p.amount, p.reason)
             for p in db.session.scalars(sa.select(PointEvent).order_by(PointEvent.id))],
            [(a.id, a.verb, a.after) for a in db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id))],
            count_rows(Post, Post.thread_id == competition.thread_id), count_rows(Notification),
            db.session.get(Competition, competition.id).draw_seed,
        )

    first_run = runner.invoke(args=["jobs", "run-once", "close_activities"])
    assert "1 items" in first_run.output
    after_first = snapshot()
    second_run = runner.invoke(args=["jobs", "run-once", "close_activities"])
    assert "0 items" in second_run.output
    assert snapshot() == after_first
    assert after_first[0][0][3] is True  # the first entry won


def test_close_activities_twice_keeps_the_drawn_winners_of_a_tie_the_announcement_and_the_closed_poll(
        voting_competition, user_factory, poll_factory, db, runner):
    competition, (first, second, third), _people = voting_competition(winner_count=1, win_points=30)
    vote_for(first, [user_factory()], db)
    vote_for(second, [user_factory()], db)  # first and second tie: the seeded draw decides
    poll = poll_factory(closes_at=utcnow() + timedelta(minutes=5))
    poll.closes_at = utcnow() - timedelta(minutes=1)
    competition.voting_closes_at = utcnow() - timedelta(minutes=1)
    db.session.commit()

    def snapshot():
        db.session.expire_all()
        return (
            [(e.id, e.rank, e.score, e.is_winner) for e in db.session.scalars(
                sa.select(CompetitionEntry).order_by(CompetitionEntry.id))],
            sorted((u.id, u.points) for u in db.session.scalars(sa.select(User))),
            [(p.user_id, p.amount, p.reason, p.key) for p in db.session.scalars(
                sa.select(PointEvent).order_by(PointEvent.id))],
            [(a.id, a.verb, a.after) for a in db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id))],
            [p.body for p in db.session.scalars(sa.select(Post).where(
                Post.thread_id == competition.thread_id).order_by(Post.number))],
            count_rows(Notification), count_rows(BadgeAward), db.session.get(Poll, poll.id).closed_at,
        )

    assert "2 items" in runner.invoke(args=["jobs", "run-once", "close_activities"]).output
    after_first = snapshot()
    assert "0 items" in runner.invoke(args=["jobs", "run-once", "close_activities"]).output
    assert snapshot() == after_first
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.verb == "competition.close"))
    seed = db.session.get(Competition, competition.id).draw_seed
    expected = closing.rank({first.id: 1, second.id: 1, third.id: 0}, seed, 1)
    assert event.after["seed"] == seed and event.after["ties_drawn"] is True
    assert event.after["winners"] == [expected[0].entry_id]
    assert [row["entry_id"] for row in event.after["ranking"]] == [p.entry_id for p in expected]
    winner = db.session.get(CompetitionEntry, expected[0].entry_id)
    assert winner.is_winner and db.session.get(User, winner.user_id).points == 5 + 30
    posts = after_first[4]
    assert len(posts) == 2 and winner.title in posts[1] and f"seed {seed}" in posts[1]
    assert [v for _id, v, _a in after_first[3]].count("poll.close") == 1


def test_a_competition_without_entries_or_votes_closes_without_winners(competition_factory, voting_competition, db):
    empty = competition_factory(start=utcnow() - VOTING)
    closing.close_competition(empty, now=utcnow())
    competition, entries, _people = voting_competition()
    closing.close_competition(competition, now=utcnow())
    db.session.commit()
    assert not any(e.is_winner for e in entries)
    bodies = [p.body for p in db.session.scalars(sa.select(Post).where(Post.number == 2).order_by(Post.id))]
    assert "no entries" in bodies[0] and "No votes were cast" in bodies[1]


def test_a_hidden_entry_loses_its_votes_and_points_and_cannot_win(voting_competition, user_factory, moderator, db):
    competition, (first, second, _third), (alice, *_rest) = voting_competition()
    vote_for(first, [user_factory(), user_factory()], db)
    vote_for(second, [user_factory()], db)
    assert services.moderate_entry(first, "hide", by=moderator, reason="Copied photo")
    db.session.commit()
    assert alice.points == 0 and count_rows(CompetitionVote, CompetitionVote.entry_id == first.id) == 0
    with pytest.raises(DomainError, match="Voting is not open"):
        services.vote(first, user=user_factory())
    closing.close_competition(competition, now=utcnow())
    assert second.is_winner and first.rank is None
    assert count_rows(AuditEvent, AuditEvent.verb == "competition_entry.hide") == 1


def test_restoring_an_entry_gives_its_points_back(voting_competition, moderator, db):
    _competition, (first, *_others), (alice, *_rest) = voting_competition()
    services.moderate_entry(first, "hide", by=moderator, reason="Check")
    services.moderate_entry(first, "restore", by=moderator)
    db.session.commit()
    assert alice.points == 5
    with pytest.raises(DomainError):
        services.moderate_entry(first, "hide", by=moderator, reason="")


def test_an_entrant_whose_entry_was_hidden_hears_about_the_close(voting_competition, user_factory, moderator, db):
    competition, (first, second, _third), (alice, bob, _carol) = voting_competition()
    vote_for(second, [user_factory()], db)
    services.moderate_entry(first, "hide", by=moderator, reason="Not the entrant's photo")
    db.session.commit()
    closing.close_competition(competition, now=competition.voting_closes_at)
    db.session.commit()
    told = {n.user_id: n.text for n in db.session.scalars(sa.select(Notification).where(
        Notification.kind == "competition"))}
    assert "withdrawn by the hosts" in told[alice.id] and "You won" in told[bob.id]


def test_closing_twice_in_parallel_closes_once(voting_competition, user_factory, db, parallel):
    competition, (first, *_rest), _people = voting_competition()
    vote_for(first, [user_factory()], db)
    competition_id, when = competition.id, competition.voting_closes_at

    def close(_index: int) -> None:
        closing.close_competition(db.session.get(Competition, competition_id), now=when)

    assert parallel(4, close) == []
    assert count_rows(AuditEvent, AuditEvent.verb == "competition.close") == 1
    assert count_rows(PointEvent, PointEvent.reason == "competition_win") == 1
    assert count_rows(Post, Post.thread_id == competition.thread_id) == 2


"""Competitions: windows, entering, one vote per member (also in parallel), judging, closing with a recorded draw."""
from __future__ import annotations

import io
from datetime import timedelta

import pytest
import sqlalchemy as sa
from PIL import Image
from werkzeug.datastructures import FileStorage

from app.competitions import closing, services
from app.competitions.models import Competition, CompetitionEntry, CompetitionVote
from app.core.exceptions import DomainError
from app.db import utcnow
from app.forum.models import Post
from app.members.models import User
from app.members.notifications import Notification
from app.moderation.models import AuditEvent
from app.points.models import BadgeAward, PointEvent

VOTING = timedelta(days=1, hours=12)  # a competition started this long ago is in its voting window now


def _count(model, *where) -> int:
    from app.extensions import db

    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


@pytest.fixture
def voting_competition(competition_factory, user_factory, db):
    """A competition in its voting window with three entries; returns (competition, entries, entrants)."""

    def make(*, entrants: int = 3, **kwargs):
        start = utcnow() - VOTING
        competition = competition_factory(start=start, **kwargs)
        people = [user_factory() for _ in range(entrants)]
        entries = [services.enter(competition, user=person, title=f"Entry {i}", body="My tea moment.",
                                  now=start + timedelta(hours=1)) for i, person in enumerate(people)]
        db.session.commit()
        return competition, entries, people

    return make


def _vote(entry, voters, db):
    for voter in voters:
        services.vote(entry, user=voter)
    db.session.commit()


def test_a_hosts_competition_is_published_with_its_thread(competition_factory, db):
    competition = competition_factory(title="Best tea photo")
    assert competition.is_published and competition.thread.title == "Best tea photo"
    opening = db.session.scalar(sa.select(Post).where(Post.thread_id == competition.thread_id))
    assert f"/competitions/{competition.id}" in opening.body_html and "A tea set" in opening.body


def test_a_researchers_competition_waits_for_a_host(competition_factory, researcher, moderator, db):
    draft = competition_factory(by=researcher)
    assert not draft.is_published and draft.thread_id is None
    with pytest.raises(DomainError):
        services.publish_competition(draft, by=researcher)
    assert services.publish_competition(draft, by=moderator)
    assert draft.thread.author_id == moderator.id and draft.published_by_id == moderator.id


def test_members_cannot_create_competitions(competition_factory, member):
    with pytest.raises(DomainError):
        competition_factory(by=member)


@pytest.mark.parametrize("hours, field", [
    ((0, 0, 2, 3), "entry_closes_at"), ((0, 2, 1, 3), "voting_opens_at"), ((0, 1, 2, 2), "voting_closes_at"),
    ((-5, -4, -3, -2), "voting_closes_at")])
def test_windows_must_be_in_order_and_end_in_the_future(db, moderator, category_factory, hours, field):
    now = utcnow()
    windows = services.Windows(*(now + timedelta(hours=h) for h in hours))
    with pytest.raises(DomainError) as error:
        services.save_competition(None, by=moderator, title="Tea", rules_text="Rules", prize="",
                                  category=category_factory(), windows=windows, judging="members", entry_points=5,
                                  win_points=50, winner_count=1)
    assert error.value.field == field


def test_entering_earns_points_once_and_can_be_changed_until_entries_close(competition_factory, member, db):
    competition = competition_factory(entry_points=7)
    entry = services.enter(competition, user=member, title="Green tea", body="First version")
    services.enter(competition, user=member, title="Green tea at dawn", body="Second version")
    db.session.commit()
    assert _count(CompetitionEntry) == 1 and entry.title == "Green tea at dawn"
    assert member.points == 7
    with pytest.raises(DomainError, match="not open"):
        services.enter(competition, user=member, title="Late", body="Too late", now=competition.entry_closes_at)


def test_entries_are_refused_before_they_open_and_for_researchers(competition_factory, member, researcher):
    competition = competition_factory(start=utcnow() + timedelta(hours=2))
    with pytest.raises(DomainError, match="not open"):
        services.enter(competition, user=member, title="Early", body="Too early")
    with pytest.raises(DomainError, match="Researchers"):
        services.enter(competition_factory(), user=researcher, title="Mine", body="Observer")


def _image(fmt: str = "PNG") -> FileStorage:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "green").save(buffer, fmt)
    buffer.seek(0)
    return FileStorage(buffer, filename=f"tea.{fmt.lower()}")


def test_an_entry_may_carry_one_photo_which_a_new_one_replaces(app, competition_factory, member, db, tmp_path):
    app.config["UPLOAD_DIR"] = str(tmp_path)
    try:
        competition = competition_factory()
        entry = services.enter(competition, user=member, title="Matcha", body="Whisked", photo=_image())
        services.enter(competition, user=member, title="Matcha", body="Whisked", photo=_image("JPEG"))
        db.session.commit()
        photos = services.photos_of([entry.id])[entry.id]
        assert [p.content_type for p in photos] == ["image/jpeg"]
        with pytest.raises(DomainError):
            services.enter(competition, user=member, title="Matcha", body="Whisked",
                           photo=FileStorage(io.BytesIO(b"<?php echo 1;"), filename="x.jpg"))
    finally:
        app.config.pop("UPLOAD_DIR")


def test_one_vote_per_member_which_can_move_but_never_to_their_own_entry(voting_competition, user_factory, db):
    competition, (first, second, _third), (author, *_rest) = voting_competition()
    voter = user_factory()
    services.vote(first, user=voter)
    services.vote(second, user=voter)
    db.session.commit()
    assert _count(CompetitionVote) == 1 and services.voted_entry_id(competition, voter) == second.id
    with pytest.raises(DomainError, match="your own entry"):
        services.vote(first, user=author)


def test_the_database_refuses_a_second_vote_and_a_vote_for_ones_own_entry(voting_competition, user_factory, db):
    competition, (first, second, _third), (author, *_rest) = voting_competition()
    voter = user_factory()
    db.session.add(CompetitionVote(competition_id=competition.id, entry_id=first.id, user_id=voter.id,
                                   entry_author_id=first.user_id))
    db.session.commit()
    db.session.add(CompetitionVote(competition_id=competition.id, entry_id=second.id, user_id=voter.id,
                                   entry_author_id=second.user_id))
    with pytest.raises(sa.exc.IntegrityError):
        db.session.commit()
    db.session.rollback()
    db.session.add(CompetitionVote(competition_id=competition.id, entry_id=first.id, user_id=author.id,
                                   entry_author_id=author.id))
    with pytest.raises(sa.exc.IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_parallel_votes_from_one_member_leave_one_vote(voting_competition, user_factory, db, parallel):
    competition, entries, _people = voting_competition()
    voter_id, entry_ids = user_factory().id, [e.id for e in entries]

    def submit(index: int) -> None:
        services.vote(db.session.get(CompetitionEntry, entry_ids[index % 3]), user=db.session.get(User, voter_id))

    assert parallel(8, submit) == []
    assert _count(CompetitionVote, CompetitionVote.competition_id == competition.id,
                  CompetitionVote.user_id == voter_id) == 1


def test_parallel_entries_from_one_member_leave_one_entry_and_one_award(competition_factory, member, db, parallel):
    competition_id, member_id = competition_factory(entry_points=5).id, member.id

    def submit(index: int) -> None:
        services.enter(db.session.get(Competition, competition_id), user=db.session.get(User, member_id),
                       title=f"Entry {index}", body="Same moment")

    assert parallel(6, submit) == []
    assert _count(CompetitionEntry, CompetitionEntry.user_id == member_id) == 1
    assert _count(PointEvent, PointEvent.user_id == member_id, PointEvent.reason == "competition_entry") == 1
    assert db.session.get(User, member_id).points == 5


def test_voting_happens_only_in_the_voting_window(competition_factory, user_factory, db):
    competition = competition_factory()
    entry = services.enter(competition, user=user_factory(), title="Oolong", body="Roasted")
    with pytest.raises(DomainError, match="Voting is not open"):
        services.vote(entry, user=user_factory())


def test_when_hosts_judge_members_cannot_vote_and_hosts_score(voting_competition, user_factory, moderator, db):
    competition, (first, second, _third), _people = voting_competition(judging="moderators")
    with pytest.raises(DomainError):
        services.vote(first, user=user_factory())
    services.score_entry(first, judge=moderator, score=8)
    services.score_entry(first, judge=moderator, score=9)
    with pytest.raises(DomainError):
        services.score_entry(second, judge=moderator, score=11)
    db.session.commit()
    assert services.live_counts(competition) == {first.id: 9}


def test_closing_ranks_awards_notifies_and_announces(voting_competition, user_factory, db):
    competition, (first, second, third), (alice, bob, carol) = voting_competition(win_points=40)
    _vote(second, [user_factory() for _ in range(3)], db)
    _vote(first, [user_factory()], db)
    assert closing.close_due_competitions(competition.voting_closes_at) == 1
    db.session.commit()
    assert (second.rank, second.is_winner, second.score) == (1, True, 3)
    assert (first.rank, first.is_winner) == (2, False) and (third.rank, third.score) == (3, 0)
    assert bob.points == 5 + 40 and alice.points == 5
    assert _count(BadgeAward, BadgeAward.user_id == bob.id, BadgeAward.badge == "competition_winner") == 1
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
    _vote(first, [user_factory()], db)
    _vote(second, [user_factory()], db)
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
    _vote(first, [user_factory(), user_factory()], db)
    _vote(second, [user_factory()], db)
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
            _count(Post, Post.thread_id == competition.thread_id), _count(Notification),
            db.session.get(Competition, competition.id).draw_seed,
        )

    first_run = runner.invoke(args=["jobs", "run-once", "close_activities"])
    assert "1 items" in first_run.output
    after_first = snapshot()
    second_run = runner.invoke(args=["jobs", "run-once", "close_activities"])
    assert "0 items" in second_run.output
    assert snapshot() == after_first
    assert after_first[0][0][3] is True  # the first entry won


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
    _vote(first, [user_factory(), user_factory()], db)
    _vote(second, [user_factory()], db)
    assert services.moderate_entry(first, "hide", by=moderator, reason="Copied photo")
    db.session.commit()
    assert alice.points == 0 and _count(CompetitionVote, CompetitionVote.entry_id == first.id) == 0
    with pytest.raises(DomainError, match="Voting is not open"):
        services.vote(first, user=user_factory())
    closing.close_competition(competition, now=utcnow())
    assert second.is_winner and first.rank is None
    assert _count(AuditEvent, AuditEvent.verb == "competition_entry.hide") == 1


def test_restoring_an_entry_gives_its_points_back(voting_competition, moderator, db):
    _competition, (first, *_others), (alice, *_rest) = voting_competition()
    services.moderate_entry(first, "hide", by=moderator, reason="Check")
    services.moderate_entry(first, "restore", by=moderator)
    db.session.commit()
    assert alice.points == 5
    with pytest.raises(DomainError):
        services.moderate_entry(first, "hide", by=moderator, reason="")


def test_the_database_refuses_a_vote_that_misstates_its_entrys_author_or_competition(voting_competition,
                                                                                        competition_factory,
                                                                                        user_factory, db):
    competition, (first, _second, _third), (author, *_rest) = voting_competition()
    other = competition_factory(start=utcnow() - VOTING)
    # Claiming someone else wrote the entry would slip past the "not your own entry" check without the key.
    db.session.add(CompetitionVote(competition_id=competition.id, entry_id=first.id, user_id=author.id,
                                   entry_author_id=user_factory().id))
    with pytest.raises(sa.exc.IntegrityError):
        db.session.commit()
    db.session.rollback()
    # Filing the vote under another competition would dodge "one vote per competition".
    db.session.add(CompetitionVote(competition_id=other.id, entry_id=first.id, user_id=user_factory().id,
                                   entry_author_id=first.user_id))
    with pytest.raises(sa.exc.IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_a_vote_follows_its_entry_when_the_entrant_account_is_deleted(voting_competition, user_factory, db):
    competition, (first, _second, _third), (author, *_rest) = voting_competition()
    voter = user_factory()
    services.vote(first, user=voter)
    db.session.commit()
    db.session.execute(sa.delete(PointEvent).where(PointEvent.user_id == author.id))
    db.session.execute(sa.delete(Notification).where(Notification.user_id == author.id))
    db.session.execute(sa.delete(User).where(User.id == author.id))
    db.session.commit()
    db.session.expire_all()
    vote = db.session.scalar(sa.select(CompetitionVote).where(CompetitionVote.user_id == voter.id))
    assert db.session.get(CompetitionEntry, first.id).user_id is None
    assert vote.entry_id == first.id and vote.entry_author_id is None


def test_entries_are_refused_once_entries_close(competition_factory, user_factory, db):
    competition = competition_factory(start=utcnow() - timedelta(days=1, minutes=1))
    assert competition.phase(utcnow()) == "voting"
    with pytest.raises(DomainError, match="Entries are not open"):
        services.enter(competition, user=user_factory(), title="Too late", body="Sorry")


def test_votes_are_refused_once_voting_closes(voting_competition, user_factory, db):
    competition, (first, *_rest), _people = voting_competition()
    with pytest.raises(DomainError, match="Voting is not open"):
        services.vote(first, user=user_factory(), now=competition.voting_closes_at)
    closing.close_competition(competition, now=competition.voting_closes_at)
    with pytest.raises(DomainError, match="Voting is not open"):
        services.vote(first, user=user_factory(), now=competition.voting_opens_at)


def test_an_entrant_whose_entry_was_hidden_hears_about_the_close(voting_competition, user_factory, moderator, db):
    competition, (first, second, _third), (alice, bob, _carol) = voting_competition()
    _vote(second, [user_factory()], db)
    services.moderate_entry(first, "hide", by=moderator, reason="Not the entrant's photo")
    db.session.commit()
    closing.close_competition(competition, now=competition.voting_closes_at)
    db.session.commit()
    told = {n.user_id: n.text for n in db.session.scalars(sa.select(Notification).where(
        Notification.kind == "competition"))}
    assert "withdrawn by the hosts" in told[alice.id] and "You won" in told[bob.id]


def test_hosts_scores_are_audited_and_hidden_entries_cannot_be_scored(voting_competition, moderator, db):
    _competition, (first, second, _third), _people = voting_competition(judging="moderators")
    services.score_entry(first, judge=moderator, score=6)
    services.score_entry(first, judge=moderator, score=6)  # unchanged: no second row
    services.score_entry(first, judge=moderator, score=8)
    services.moderate_entry(second, "hide", by=moderator, reason="Off topic")
    with pytest.raises(DomainError, match="hidden"):
        services.score_entry(second, judge=moderator, score=3)
    db.session.commit()
    events = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.verb == "competition_entry.score")
                                .order_by(AuditEvent.id)).all()
    assert [(e.actor_id, e.target_id, e.before["score"], e.after["score"]) for e in events] == [
        (moderator.id, first.id, None, 6), (moderator.id, first.id, 6, 8)]


def test_closing_twice_in_parallel_closes_once(voting_competition, user_factory, db, parallel):
    competition, (first, *_rest), _people = voting_competition()
    _vote(first, [user_factory()], db)
    competition_id, when = competition.id, competition.voting_closes_at

    def close(_index: int) -> None:
        closing.close_competition(db.session.get(Competition, competition_id), now=when)

    assert parallel(4, close) == []
    assert _count(AuditEvent, AuditEvent.verb == "competition.close") == 1
    assert _count(PointEvent, PointEvent.reason == "competition_win") == 1
    assert _count(Post, Post.thread_id == competition.thread_id) == 2

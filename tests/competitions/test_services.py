"""Competitions: windows, entering, one vote per member (also in parallel), judging."""
from __future__ import annotations

import io
from datetime import timedelta

import pytest
import sqlalchemy as sa
from PIL import Image
from werkzeug.datastructures import FileStorage

from app.audit.models import AuditEvent
from app.competitions import closing, services
from app.competitions.models import Competition, CompetitionEntry, CompetitionVote
from app.core.exceptions import DomainError
from app.db import utcnow
from app.forum.models import Post
from app.members.models import User
from app.members.notifications import Notification
from app.points.models import PointEvent
from tests.competitions.helpers import VOTING, count_rows, vote_for


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
    assert count_rows(CompetitionEntry) == 1 and entry.title == "Green tea at dawn"
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
    assert count_rows(CompetitionVote) == 1 and services.voted_entry_id(competition, voter) == second.id
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


def test_parallel_votes_from_one_member_leave_onevote_for(voting_competition, user_factory, db, parallel):
    competition, entries, _people = voting_competition()
    voter_id, entry_ids = user_factory().id, [e.id for e in entries]

    def submit(index: int) -> None:
        services.vote(db.session.get(CompetitionEntry, entry_ids[index % 3]), user=db.session.get(User, voter_id))

    assert parallel(8, submit) == []
    assert count_rows(CompetitionVote, CompetitionVote.competition_id == competition.id,
                  CompetitionVote.user_id == voter_id) == 1


def test_parallel_moves_of_an_existing_vote_leave_onevote_for(voting_competition, user_factory, db, parallel):
    competition, entries, _people = voting_competition()
    voter = user_factory()
    vote_for(entries[0], [voter], db)
    voter_id, entry_ids = voter.id, [e.id for e in entries]

    def submit(index: int) -> None:
        services.vote(db.session.get(CompetitionEntry, entry_ids[index % 3]), user=db.session.get(User, voter_id))

    assert parallel(8, submit) == []
    assert count_rows(CompetitionVote, CompetitionVote.competition_id == competition.id,
                  CompetitionVote.user_id == voter_id) == 1
    moved_to = services.voted_entry_id(competition, db.session.get(User, voter_id))
    assert moved_to in entry_ids


def test_parallel_votes_from_different_members_are_each_counted_once(voting_competition, user_factory, db,
                                                                     parallel):
    competition, entries, _people = voting_competition()
    entry_id, voter_ids = entries[0].id, [user_factory().id for _ in range(6)]

    def submit(index: int) -> None:
        services.vote(db.session.get(CompetitionEntry, entry_id), user=db.session.get(User, voter_ids[index]))

    assert parallel(6, submit) == []
    votes = db.session.scalars(sa.select(CompetitionVote.user_id).where(
        CompetitionVote.competition_id == competition.id)).all()
    assert len(votes) == len(set(votes))
    if db.engine.dialect.name == "postgresql":  # SQLite may refuse a writer with "database is locked"
        assert sorted(votes) == sorted(voter_ids)


def test_parallel_entries_from_one_member_leave_one_entry_and_one_award(competition_factory, member, db, parallel):
    competition_id, member_id = competition_factory(entry_points=5).id, member.id

    def submit(index: int) -> None:
        services.enter(db.session.get(Competition, competition_id), user=db.session.get(User, member_id),
                       title=f"Entry {index}", body="Same moment")

    assert parallel(6, submit) == []
    assert count_rows(CompetitionEntry, CompetitionEntry.user_id == member_id) == 1
    assert count_rows(PointEvent, PointEvent.user_id == member_id, PointEvent.reason == "competition_entry") == 1
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


def test_a_judges_double_click_leaves_one_score(voting_competition, moderator, db, parallel):
    from app.competitions.models import CompetitionScore

    competition, (first, _second, _third), _people = voting_competition(judging="moderators")
    entry_id, judge_id = first.id, moderator.id

    def save(index: int) -> None:
        services.score_entry(db.session.get(CompetitionEntry, entry_id), judge=db.session.get(User, judge_id),
                             score=7)

    assert parallel(2, save) == []
    scores = db.session.scalars(sa.select(CompetitionScore.score).where(CompetitionScore.entry_id == entry_id)).all()
    assert scores == [7]
    assert services.live_counts(competition) == {entry_id: 7}


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
    _competition, (first, _second, _third), (author, *_rest) = voting_competition()
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

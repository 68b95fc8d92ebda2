"""Polls: creation rules, one ballot per member (also under parallel submits), results visibility, closing."""
from __future__ import annotations

import threading
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.core.exceptions import DomainError
from app.db import utcnow
from app.moderation.models import AuditEvent
from app.polls import services
from app.polls.models import Ballot, BallotChoice, Poll


@pytest.fixture
def poll_factory(db, thread_factory, moderator):
    def make(*, by=None, options=("Red", "Nude", "Berry"), **kwargs):
        poll = services.create_poll(thread_factory(), by=by or moderator, question="Favourite lipstick shade?",
                                    options=list(options), **kwargs)
        db.session.commit()
        return poll

    return make


def test_hosts_publish_at_once_researchers_draft(poll_factory, researcher, moderator):
    assert poll_factory().is_published
    draft = poll_factory(by=researcher)
    assert not draft.is_published
    assert services.publish_poll(draft, by=moderator) and draft.is_published


@pytest.mark.parametrize("options", [["Only one"], [f"o{i}" for i in range(21)], ["Same", "same"]])
def test_two_to_twenty_distinct_options(db, thread_factory, moderator, options):
    with pytest.raises(DomainError) as error:
        services.create_poll(thread_factory(), by=moderator, question="Question?", options=options)
    assert error.value.field == "options"


def test_members_cannot_create_polls(db, thread_factory, member):
    with pytest.raises(DomainError):
        services.create_poll(thread_factory(), by=member, question="Mine?", options=["a", "b"])


def test_member_may_change_the_ballot_until_close(poll_factory, member, moderator, db):
    poll = poll_factory()
    red, nude, _berry = poll.options
    services.vote(poll, user=member, option_ids=[red.id])
    services.vote(poll, user=member, option_ids=[nude.id])
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Ballot)) == 1
    assert services.chosen_options(services.ballot_of(poll, member)) == {nude.id}
    services.close_poll(poll, by=moderator)
    with pytest.raises(DomainError, match="closed"):
        services.vote(poll, user=member, option_ids=[red.id])


def test_member_cannot_vote_twice_even_in_parallel(app, poll_factory, member, db):
    """Eight simultaneous submits from one member leave exactly one ballot (SQLite and PostgreSQL)."""
    poll = poll_factory()
    poll_id, member_id, option_ids = poll.id, member.id, [o.id for o in poll.options]
    barrier, errors = threading.Barrier(8), []

    def submit(index: int) -> None:
        from app.extensions import db as database
        from app.members.models import User

        with app.app_context():
            try:
                barrier.wait(timeout=10)
                target = database.session.get(Poll, poll_id)
                voter = database.session.get(User, member_id)
                services.vote(target, user=voter, option_ids=[option_ids[index % 3]])
                database.session.commit()
            except sa.exc.OperationalError:  # SQLite may say "database is locked" to a loser: no second ballot
                database.session.rollback()
            except Exception as error:  # noqa: BLE001
                errors.append(error)
                database.session.rollback()

    workers = [threading.Thread(target=submit, args=(i,)) for i in range(8)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    db.session.expire_all()
    assert errors == []
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Ballot).where(Ballot.poll_id == poll_id)) == 1
    ballot_id = db.session.scalar(sa.select(Ballot.id).where(Ballot.poll_id == poll_id))
    assert db.session.scalar(sa.select(sa.func.count()).select_from(BallotChoice)
                             .where(BallotChoice.ballot_id == ballot_id)) == 1
    assert db.session.get(Poll, poll_id).voter_count == 1


def test_the_database_refuses_a_second_ballot(poll_factory, member, db):
    poll = poll_factory()
    db.session.add(Ballot(poll_id=poll.id, user_id=member.id))
    db.session.commit()
    db.session.add(Ballot(poll_id=poll.id, user_id=member.id))
    with pytest.raises(sa.exc.IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_multiple_choice_respects_the_maximum(poll_factory, member):
    poll = poll_factory(is_multiple=True, max_choices=2)
    with pytest.raises(DomainError, match="at most 2"):
        services.vote(poll, user=member, option_ids=[o.id for o in poll.options])
    services.vote(poll, user=member, option_ids=[o.id for o in poll.options[:2]])


def test_researchers_observe_and_do_not_vote(poll_factory, researcher):
    with pytest.raises(DomainError):
        services.vote(poll_factory(), user=researcher, option_ids=[])


def test_results_count_and_percentages(poll_factory, user_factory, db):
    poll = poll_factory()
    red, nude, berry = poll.options
    for option in (red, red, nude):
        services.vote(poll, user=user_factory(), option_ids=[option.id])
    db.session.commit()
    rows, voters = services.results(poll)
    assert voters == 3
    assert [(r.option.text, r.votes, r.percent) for r in rows] == [("Red", 2, 66.7), ("Nude", 1, 33.3),
                                                                  ("Berry", 0, 0.0)]


@pytest.mark.parametrize("visibility, before, after_vote, after_close", [
    ("always", True, True, True), ("after_vote", False, True, True), ("after_close", False, False, True)])
def test_results_visibility(poll_factory, member, moderator, visibility, before, after_vote, after_close):
    poll = poll_factory(results_visibility=visibility)
    assert services.can_see_results(poll, member, has_voted=False) is before
    assert services.can_see_results(poll, member, has_voted=True) is after_vote
    services.close_poll(poll, by=moderator)
    assert services.can_see_results(poll, member, has_voted=False) is after_close
    assert services.can_see_results(poll, moderator, has_voted=False)


def test_close_activities_closes_due_polls_once(poll_factory, runner, db):
    poll = poll_factory(closes_at=utcnow() + timedelta(seconds=1))
    poll.closes_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    first = runner.invoke(args=["jobs", "run-once", "close_activities"])
    second = runner.invoke(args=["jobs", "run-once", "close_activities"])
    assert "1 items" in first.output and "0 items" in second.output
    db.session.expire_all()
    assert db.session.get(Poll, poll.id).is_closed
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)
                             .where(AuditEvent.verb == "poll.close")) == 1


# --- views -----------------------------------------------------------------------------------------------

def test_moderator_adds_a_poll_and_members_vote_on_the_thread_page(moderator_client, member_client,
                                                                   thread_factory, db):
    thread = thread_factory()
    response = moderator_client.post(f"/t/{thread.id}/polls/new", data={
        "question": "Which texture?", "options": "Matte\nGlossy\n\n", "results_visibility": "after_vote"})
    assert response.status_code == 302
    page = member_client.get(f"/t/{thread.id}").get_data(as_text=True)
    assert "Which texture?" in page and "Results are shown after you vote" in page
    poll = db.session.scalar(sa.select(Poll))
    member_client.post(f"/polls/{poll.id}/vote", data={"option": str(poll.options[1].id)})
    page = member_client.get(f"/t/{thread.id}").get_data(as_text=True)
    assert "<meter" in page and "1 voter" in page and "100.0%" in page


def test_poll_form_errors_keep_the_input(moderator_client, thread_factory):
    thread = thread_factory()
    page = moderator_client.post(f"/t/{thread.id}/polls/new", data={"question": "Lonely?", "options": "Only",
                                                                    "results_visibility": "always"})
    assert page.status_code == 200 and b"2 to 20 options" in page.data and b"Lonely?" in page.data


def test_members_cannot_create_publish_or_close_polls(member_client, poll_factory, thread_factory):
    poll = poll_factory()
    assert member_client.get(f"/t/{thread_factory().id}/polls/new").status_code == 403
    assert member_client.post(f"/polls/{poll.id}/close").status_code == 403
    assert member_client.post(f"/polls/{poll.id}/publish").status_code == 403

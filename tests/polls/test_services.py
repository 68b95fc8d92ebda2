"""Polls: creation rules, one ballot per member (also under parallel submits), points, results, breakdown, closing."""
from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.core.exceptions import DomainError
from app.db import utcnow
from app.points.models import PointEvent
from app.polls import services
from app.polls.models import Ballot, BallotChoice, Poll
from app.security.activity_policy import can_see_poll_results


def _count(model, *where) -> int:
    from app.extensions import db

    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def test_hosts_publish_at_once_researchers_draft(poll_factory, researcher, moderator):
    assert poll_factory().is_published
    draft = poll_factory(by=researcher)
    assert not draft.is_published
    assert services.publish_poll(draft, by=moderator) and draft.is_published
    assert not services.publish_poll(draft, by=moderator)


def test_researchers_cannot_publish_polls(poll_factory, researcher):
    with pytest.raises(DomainError):
        services.publish_poll(poll_factory(by=researcher), by=researcher)


@pytest.mark.parametrize("options", [["Only one"], [f"o{i}" for i in range(21)], ["Same", "same"], ["a", "", " "]])
def test_a_poll_has_two_to_twenty_distinct_options(db, thread_factory, moderator, options):
    with pytest.raises(DomainError) as error:
        services.create_poll(thread_factory(), by=moderator, question="Question?", options=options)
    assert error.value.field == "options"


def test_twenty_options_are_allowed(poll_factory):
    assert len(poll_factory(options=[f"Option {i}" for i in range(20)]).options) == 20


def test_members_cannot_create_polls(db, thread_factory, member):
    with pytest.raises(DomainError):
        services.create_poll(thread_factory(), by=member, question="Mine?", options=["a", "b"])


def test_max_choices_must_fit_the_options(db, thread_factory, moderator):
    with pytest.raises(DomainError) as error:
        services.create_poll(thread_factory(), by=moderator, question="Which?", options=["a", "b"], is_multiple=True,
                             max_choices=3)
    assert error.value.field == "max_choices"


def test_the_closing_time_must_be_in_the_future(db, thread_factory, moderator):
    with pytest.raises(DomainError) as error:
        services.create_poll(thread_factory(), by=moderator, question="Which?", options=["a", "b"],
                             closes_at=utcnow() - timedelta(minutes=1))
    assert error.value.field == "closes_at"


def test_a_host_starts_a_thread_with_a_poll_but_a_researcher_cannot(db, category_factory, moderator, researcher):
    poll = services.start_poll_thread(category_factory(), by=moderator, title="Summer teas", body="Tell us!",
                                      question="Iced or hot?", options=["Iced", "Hot"])
    assert poll.thread.title == "Summer teas" and poll.is_published
    with pytest.raises(DomainError):
        services.start_poll_thread(category_factory(), by=researcher, title="Summer teas", body="Tell us!",
                                   question="Iced or hot?", options=["Iced", "Hot"])


def test_member_may_change_the_ballot_until_close(poll_factory, member, moderator, db):
    poll = poll_factory()
    red, nude, _berry = poll.options
    services.vote(poll, user=member, option_ids=[red.id])
    services.vote(poll, user=member, option_ids=[nude.id])
    db.session.commit()
    assert _count(Ballot) == 1
    assert services.chosen_options(services.ballot_of(poll, member)) == {nude.id}
    services.close_poll(poll, by=moderator)
    with pytest.raises(DomainError, match="closed"):
        services.vote(poll, user=member, option_ids=[red.id])


def test_voting_stops_at_the_closing_time_even_before_the_job_runs(poll_factory, member):
    poll = poll_factory(closes_at=utcnow() + timedelta(hours=1))
    with pytest.raises(DomainError, match="closed"):
        services.vote(poll, user=member, option_ids=[poll.options[0].id], now=utcnow() + timedelta(hours=2))


def test_a_draft_poll_takes_no_votes(poll_factory, researcher, member):
    poll = poll_factory(by=researcher)
    with pytest.raises(DomainError, match="not published"):
        services.vote(poll, user=member, option_ids=[poll.options[0].id])


def test_member_cannot_vote_twice_even_in_parallel(poll_factory, member, db, parallel):
    """Eight simultaneous submits from one member leave exactly one ballot (SQLite and PostgreSQL)."""
    poll = poll_factory()
    poll_id, member_id, option_ids = poll.id, member.id, [o.id for o in poll.options]

    def submit(index: int) -> None:
        from app.members.models import User

        services.vote(db.session.get(Poll, poll_id), user=db.session.get(User, member_id),
                      option_ids=[option_ids[index % 3]])

    assert parallel(8, submit) == []
    assert _count(Ballot, Ballot.poll_id == poll_id) == 1
    ballot_id = db.session.scalar(sa.select(Ballot.id).where(Ballot.poll_id == poll_id))
    assert _count(BallotChoice, BallotChoice.ballot_id == ballot_id) == 1
    assert db.session.get(Poll, poll_id).voter_count == 1
    assert _count(PointEvent, PointEvent.user_id == member_id, PointEvent.reason == "poll_vote") == 1


def test_parallel_changes_to_an_existing_ballot_leave_one_ballot_with_one_choice(poll_factory, member, db, parallel):
    """A member who already voted re-submits eight times at once: one ballot, one choice, no error."""
    poll = poll_factory()
    services.vote(poll, user=member, option_ids=[poll.options[0].id])
    db.session.commit()
    poll_id, member_id, option_ids = poll.id, member.id, [o.id for o in poll.options]

    def submit(index: int) -> None:
        from app.members.models import User

        services.vote(db.session.get(Poll, poll_id), user=db.session.get(User, member_id),
                      option_ids=[option_ids[index % 3]])

    assert parallel(8, submit) == []
    assert _count(Ballot, Ballot.poll_id == poll_id) == 1
    ballot_id = db.session.scalar(sa.select(Ballot.id).where(Ballot.poll_id == poll_id))
    assert _count(BallotChoice, BallotChoice.ballot_id == ballot_id) == 1
    assert db.session.get(Poll, poll_id).voter_count == 1


def test_parallel_ballots_from_different_members_are_all_counted(poll_factory, user_factory, db, parallel):
    poll = poll_factory()
    poll_id, option_id = poll.id, poll.options[0].id
    member_ids = [user_factory().id for _ in range(6)]

    def submit(index: int) -> None:
        from app.members.models import User

        services.vote(db.session.get(Poll, poll_id), user=db.session.get(User, member_ids[index]),
                      option_ids=[option_id])

    assert parallel(6, submit) == []
    voters = _count(Ballot, Ballot.poll_id == poll_id)
    assert db.session.get(Poll, poll_id).voter_count == voters
    assert services.results(db.session.get(Poll, poll_id))[1] == voters
    if db.engine.dialect.name == "postgresql":  # SQLite may refuse a writer with "database is locked"
        assert voters == 6


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


@pytest.mark.parametrize("option_ids", [[], [987654]])
def test_a_ballot_needs_options_of_this_poll(poll_factory, member, option_ids):
    with pytest.raises(DomainError, match="Choose an option"):
        services.vote(poll_factory(), user=member, option_ids=option_ids)


def test_researchers_observe_and_do_not_vote(poll_factory, researcher):
    poll = poll_factory()
    with pytest.raises(DomainError, match="Researchers observe"):
        services.vote(poll, user=researcher, option_ids=[poll.options[0].id])


def test_answering_a_poll_earns_points_once(poll_factory, member, db):
    poll = poll_factory()
    before = member.points
    services.vote(poll, user=member, option_ids=[poll.options[0].id])
    services.vote(poll, user=member, option_ids=[poll.options[1].id])
    db.session.commit()
    assert member.points == before + 2
    assert _count(PointEvent, PointEvent.user_id == member.id, PointEvent.reason == "poll_vote") == 1


def test_results_count_and_percentages(poll_factory, user_factory, db):
    poll = poll_factory()
    red, nude, _berry = poll.options
    for option in (red, red, nude):
        services.vote(poll, user=user_factory(), option_ids=[option.id])
    db.session.commit()
    rows, voters = services.results(poll)
    assert voters == 3
    assert [(r.option.text, r.votes, r.percent) for r in rows] == [("Red", 2, 66.7), ("Nude", 1, 33.3),
                                                                  ("Berry", 0, 0.0)]


def test_multiple_choice_percentages_are_of_voters(poll_factory, user_factory, db):
    poll = poll_factory(is_multiple=True, max_choices=3)
    red, nude, _berry = poll.options
    services.vote(poll, user=user_factory(), option_ids=[red.id, nude.id])
    services.vote(poll, user=user_factory(), option_ids=[red.id])
    rows, voters = services.results(poll)
    assert voters == 2 and [r.percent for r in rows] == [100.0, 50.0, 0.0]


@pytest.mark.parametrize("visibility, before, after_vote, after_close", [
    ("always", True, True, True), ("after_vote", False, True, True), ("after_close", False, False, True)])
def test_results_visibility(poll_factory, member, moderator, researcher, visibility, before, after_vote, after_close):
    poll = poll_factory(results_visibility=visibility)
    assert can_see_poll_results(member, poll, has_voted=False) is before
    assert can_see_poll_results(member, poll, has_voted=True) is after_vote
    assert can_see_poll_results(researcher, poll, has_voted=False)
    services.close_poll(poll, by=moderator)
    assert can_see_poll_results(member, poll, has_voted=False) is after_close
    assert can_see_poll_results(moderator, poll, has_voted=False)


def test_breakdown_by_segment_counts_each_group(poll_factory, user_factory, db, admin):
    from app.polls.crosstabs import poll_crosstab
    from app.segments import services as segments

    attribute = segments.save_attribute(None, by=admin, key="city_tier", label="City tier",
                                        values=["Tier 1", "Tier 2"], member_editable=True)
    tier1, tier2 = attribute.values
    poll = poll_factory()
    red, nude, _berry = poll.options
    for value, option in ((tier1, red), (tier1, nude), (tier2, red), (None, nude)):
        voter = user_factory()
        if value is not None:
            segments.set_values(voter, {attribute.id: value.id}, by=voter, source="member")
        services.vote(poll, user=voter, option_ids=[option.id])
    db.session.commit()
    table = poll_crosstab(poll, attribute, consenting_only=False)
    assert table.columns == ["Tier 1", "Tier 2", "not given"]
    assert table.voters == [2, 1, 1]
    assert [row.cells for row in table.rows] == [
        [(1, 50.0), (1, 100.0), (0, 0.0)], [(1, 50.0), (0, 0.0), (1, 100.0)], [(0, 0.0), (0, 0.0), (0, 0.0)]]


def test_close_activities_closes_due_polls_once(poll_factory, runner, db):
    poll = poll_factory(closes_at=utcnow() + timedelta(seconds=1))
    poll.closes_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    first = runner.invoke(args=["jobs", "run-once", "close_activities"])
    second = runner.invoke(args=["jobs", "run-once", "close_activities"])
    assert "1 items" in first.output and "0 items" in second.output
    db.session.expire_all()
    assert db.session.get(Poll, poll.id).is_closed
    assert _count(AuditEvent, AuditEvent.verb == "poll.close") == 1

"""Poll pages: creating, voting on the thread page, drafts, permissions, breakdown, bad input, parallel requests."""
from __future__ import annotations

import sqlalchemy as sa

from app.polls.models import Ballot, Poll
from tests.conftest import login_as

NEW_POLL = {"question": "Which texture?", "options": "Matte\nGlossy\n\n", "results_visibility": "after_vote"}


def test_moderator_adds_a_poll_and_members_vote_on_the_thread_page(moderator_client, member_client,
                                                                   thread_factory, db):
    thread = thread_factory()
    response = moderator_client.post(f"/t/{thread.id}/polls/new", data=NEW_POLL)
    assert response.status_code == 302
    page = member_client.get(f"/t/{thread.id}").get_data(as_text=True)
    assert "Which texture?" in page and "Results are shown after you vote" in page and "<meter" not in page
    poll = db.session.scalar(sa.select(Poll))
    response = member_client.post(f"/polls/{poll.id}/vote", data={"option": str(poll.options[1].id)})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"#poll-{poll.id}")
    page = member_client.get(f"/t/{thread.id}").get_data(as_text=True)
    assert "<meter" in page and "1 voter" in page and "100.0%" in page and "Change my vote" in page


def test_a_host_starts_a_thread_with_a_poll(moderator_client, category_factory, db):
    category = category_factory()
    response = moderator_client.post("/polls/new", data={**NEW_POLL, "category": str(category.id),
                                                         "title": "Lip textures", "body": "What do you wear?"})
    assert response.status_code == 302
    poll = db.session.scalar(sa.select(Poll))
    assert poll.thread.title == "Lip textures" and poll.thread.category_id == category.id


def test_poll_form_errors_keep_the_input(moderator_client, thread_factory):
    thread = thread_factory()
    page = moderator_client.post(f"/t/{thread.id}/polls/new", data={"question": "Lonely?", "options": "Only",
                                                                    "results_visibility": "always"})
    assert page.status_code == 200 and b"2 to 20 options" in page.data and b"Lonely?" in page.data


def test_bad_poll_input_is_refused_with_a_message_not_a_500(moderator_client, thread_factory):
    thread = thread_factory()
    page = moderator_client.post(f"/t/{thread.id}/polls/new", data={
        **NEW_POLL, "closes_at": "next tuesday", "max_choices": "lots", "results_visibility": "sometimes"})
    assert page.status_code == 200 and b"Which texture?" in page.data and b"has-error" in page.data
    page = moderator_client.post("/polls/new", data={**NEW_POLL, "category": "987654", "title": "T", "body": ""})
    assert page.status_code == 200 and b"has-error" in page.data


def test_a_vote_with_no_or_foreign_options_is_refused_politely(member_client, poll_factory, db):
    poll = poll_factory()
    for data in ({}, {"option": "987654"}, {"option": "abc"}, {"option": "9" * 40}):
        response = member_client.post(f"/polls/{poll.id}/vote", data=data, follow_redirects=True)
        assert response.status_code == 200 and b"Choose an option" in response.data
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Ballot)) == 0


def test_members_cannot_create_publish_or_close_polls(member_client, poll_factory, thread_factory):
    poll = poll_factory()
    assert member_client.get(f"/t/{thread_factory().id}/polls/new").status_code == 403
    assert member_client.get("/polls/new").status_code == 403
    assert member_client.post(f"/polls/{poll.id}/close").status_code == 403
    assert member_client.post(f"/polls/{poll.id}/publish").status_code == 403


def test_researchers_draft_polls_that_members_do_not_see_until_published(researcher_client, moderator_client,
                                                                        member_client, thread_factory, db):
    thread = thread_factory()
    assert researcher_client.get("/polls/new").status_code == 403  # they cannot post a thread
    assert researcher_client.post(f"/t/{thread.id}/polls/new", data=NEW_POLL).status_code == 302
    poll = db.session.scalar(sa.select(Poll))
    assert not poll.is_published
    assert b"Which texture?" not in member_client.get(f"/t/{thread.id}").data
    assert member_client.post(f"/polls/{poll.id}/vote", data={"option": str(poll.options[0].id)}).status_code == 404
    assert b"draft" in moderator_client.get(f"/t/{thread.id}").data
    assert moderator_client.post(f"/polls/{poll.id}/publish").status_code == 302
    assert b"Which texture?" in member_client.get(f"/t/{thread.id}").data


def test_researchers_cannot_vote_but_see_results_and_the_breakdown(researcher_client, moderator_client,
                                                                  poll_factory, thread_factory):
    poll = poll_factory(results_visibility="after_close")
    assert researcher_client.post(f"/polls/{poll.id}/vote", data={"option": str(poll.options[0].id)}).status_code == 403
    page = researcher_client.get(f"/t/{poll.thread_id}").get_data(as_text=True)
    assert "<meter" in page and "Breakdown by segment" in page and 'name="option"' not in page
    assert researcher_client.get(f"/polls/{poll.id}/breakdown").status_code == 200
    assert moderator_client.get(f"/polls/{poll.id}/breakdown").status_code == 403


def test_breakdown_page_shows_each_group(researcher_client, admin, poll_factory, user_factory, db):
    from app.polls import services as polls
    from app.segments import services as segments

    attribute = segments.save_attribute(None, by=admin, key="age_band", label="Age band", values=["18-24", "25-34"],
                                        member_editable=True)
    poll = poll_factory()
    voter = user_factory()
    segments.set_values(voter, {attribute.id: attribute.values[1].id}, by=voter, source="member")
    polls.vote(poll, user=voter, option_ids=[poll.options[0].id])
    db.session.commit()
    page = researcher_client.get(f"/polls/{poll.id}/breakdown?attribute={attribute.id}").get_data(as_text=True)
    assert "25-34" in page and "not given" in page and "100.0%" in page
    assert researcher_client.get(f"/polls/{poll.id}/breakdown?attribute=abc").status_code == 200


def test_the_closed_poll_shows_results_to_everyone(member_client, moderator_client, poll_factory):
    poll = poll_factory(results_visibility="after_close")
    assert b"Results are shown when the poll closes" in member_client.get(f"/t/{poll.thread_id}").data
    moderator_client.post(f"/polls/{poll.id}/close")
    page = member_client.get(f"/t/{poll.thread_id}").get_data(as_text=True)
    assert "<meter" in page and 'name="option"' not in page and "closed" in page


def test_parallel_vote_requests_from_one_member_leave_one_ballot(app, poll_factory, member, db):
    """Separate test clients (separate sessions) post at once: still exactly one ballot."""
    import threading

    poll = poll_factory()
    clients = [login_as(app.test_client(), member) for _ in range(6)]
    options = [str(o.id) for o in poll.options]
    barrier, statuses = threading.Barrier(len(clients)), []

    def post(index: int) -> None:
        barrier.wait(timeout=10)
        statuses.append(clients[index].post(f"/polls/{poll.id}/vote", data={"option": options[index % 3]}).status_code)

    workers = [threading.Thread(target=post, args=(i,)) for i in range(len(clients))]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert statuses == [302] * len(clients)
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Ballot).where(Ballot.poll_id == poll.id)) == 1
    assert db.session.get(Poll, poll.id).voter_count == 1


def test_the_activities_page_lists_polls_of_threads_the_member_may_see_only(member_client, member, poll_factory,
                                                                           thread_factory, user_factory, db):
    from app.db import ContentState

    poll_factory(question="Open to all?")  # no closing time: open until a host closes it
    others = thread_factory(author=user_factory(), title="Someone else's, awaiting review")
    own = thread_factory(author=member, title="Mine, awaiting review")
    for thread in (others, own):
        thread.state = ContentState.PENDING.value
    db.session.commit()
    poll_factory(thread=others, question="Hidden from members?")
    poll_factory(thread=own, question="Shown to its author?")
    page = member_client.get("/activities").get_data(as_text=True)
    assert "Open to all?" in page and "Shown to its author?" in page and "Hidden from members?" not in page

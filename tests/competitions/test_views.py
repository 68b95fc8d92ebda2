"""Competition pages: create, enter, vote, judge, moderate, results; permissions and bad input."""
from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from app.competitions import services
from app.competitions.models import Competition, CompetitionEntry, CompetitionVote
from app.db import utcnow

VOTING = timedelta(days=1, hours=12)


def _form(category_id: int, **changes) -> dict:
    now = utcnow()  # the test users' time zone is UTC
    fmt = "%Y-%m-%dT%H:%M"
    data = {"title": "Best tea moment", "rules": "One photo, one story.", "prize": "A tea set",
            "category": str(category_id), "judging": "members", "entry_points": "5", "win_points": "50",
            "winner_count": "1", "entry_opens_at": (now - timedelta(hours=1)).strftime(fmt),
            "entry_closes_at": (now + timedelta(days=1)).strftime(fmt),
            "voting_opens_at": (now + timedelta(days=1)).strftime(fmt),
            "voting_closes_at": (now + timedelta(days=2)).strftime(fmt)}
    return {**data, **changes}


def test_a_moderator_creates_a_competition_with_its_thread(moderator_client, category_factory, db):
    response = moderator_client.post("/competitions/new", data=_form(category_factory().id))
    assert response.status_code == 302
    competition = db.session.scalar(sa.select(Competition))
    assert competition.is_published and competition.thread_id
    page = moderator_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Best tea moment" in page and "open for entries" in page


def test_members_may_not_create_competitions_and_researchers_draft_them(member_client, researcher_client,
                                                                        category_factory, db):
    category = category_factory()
    assert member_client.get("/competitions/new").status_code == 403
    assert member_client.post("/competitions/new", data=_form(category.id)).status_code == 403
    assert researcher_client.post("/competitions/new", data=_form(category.id)).status_code == 302
    draft = db.session.scalar(sa.select(Competition))
    assert not draft.is_published
    assert member_client.get(f"/competitions/{draft.id}").status_code == 404
    assert researcher_client.post(f"/competitions/{draft.id}/publish").status_code == 403


def test_the_form_keeps_what_was_typed_when_the_windows_are_wrong(moderator_client, category_factory):
    category = category_factory()
    data = _form(category.id, voting_opens_at=(utcnow() - timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"))
    page = moderator_client.post("/competitions/new", data=data)
    assert page.status_code == 200 and b"Voting opens when entries close" in page.data and b"A tea set" in page.data
    page = moderator_client.post("/competitions/new", data=_form(category.id, winner_count="x", entry_opens_at="soon"))
    assert page.status_code == 200 and b"has-error" in page.data


def test_a_member_enters_and_others_see_entries_only_when_voting_opens(competition_factory, member_client,
                                                                       user_factory, app, db):
    from tests.conftest import login_as

    competition = competition_factory()
    response = member_client.post(f"/competitions/{competition.id}", data={"title": "Jasmine", "body": "At dusk"})
    assert response.status_code == 302
    assert b"Jasmine" in member_client.get(f"/competitions/{competition.id}").data
    other = login_as(app.test_client(), user_factory())
    assert b"Jasmine" not in other.get(f"/competitions/{competition.id}").data
    page = member_client.post(f"/competitions/{competition.id}", data={"title": "J", "body": ""})
    assert page.status_code == 200 and b"has-error" in page.data


def test_researchers_can_neither_enter_nor_vote(competition_factory, researcher_client, user_factory, db):
    competition = competition_factory(start=utcnow() - VOTING)
    entry = services.enter(competition, user=user_factory(), title="Puer", body="Aged",
                           now=competition.entry_opens_at + timedelta(hours=1))
    db.session.commit()
    entering = researcher_client.post(f"/competitions/{competition.id}", data={"title": "Mine", "body": "x"})
    assert entering.status_code == 403
    assert researcher_client.post(f"/competitions/entries/{entry.id}/vote").status_code == 403
    assert b"Puer" in researcher_client.get(f"/competitions/{competition.id}").data


def test_members_vote_once_and_not_for_themselves(competition_factory, member, member_client, user_factory, db):
    competition = competition_factory(start=utcnow() - VOTING)
    during_entry = competition.entry_opens_at + timedelta(hours=1)
    own = services.enter(competition, user=member, title="Mine", body="x", now=during_entry)
    other = services.enter(competition, user=user_factory(), title="Theirs", body="y", now=during_entry)
    db.session.commit()
    response = member_client.post(f"/competitions/entries/{own.id}/vote", follow_redirects=True)
    assert b"your own entry" in response.data
    assert member_client.post(f"/competitions/entries/{other.id}/vote").status_code == 302
    page = member_client.get(f"/competitions/{competition.id}").get_data(as_text=True)
    assert "Your vote" in page and "1 vote" not in page  # counts stay hidden until the close
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CompetitionVote)) == 1
    assert member_client.post("/competitions/entries/987654/vote").status_code == 404


def test_judging_hosts_score_entries_with_checked_input(competition_factory, moderator_client, user_factory, db):
    competition = competition_factory(start=utcnow() - VOTING, judging="moderators")
    entry = services.enter(competition, user=user_factory(), title="Sencha", body="Steamed",
                           now=competition.entry_opens_at + timedelta(hours=1))
    db.session.commit()
    for bad in ("", "eleven", "11", "-1"):
        response = moderator_client.post(f"/competitions/entries/{entry.id}/score", data={"score": bad},
                                         follow_redirects=True)
        assert response.status_code == 200 and b"0 to 10" in response.data
    assert moderator_client.post(f"/competitions/entries/{entry.id}/score", data={"score": "8"}).status_code == 302
    assert services.live_counts(competition) == {entry.id: 8}


def test_hosts_hide_an_entry_with_a_reason(competition_factory, moderator_client, member_client, member, db):
    competition = competition_factory()
    entry = services.enter(competition, user=member, title="Copied", body="x")
    db.session.commit()
    response = moderator_client.post(f"/competitions/entries/{entry.id}/hide", data={"reason": ""},
                                     follow_redirects=True)
    assert b"Give a reason" in response.data
    response = moderator_client.post(f"/competitions/entries/{entry.id}/hide", data={"reason": "Not yours"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(CompetitionEntry, entry.id).state == "hidden"
    assert member_client.post(f"/competitions/entries/{entry.id}/hide", data={"reason": "x"}).status_code == 403


def test_results_show_places_after_the_close(competition_factory, member_client, user_factory, db):
    from app.competitions.closing import close_competition

    competition = competition_factory(start=utcnow() - VOTING)
    during_entry = competition.entry_opens_at + timedelta(hours=1)
    winner = services.enter(competition, user=user_factory(), title="Golden tips", body="x", now=during_entry)
    services.enter(competition, user=user_factory(), title="Silver needle", body="y", now=during_entry)
    services.vote(winner, user=user_factory())
    close_competition(competition, now=utcnow())
    db.session.commit()
    page = member_client.get(f"/competitions/{competition.id}").get_data(as_text=True)
    assert "Place 1" in page and "🏆" in page and "1 vote" in page and "seed" in page
    hub = member_client.get("/activities").get_data(as_text=True)
    assert competition.title in hub and "closed" in hub


def test_parallel_vote_requests_from_one_member_leave_one_vote(app, competition_factory, member, user_factory, db):
    """Separate clients (separate sessions and connections) vote at once for different entries: one vote."""
    import threading

    from tests.conftest import login_as

    competition = competition_factory(start=utcnow() - VOTING)
    during_entry = competition.entry_opens_at + timedelta(hours=1)
    entry_ids = [services.enter(competition, user=user_factory(), title=f"Entry {i}", body="x", now=during_entry).id
                 for i in range(3)]
    db.session.commit()
    clients = [login_as(app.test_client(), member) for _ in range(6)]
    barrier, statuses = threading.Barrier(len(clients)), []

    def post(index: int) -> None:
        barrier.wait(timeout=10)
        statuses.append(clients[index].post(f"/competitions/entries/{entry_ids[index % 3]}/vote").status_code)

    workers = [threading.Thread(target=post, args=(i,)) for i in range(len(clients))]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert statuses == [302] * len(clients)
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CompetitionVote).where(
        CompetitionVote.competition_id == competition.id, CompetitionVote.user_id == member.id)) == 1


def test_the_entry_form_refuses_a_hostile_photo_and_keeps_the_text(competition_factory, member_client, db):
    import io

    from app.uploads.models import Upload

    competition = competition_factory()
    page = member_client.post(f"/competitions/{competition.id}", data={
        "title": "My cup", "body": "Blue and white", "photo": (io.BytesIO(b"<html><script>x</script>"), "cup.jpg")},
        content_type="multipart/form-data")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "not an image" in text and "Blue and white" in text and "My cup" in text
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CompetitionEntry)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Upload)) == 0


def test_a_researchers_draft_is_edited_only_by_them_or_a_host(researcher_client, moderator_client, member_client,
                                                              researcher, user_factory, category_factory, app, db):
    from tests.conftest import login_as

    category = category_factory()
    assert researcher_client.post("/competitions/new", data=_form(category.id)).status_code == 302
    draft = db.session.scalar(sa.select(Competition))
    other_researcher = login_as(app.test_client(), user_factory(role="researcher"))
    assert other_researcher.post(f"/competitions/{draft.id}/edit", data=_form(category.id)).status_code == 403
    assert member_client.get(f"/competitions/{draft.id}").status_code == 404
    assert moderator_client.post(f"/competitions/{draft.id}/publish").status_code == 302
    assert researcher_client.post(f"/competitions/{draft.id}/edit", data=_form(category.id)).status_code == 403


def test_an_entry_photo_is_served_to_other_members_only_once_voting_opens_and_never_when_hidden(
        app, competition_factory, member, user_factory, moderator, db):
    import io

    from PIL import Image
    from werkzeug.datastructures import FileStorage

    from tests.conftest import login_as

    out = io.BytesIO()
    Image.new("RGB", (32, 24), (90, 160, 60)).save(out, "JPEG")
    out.seek(0)
    competition = competition_factory()
    entry = services.enter(competition, user=member, title="Matcha", body="Whisked",
                           photo=FileStorage(out, filename="matcha.jpg"))
    db.session.commit()
    url = services.photos_of([entry.id])[entry.id][0].url
    owner, other = login_as(app.test_client(), member), login_as(app.test_client(), user_factory())

    def status(client) -> int:
        with client.get(url) as response:
            return response.status_code

    assert status(owner) == 200
    assert status(other) == 404 and status(app.test_client()) in (302, 404)
    competition.entry_closes_at = competition.voting_opens_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    with other.get(url) as served:
        assert served.status_code == 200 and served.mimetype == "image/jpeg"
        assert served.headers["X-Content-Type-Options"] == "nosniff"
    services.moderate_entry(db.session.get(CompetitionEntry, entry.id), "hide", by=moderator, reason="Not tea")
    db.session.commit()
    assert status(other) == 404 and status(owner) == 200

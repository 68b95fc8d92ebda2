"""Who sees one competition entry (and its photo): the entry list's rules, decided for that entry alone."""
from __future__ import annotations

import io
from datetime import timedelta

import pytest
from PIL import Image
from werkzeug.datastructures import FileStorage

from app.competitions import services
from app.competitions.models import CompetitionEntry
from app.db import ContentState, utcnow
from app.security.activity_policy import can_see_entry
from app.security.roles import Permission
from tests.conftest import login_as

PHASES = ("draft", "upcoming", "entry", "voting", "counting", "closed")
EVERY = set(PHASES)
SHOWN = {"voting", "counting", "closed"}  # entries show to every member once voting opens
NONE: set[str] = set()
# (viewer, entry state) -> the phases in which the viewer sees the entry.
VISIBLE = {
    ("author", "published"): EVERY, ("author", "hidden"): NONE,
    ("member", "published"): SHOWN, ("member", "hidden"): NONE,
    ("moderator", "published"): EVERY, ("moderator", "hidden"): EVERY,
    ("admin", "published"): EVERY, ("admin", "hidden"): EVERY,
    ("researcher", "published"): EVERY, ("researcher", "hidden"): NONE,
    ("suspended", "published"): NONE, ("suspended", "hidden"): NONE,
}


def _competition_in(phase: str, competition_factory, researcher):
    now = utcnow()
    starts = {"draft": now - timedelta(hours=1), "upcoming": now + timedelta(hours=1),
              "entry": now - timedelta(hours=1), "voting": now - timedelta(days=1, hours=12),
              "counting": now - timedelta(days=3), "closed": now - timedelta(days=3)}
    competition = competition_factory(start=starts[phase], by=researcher if phase == "draft" else None)
    if phase == "closed":
        competition.closed_at = now
    assert competition.phase(now) == phase
    return competition


def _entry(db, competition, author, state: str) -> CompetitionEntry:
    entry = CompetitionEntry(competition_id=competition.id, user_id=author.id, author_name=author.display_name,
                             title="Matcha", body="Whisked", body_html="<p>Whisked</p>", state=state)
    db.session.add(entry)
    db.session.commit()
    return entry


def _viewer(name: str, author, user_factory, db):
    if name == "author":
        return author
    viewer = user_factory(role="member" if name == "suspended" else name)
    if name == "suspended":
        viewer.suspended_at = utcnow()
        db.session.commit()
    return viewer


@pytest.mark.parametrize("phase", PHASES)
@pytest.mark.parametrize("state", ["published", "hidden"])
@pytest.mark.parametrize("viewer_name", ["author", "member", "moderator", "admin", "researcher", "suspended"])
def test_one_entry_is_seen_exactly_when_the_entry_list_shows_it(competition_factory, user_factory, researcher, db,
                                                                 phase, state, viewer_name):
    competition = _competition_in(phase, competition_factory, researcher)
    author = user_factory()
    entry = _entry(db, competition, author, state)
    viewer = _viewer(viewer_name, author, user_factory, db)
    expected = phase in VISIBLE[(viewer_name, state)]
    assert can_see_entry(viewer, entry) is expected
    # The list every entry photo used to be checked against (behind the upload view's READ check) agrees.
    listed = viewer.can(Permission.READ) and entry in services.entries(competition, viewer)
    assert listed is expected


def test_the_entry_of_an_anonymous_visitor_is_never_seen(competition_factory, user_factory, researcher, db):
    from flask_login import AnonymousUserMixin

    competition = _competition_in("closed", competition_factory, researcher)
    entry = _entry(db, competition, user_factory(), ContentState.PUBLISHED.value)
    assert can_see_entry(AnonymousUserMixin(), entry) is False


def _photo() -> FileStorage:
    out = io.BytesIO()
    Image.new("RGB", (16, 12), (90, 160, 60)).save(out, "JPEG")
    out.seek(0)
    return FileStorage(out, filename="matcha.jpg")


def test_member_cannot_see_the_entry_photo_of_another_member_before_voting_opens(
        app, competition_factory, member, user_factory, db):
    competition = competition_factory()
    entry = services.enter(competition, user=member, title="Matcha", body="Whisked", photo=_photo())
    others = [services.enter(competition, user=user_factory(), title=f"Sencha {i}", body="Steeped")
              for i in range(3)]
    db.session.commit()
    url = services.photos_of([entry.id])[entry.id][0].url
    other = login_as(app.test_client(), user_factory())
    with other.get(url) as response:
        assert response.status_code == 404
    competition.entry_closes_at = competition.voting_opens_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    with other.get(url) as response:
        assert response.status_code == 200
    assert all(can_see_entry(member, o) for o in others)  # and the entrant now sees the others' entries


def test_an_entry_photo_request_does_not_read_the_other_entries(app, competition_factory, member, user_factory, db):
    import sqlalchemy as sa

    competition = competition_factory()
    entry = services.enter(competition, user=member, title="Matcha", body="Whisked", photo=_photo())
    for i in range(2):
        services.enter(competition, user=user_factory(), title=f"Sencha {i}", body="Steeped")
    db.session.commit()
    url = services.photos_of([entry.id])[entry.id][0].url
    competition.entry_closes_at = competition.voting_opens_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    viewer = login_as(app.test_client(), user_factory())
    statements: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        with viewer.get(url) as response:
            assert response.status_code == 200
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)
    entry_reads = [s for s in statements if "FROM competition_entry" in s]
    assert len(entry_reads) == 1 and "competition_entry.id = " in entry_reads[0]  # the entry itself, by its id

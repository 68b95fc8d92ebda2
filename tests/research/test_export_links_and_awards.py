"""Exports carry nothing a member with forum access could look an author up by: no link to a profile, thread, post
or activity page, no raw record id in any column, and no withdrawn winner's name or entry title in a results post."""
from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.db import utcnow
from app.forum import services as forum
from app.forum.models import Post
from app.research import exports
from app.research.pseudonyms import REFERENCE_KINDS, WITHDRAWN, reference
from app.research.quotes import WITHDRAWN_ENTRY
from app.research.transcript import TranscriptFilter, iter_transcript

ID_COLUMNS = ("thread_id", "post_id", "item_id", "activity_id")
REFERENCE_RE = re.compile(rf"[{''.join(REFERENCE_KINDS.values())}]-[A-Z2-7]{{13}}")
EVERYTHING = {"include_tasks": True, "include_polls": True, "include_competitions": True}


@pytest.fixture
def linked(app, db, monkeypatch, category_factory, user_factory):
    """Posts that link to a member's profile, to threads and posts (relative, absolute, with www. and a path prefix
    in the community's public address) and to an activity page."""
    from app.core.settings import set_setting

    monkeypatch.setitem(app.config, "PUBLIC_URL", "https://tea.example/club")
    set_setting("spam.hold_threshold", 1000)
    rose, ivy = user_factory(display_name="Rose Lin"), user_factory(display_name="Ivy Zhou")
    thread = forum.start_thread(category_factory(), author=rose, title="Kettles", body="Gooseneck or not?")
    opening = db.session.scalar(sa.select(Post).where(Post.thread_id == thread.id))
    body = (f"See her profile /u/{rose.id} and https://tea.example/club/u/{rose.id}/ plus "
            f"http://www.TEA.example/club/t/{thread.id}#p1, [this post](/p/{opening.id}) and "
            f"tea.example/club/competitions/3?tab=entries. 见 https://tea.example/club/t/{thread.id}/reply。")
    forum.reply(thread, author=ivy, body=body)
    db.session.commit()
    return {"rose": rose, "ivy": ivy, "thread": thread, "opening": opening}


@pytest.mark.parametrize("identity", ["pseudonym", "none"])
def test_links_into_the_forum_are_replaced_and_ids_are_references(linked, identity):
    rows = list(iter_transcript(TranscriptFilter(identity=identity, **EVERYTHING)))
    reply = rows[-1]["text"]
    assert reply == ("See her profile [member-link] and [member-link] plus [post-link], this post ([post-link]) "
                     "and [activity-link]. 见 [post-link]。")
    raw_ids = {str(linked["thread"].id), str(linked["opening"].id), str(linked["rose"].id)}
    for row in rows:
        for column in ID_COLUMNS:
            if row[column] is not None:
                assert REFERENCE_RE.fullmatch(row[column]) and row[column] not in raw_ids, (column, row[column])


def test_references_are_stable_across_exports_but_not_in_format_none(linked):
    first, second = (list(iter_transcript(TranscriptFilter())) for _ in range(2))
    assert [r["post_id"] for r in first] == [r["post_id"] for r in second]
    assert first[0]["post_id"] == reference("post", linked["opening"].id)
    assert first[0]["thread_id"] == reference("thread", linked["thread"].id) != reference("post", linked["thread"].id)
    unlinked = [list(iter_transcript(TranscriptFilter(identity="none"))) for _ in range(2)]
    assert unlinked[0][0]["thread_id"] == unlinked[0][1]["thread_id"]  # one thread stays one thread in a file
    assert unlinked[0][0]["thread_id"] != unlinked[1][0]["thread_id"] != first[0]["thread_id"]


def test_display_name_exports_keep_ids_and_links(linked):
    rows = list(iter_transcript(TranscriptFilter(identity="display_name")))
    assert rows[0]["thread_id"] == linked["thread"].id and f"/u/{linked['rose'].id}" in rows[-1]["text"]


def test_ordinary_paths_and_other_sites_are_not_links_into_the_forum(app, db, monkeypatch, category_factory,
                                                                     user_factory):
    monkeypatch.setitem(app.config, "PUBLIC_URL", "https://tea.example")
    author = user_factory(display_name="Plain Writer")
    author.trust_level = 2  # an established member: a new member's first link would wait for the hosts
    text = "Ratio 1/3/5, see https://other.example/t/12 and C:/t/5 or a/u/7; /users/5 and /t/abc stay."
    forum.start_thread(category_factory(), author=author, title="Ratios", body=text)
    db.session.commit()
    assert next(iter_transcript(TranscriptFilter()))["text"] == text


@pytest.fixture
def withdrawn_winner(db, category_factory, user_factory, competition_factory, moderator):
    """A competition won by a member who withdrew consent afterwards; the runner-up stays."""
    from app.competitions import services as competitions
    from app.competitions.closing import close_competition
    from app.core.settings import set_setting

    set_setting("spam.hold_threshold", 1000)
    start = utcnow() - timedelta(hours=1)
    competition = competition_factory(by=moderator, category=category_factory(), title="Teacups", start=start,
                                      winner_count=2)
    winner, second = user_factory(display_name="Mei Tan"), user_factory(display_name="Olga Brandt")
    voters = [user_factory() for _ in range(3)]
    won = competitions.enter(competition, user=winner, title="Sunscreen daily", body="Cup by the sea",
                             now=start + timedelta(minutes=5))
    runner_up = competitions.enter(competition, user=second, title="Blue willow", body="Grandma's cup",
                                   now=start + timedelta(minutes=6))
    voting = start + timedelta(days=1, hours=1)
    for index, voter in enumerate(voters):
        competitions.vote(won if index < 2 else runner_up, user=voter, now=voting)
    close_competition(competition, now=start + timedelta(days=2, hours=1), seed=3)
    winner.consent_withdrawn_at = utcnow()
    db.session.commit()
    return {"winner": winner, "second": second, "competition": competition}


@pytest.mark.parametrize("identity", ["pseudonym", "none", "display_name"])
def test_a_withdrawn_winners_entry_title_and_name_leave_the_results_post(withdrawn_winner, identity, researcher):
    run = exports.execute_export(exports.queue_export(TranscriptFilter(identity=identity, **EVERYTHING), "csv",
                                                      by=researcher))
    text = exports.file_path(run).read_bytes().decode("utf-8-sig")
    results = next(r["text"] for r in csv.DictReader(io.StringIO(text)) if "🏆" in r["text"])
    assert "Sunscreen daily" not in text and "Mei Tan" not in text and "Cup by the sea" not in text
    assert f"“{WITHDRAWN_ENTRY}” by {WITHDRAWN} — 2 votes" in results
    assert "“Blue willow” by " in results  # the runner-up's title stays, under the format's identity

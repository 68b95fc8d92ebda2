"""Inquiries: members' questions to the hosts, how long they wait, and the median first response."""
from __future__ import annotations

from datetime import timedelta

import pytest

from app.admin.services import save_category
from app.db import utcnow
from app.forum import services as forum
from app.moderation import curation, inquiries


@pytest.fixture
def now():
    return utcnow().replace(microsecond=0)


@pytest.fixture
def ask(db, moderator):
    category = save_category(None, by=None, name="Ask the hosts", description="", position=0, is_inquiry=True)
    db.session.commit()
    return category


@pytest.fixture
def chat(category_factory):
    return category_factory(name="Chat")


def _ago(now, **delta):
    return now - timedelta(**delta)


def _waiting(now) -> list[tuple[str, str, str]]:
    return [(i.kind, i.thread.title, i.post.body) for i in inquiries.waiting(now)]


def test_an_unanswered_thread_in_an_inquiry_category_waits(db, ask, member, now):
    forum.start_thread(ask, author=member, title="Where is my sample?", body="It has not come", now=_ago(now, hours=3))
    db.session.commit()
    [inquiry] = inquiries.waiting(now)
    assert (inquiry.kind, inquiry.thread.title, inquiry.answered_at) == ("thread", "Where is my sample?", None)
    assert inquiry.waiting(now) == timedelta(hours=3)


def test_a_host_reply_answers_the_thread_but_a_member_reply_does_not(db, ask, member, user_factory, moderator, now):
    answered = forum.start_thread(ask, author=member, title="Answered one", body="?", now=_ago(now, hours=5))
    forum.reply(answered, author=moderator, body="Here you go", now=_ago(now, hours=4))
    helped = forum.start_thread(ask, author=member, title="Member helped", body="?", now=_ago(now, hours=3))
    forum.reply(helped, author=user_factory(), body="I think so", now=_ago(now, hours=2))
    db.session.commit()
    assert _waiting(now) == [("thread", "Member helped", "?")]


def test_threads_outside_inquiry_categories_and_threads_by_hosts_are_not_inquiries(db, ask, chat, member, moderator,
                                                                                    now):
    forum.start_thread(chat, author=member, title="Just chatting", body="hello", now=_ago(now, hours=2))
    forum.start_thread(ask, author=moderator, title="Host announcement", body="FYI", now=_ago(now, hours=2))
    db.session.commit()
    assert _waiting(now) == []


def test_a_mention_of_a_host_waits_until_a_host_posts_after_it(db, chat, member, moderator, now):
    thread = forum.start_thread(chat, author=member, title="Lipstick shades", body="Which one?",
                                now=_ago(now, hours=6))
    forum.reply(thread, author=moderator, body="Earlier host post", now=_ago(now, hours=5))
    forum.reply(thread, author=member, body=f"@{moderator.display_name} can you check?", now=_ago(now, hours=4))
    db.session.commit()
    assert _waiting(now) == [("mention", "Lipstick shades", f"@{moderator.display_name} can you check?")]
    forum.reply(thread, author=moderator, body="Checked!", now=_ago(now, hours=1))
    db.session.commit()
    assert _waiting(now) == []


def test_mentions_match_whole_host_names_in_any_case(db, chat, member, user_factory, now):
    ann = user_factory(role="moderator", display_name="Ann")
    user_factory(display_name="Bea")
    thread = forum.start_thread(chat, author=member, title="Names", body="hi", now=_ago(now, hours=9))
    forum.reply(thread, author=member, body="@Anna is not a host", now=_ago(now, hours=8))
    forum.reply(thread, author=member, body="@Bea is a member", now=_ago(now, hours=7))
    forum.reply(thread, author=member, body="Hey @ann, 请看一下", now=_ago(now, hours=6))
    forum.reply(thread, author=member, body="50% off at 100%@_sale", now=_ago(now, hours=5))
    db.session.commit()
    assert _waiting(now) == [("mention", "Names", "Hey @ann, 请看一下")]
    assert ann.display_name_key == "ann"


def test_an_opening_post_that_also_mentions_a_host_counts_once(db, ask, member, moderator, now):
    forum.start_thread(ask, author=member, title="Both kinds", body=f"@{moderator.display_name} help",
                       now=_ago(now, hours=1))
    db.session.commit()
    assert [i.kind for i in inquiries.waiting(now)] == ["thread"]


def test_hidden_questions_do_not_wait(db, ask, member, moderator, now):
    thread = forum.start_thread(ask, author=member, title="Hidden later", body="?", now=_ago(now, hours=2))
    curation.hide_thread(thread, by=moderator, reason="duplicate")
    db.session.commit()
    assert _waiting(now) == []


def test_waiting_questions_are_listed_oldest_first_however_old(db, ask, chat, member, moderator, now):
    forum.start_thread(ask, author=member, title="Recent", body="?", now=_ago(now, hours=1))
    forum.start_thread(ask, author=member, title="Ancient", body="?", now=_ago(now, days=120))
    thread = forum.start_thread(chat, author=member, title="Middle", body="hi", now=_ago(now, days=2))
    forum.reply(thread, author=member, body=f"@{moderator.display_name}?", now=_ago(now, days=1))
    db.session.commit()
    assert [title for _, title, _ in _waiting(now)] == ["Ancient", "Middle", "Recent"]
    assert [i.waiting(now) for i in inquiries.waiting(now)] == [timedelta(days=120), timedelta(days=1),
                                                                 timedelta(hours=1)]


def test_the_median_first_response_covers_the_last_30_days(db, ask, chat, member, moderator, admin, now):
    for hours_ago, answer_after in ((100, 1), (80, 3), (60, 4), (40, 10)):
        thread = forum.start_thread(ask, author=member, title=f"Asked {hours_ago}h ago", body="?",
                                    now=_ago(now, hours=hours_ago))
        forum.reply(thread, author=member, body="anyone?", now=_ago(now, hours=hours_ago - answer_after / 2))
        forum.reply(thread, author=moderator if hours_ago % 40 else admin, body="answer",
                    now=_ago(now, hours=hours_ago - answer_after))
    old = forum.start_thread(ask, author=member, title="Too old to count", body="?", now=_ago(now, days=40))
    forum.reply(old, author=moderator, body="late", now=_ago(now, days=35))
    forum.start_thread(ask, author=member, title="Still waiting", body="?", now=_ago(now, hours=2))
    db.session.commit()
    assert inquiries.median_first_response(now) == timedelta(hours=3.5)  # median of 1, 3, 4 and 10 hours


def test_a_mention_answer_counts_towards_the_median(db, chat, member, moderator, now):
    thread = forum.start_thread(chat, author=member, title="Mention only", body="hi", now=_ago(now, hours=9))
    forum.reply(thread, author=member, body=f"@{moderator.display_name} hello", now=_ago(now, hours=8))
    forum.reply(thread, author=moderator, body="Hello!", now=_ago(now, hours=6))
    db.session.commit()
    assert inquiries.median_first_response(now) == timedelta(hours=2)


def test_no_answers_means_no_median(db, ask, member, now):
    forum.start_thread(ask, author=member, title="Nobody answered", body="?", now=_ago(now, hours=2))
    db.session.commit()
    assert inquiries.median_first_response(now) is None


def test_answers_after_now_do_not_count_yet(db, ask, member, moderator, now):
    thread = forum.start_thread(ask, author=member, title="Future answer", body="?", now=_ago(now, hours=2))
    forum.reply(thread, author=moderator, body="from the future", now=now + timedelta(hours=1))
    db.session.commit()
    assert [title for _, title, _ in _waiting(now)] == ["Future answer"]
    assert inquiries.median_first_response(now) is None


# --- the page --------------------------------------------------------------------------------------------

def test_the_inquiries_page_lists_waiting_questions_and_the_median(db, ask, member, moderator, moderator_client):
    now = utcnow()
    forum.start_thread(ask, author=member, title="Sample never arrived", body="Please check", now=_ago(now, hours=50))
    answered = forum.start_thread(ask, author=member, title="Answered", body="?", now=_ago(now, hours=5))
    forum.reply(answered, author=moderator, body="done", now=_ago(now, hours=3))
    db.session.commit()
    page = moderator_client.get("/mod/inquiries").get_data(as_text=True)
    assert "Sample never arrived" in page and "Answered" not in page.split("<tbody>")[1]
    assert "Median first response" in page and "2 hours" in page and "2 days" in page


def test_the_inquiries_page_is_linked_from_the_moderation_area(moderator_client):
    assert b'href="/mod/inquiries"' in moderator_client.get("/mod/").data


@pytest.mark.parametrize("client_fixture", ["member_client", "researcher_client"])
def test_members_and_researchers_cannot_see_inquiries(request, client_fixture):
    assert request.getfixturevalue(client_fixture).get("/mod/inquiries").status_code == 403

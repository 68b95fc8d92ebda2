"""Names a member no longer uses still leave exports: a rename before ever posting, and an erased account
(independent privacy check, M1 and H1)."""
from __future__ import annotations

import pytest

from app.core.settings import set_setting
from app.db import utcnow
from app.forum import services as forum
from app.members.services import update_settings
from app.research.pseudonyms import pseudonym
from app.research.transcript import TranscriptFilter, iter_transcript
from app.rights.erasure import erase_account, request_erasure
from tests.factories import DEFAULT_PASSWORD


@pytest.fixture
def thread(db, category_factory, user_factory):
    set_setting("spam.hold_threshold", 100)
    return forum.start_thread(category_factory(), author=user_factory(display_name="Opener"), title="Teapots",
                              body="Show us your teapot")


def _texts(**filters) -> str:
    return "\n".join(row["text"] for row in iter_transcript(TranscriptFilter(**filters)))


def test_a_name_dropped_before_ever_posting_is_still_replaced(db, thread, user_factory, moderator):
    kim = user_factory(display_name="Kim Jiyoung")
    forum.reply(thread, author=moderator, body="Welcome @Kim Jiyoung!")
    update_settings(kim, display_name="Kimchi", locale="en", timezone="UTC")
    forum.reply(thread, author=user_factory(display_name="Friend"), body="Kim Jiyoung has the best teapots")
    db.session.commit()
    text = _texts()
    assert "Kim Jiyoung" not in text and text.count(pseudonym(kim.id)) == 1  # the @mention; in text: [member]
    assert "[member] has the best teapots" in text


def test_an_erased_members_name_and_quoted_words_leave_other_members_posts(db, thread, user_factory):
    harriet = user_factory(display_name="Harriet Vane")
    own = forum.reply(thread, author=harriet, body="My secret teapot story, reach me later")
    friend = user_factory(display_name="Friend")
    forum.reply(thread, author=friend, body=forum.quote_source(own) + "So true")  # pasted, not the quote link
    forum.reply(thread, author=friend, body="Harriet Vane told me privately")
    request = request_erasure(harriet, DEFAULT_PASSWORD, now=utcnow())
    erase_account(request, now=utcnow(), by=None)
    db.session.commit()
    text = _texts()
    assert "Harriet" not in text and "secret teapot story" not in text
    assert "[member] told me privately" in text  # an erased member counts as withdrawn: no pseudonym either


def test_a_members_real_name_leaves_exports_like_their_display_name(db, thread, user_factory):
    peiling = user_factory(display_name="小猫爱护肤")
    peiling.real_name = "吴佩玲"
    forum.reply(thread, author=peiling, body="大家好，我是吴佩玲，油皮一枚")
    forum.reply(thread, author=user_factory(display_name="Friend"), body="引用 吴佩玲 的话：油皮一枚\n同感！")
    db.session.commit()
    text = _texts()
    assert "吴佩玲" not in text and "我是[member]" in text and "引用 [member] 的话" in text
    assert pseudonym(peiling.id) not in text  # a name in text is found by a guess: it links nobody


def test_an_erased_members_real_name_still_leaves_later_exports(db, thread, user_factory):
    daniel = user_factory(display_name="Teapot Dan")
    daniel.real_name = "Daniel Okafor"
    forum.reply(thread, author=user_factory(display_name="Friend"), body="Daniel Okafor lent me his teapot")
    erase_account(request_erasure(daniel, DEFAULT_PASSWORD, now=utcnow()), now=utcnow(), by=None)
    db.session.commit()
    text = _texts()
    assert "Daniel" not in text and "Okafor" not in text

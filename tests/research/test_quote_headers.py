"""Quotes under headers the quote button did not write, and copied words with no header at all: a withdrawn
member's words and name never come back through them, and a consenting member's quote is attributed by pseudonym or
dropped with its header when the researcher drops quotes."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.db import utcnow
from app.forum import services as forum
from app.forum.models import Post
from app.research.pseudonyms import pseudonym
from app.research.transcript import TranscriptFilter, iter_transcript

SECRET = "Violet marmalade keeps my eczema calm every winter."
SECRET_ZH = "我每天晚上都用紫罗兰果酱敷脸十分钟。"
OWN = "Jasmine oolong is my favourite for the afternoon."

# (header and quote as a member types them, with no quoted post), each quoting the withdrawn member
WITHDRAWN_QUOTES = [
    "Hannah Berg wrote :\n\n> {secret}\n\nSo true.",
    "As Hannah said\n\n> {secret}\n\nSo true.",
    "hannah 说：\n\n> {secret_zh}\n\n同意",
    "引用 Hannah Berg 的话\n\n> {secret_zh}\n\n同意",
    "> **Hannah**:\n> {secret}\n\nSo true.",
    "Quoting HANNAH BERG:\n\n> {secret}\n\nSo true.",
    "> {secret}\n\nSo true.",  # no header at all: her sentence is recognised
    "Someone told me: {secret} So true.",  # pasted into the member's own sentence, no quote markup
    "I read this somewhere.\n\n> {secret_zh}\n\n同意",
]


@pytest.fixture
def quoting(db, category_factory, user_factory):
    from app.core.settings import set_setting

    set_setting("spam.hold_threshold", 1000)
    hannah, marcus, quoter = (user_factory(display_name=name) for name in ("Hannah Berg", "Marcus Olsen", "Li Wen"))
    category = category_factory()
    thread = forum.start_thread(category, author=hannah, title="Skin diaries", body=f"{SECRET}\n\n{SECRET_ZH}")
    forum.reply(thread, author=marcus, body=OWN)
    replies = [forum.reply(thread, author=quoter, body=body.format(secret=SECRET, secret_zh=SECRET_ZH))
               for body in WITHDRAWN_QUOTES]
    forum.reply(thread, author=quoter, body=f"Marcus Olsen wrote :\n\n> {OWN}\n\nMe too.")
    hannah.consent_withdrawn_at = utcnow()
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Post).where(Post.quoted_post_id.is_not(None))) == 0
    return {"hannah": hannah, "marcus": marcus, "quoter": quoter, "replies": replies}


@pytest.mark.parametrize("identity", ["pseudonym", "none", "display_name"])
def test_a_withdrawn_members_words_leave_under_any_header_or_none(quoting, identity):
    rows = list(iter_transcript(TranscriptFilter(identity=identity)))
    assert [row["post_number"] for row in rows] == list(range(2, 2 + len(WITHDRAWN_QUOTES) + 2))  # hers are out
    quoter_rows = [row["text"] for row in rows[1:1 + len(WITHDRAWN_QUOTES)]]
    for text in quoter_rows:
        assert "marmalade" not in text.lower() and "紫罗兰" not in text, text
        if identity != "display_name":
            assert "hannah" not in text.lower(), text
    everything = "\n".join(row["text"] for row in rows)
    assert "marmalade" not in everything.lower() and "紫罗兰" not in everything


def test_a_consenting_members_quote_under_an_own_header_is_attributed_or_dropped(quoting):
    kept = list(iter_transcript(TranscriptFilter()))[-1]["text"]
    assert kept == f"{pseudonym(quoting['marcus'].id)} wrote :\n\n{OWN}\n\nMe too."
    dropped = list(iter_transcript(TranscriptFilter(quotes="drop")))[-1]["text"]
    assert dropped == "Me too."


def test_ordinary_paragraphs_before_a_quote_stay(quoting, db):
    thread = quoting["replies"][0].thread
    forum.reply(thread, author=quoting["quoter"], body=f"Lovely weather today.\n\n> {OWN}\n\nAgreed.")
    db.session.commit()
    text = list(iter_transcript(TranscriptFilter(quotes="drop")))[-1]["text"]
    assert text == "Lovely weather today.\n\nAgreed."


def test_a_withdrawn_members_name_leaves_in_every_part_and_spelling(quoting, db):
    """Her first or last name alone, joined, with an invisible character, in look-alike or full-width letters."""
    thread = quoting["replies"][0].thread
    body = ("Hannah was right, ask berg. HannahBerg / hannah_berg / Han\u200bnah / Наnnah (Cyrillic Н, а) / "
            "ＢＥＲＧ agreed, and @hannah too.")
    forum.reply(thread, author=quoting["quoter"], body=body)
    db.session.commit()
    text = list(iter_transcript(TranscriptFilter()))[-1]["text"]
    assert text == ("[member] was right, ask [member]. [member] / [member] / [member] / [member] (Cyrillic Н, а) / "
                    "[member] agreed, and @[member] too.")


def test_words_a_withdrawn_member_quoted_from_someone_else_stay_that_members(db, category_factory, user_factory):
    from app.core.settings import set_setting

    set_setting("spam.hold_threshold", 1000)
    author, leaving = user_factory(display_name="Marcus Olsen"), user_factory(display_name="Hannah Berg")
    thread = forum.start_thread(category_factory(), author=author, title="Oolong", body=OWN)
    opening = db.session.scalar(sa.select(Post).where(Post.thread_id == thread.id))
    forum.reply(thread, author=leaving, body=forum.quote_source(opening) + "Mine too.", quoted=opening)
    leaving.consent_withdrawn_at = utcnow()
    db.session.commit()
    assert [row["text"] for row in iter_transcript(TranscriptFilter())] == [OWN]


@pytest.mark.parametrize("html, header", [
    ("<p>Marcus Olsen wrote :</p><blockquote><p>Jasmine oolong.</p></blockquote>", "<p>P1 wrote :</p>"),
    ("<p>引用 Marcus Olsen 的话</p><blockquote><p>Jasmine oolong.</p></blockquote>", "<p>引用 P1 的话</p>"),
    ("<blockquote><p><strong>Marcus Olsen</strong>:</p><p>Jasmine oolong.</p></blockquote>", "<p>P1:</p>"),
])
def test_a_members_own_quote_header_carries_the_pseudonym_and_running_text_reads_member(app, html, header):
    """A header a member writes above or atop a blockquote attributes the quote, as the quote button's does; the same
    name in running text is a guess of the names book and reads [member] (label None)."""
    from app.research.quotes import NOT_A_REPLY, QuoteRules
    from tests.research.name_books import book_of

    names = book_of(["Marcus Olsen"])

    def label(user_id: int | None) -> str:
        return f"P{user_id}" if user_id is not None else "[member]"

    rewritten = QuoteRules().rewrite(html + "<p>Marcus Olsen agrees</p>", quoted_author=NOT_A_REPLY, drop=False,
                                     names=names, label=label)
    assert header in rewritten and "Jasmine oolong." in rewritten and rewritten.endswith("<p>Marcus Olsen agrees</p>")
    assert names.replace("Marcus Olsen agrees", label) == "[member] agrees"

"""Quotes a researcher asks to drop, in the shapes members really write them (third check): not only the quote
button's header, but a blockquote pasted with no header or a header of the member's own, ">" lines, BBCode
[quote], a name and 说/wrote before “…”, 「…」 or a colon, or before a partial quote later in the sentence, 引用 X 的发言 / 的帖子, a quote signed "—— X" after it,
a partial quote inside the member's sentence, and 楼上/楼主 instead of a name. With quotes dropped, the quoted words
leave and the member's own words stay; with quotes kept, both stay (names replaced)."""
from __future__ import annotations

import pytest

from app.research.transcript import TranscriptFilter, iter_transcript

QUOTED = "the ceramide cream fixed my flaky cheeks in a week"
QUOTED_ZH = "神经酰胺面霜一周就把脱皮修好了"
OWN = "Mine took a month though."
OWN_ZH = "我用了一个月才见效"

FORMS = [
    "Marcus Olsen wrote:\n\n> {q}\n\n{own}",
    "> {q}\n\n{own}",
    ">{q}\n\n{own}",
    "Some context first.\n> {q}\n\n{own}",
    "Marcus 说：“{q}”\n\n{own}",
    "Marcus说：「{q}」\n\n{own}",
    "Marcus说：\n「{q}」\n\n{own}",
    "陈静说：{q}\n\n{own}",
    "引用 Marcus 的发言：{q}\n\n{own}",
    "引用 陈静 的发言\n\n> {q}\n\n{own}",
    "引用陈静的帖子：“{q}”\n\n{own}",
    "引用楼上的话：{q}\n\n{own}",
    "楼主说：“{q}”\n\n{own}",
    "楼上说「{q}」，{own}",
    "3楼说：“{q}”\n\n{own}",
    "“{q}” —— Marcus\n\n{own}",
    "「{q}」——陈静\n\n{own}",
    "Marcus: “{q}”\n\n{own}",
    "Marcus wrote \"{q}\" and {own}",
    "As Marcus put it: {q}\n\n{own}",
    "I agree with what Marcus said: “{q}”\n\n{own}",
    "Kiki🌸 说：“{q}”\n\n{own}",
    "[quote=Marcus]{q}[/quote]\n\n{own}",
    "[quote]{q}[/quote]\n\n{own}",
    "＞ {q}\n\n{own}",
    "原帖：“{q}”\n\n{own}",
    "Quote:\n> {q}\n\n{own}",
    "Marcus Olsen wrote:\n\n> Marcus Olsen wrote:\n> > nested\n>\n> {q}\n\n{own}",
    "琪琪说：“{q}”\n\n{own}",  # a nickname nobody can link to a member: in quotation marks, a quote all the same
    "Quoting Momo: {q}\n\n{own}",
    "Marcus said the cream was “{q}” but {own}",  # a partial quote later in the member's sentence
    "陈静说过这个“{q}”，{own}",
]


@pytest.fixture
def thread(db, category_factory, user_factory):
    from app.core.settings import set_setting
    from app.forum import services as forum

    set_setting("spam.hold_threshold", 1000)
    marcus, _jing, _kiki, quoter = (user_factory(display_name=name)
                                    for name in ("Marcus Olsen", "陈静", "Kiki🌸", "Li Wen"))
    opening = forum.start_thread(category_factory(), author=marcus, title="Barrier repair", body="Ceramides.")
    db.session.commit()
    return opening, quoter


def _last_text(quotes: str) -> str:
    return list(iter_transcript(TranscriptFilter(quotes=quotes)))[-1]["text"]


@pytest.mark.parametrize("english", [True, False], ids=["en", "zh"])
@pytest.mark.parametrize("form", FORMS)
def test_a_quote_in_any_shape_leaves_when_quotes_are_dropped(thread, db, form, english):
    from app.forum import services as forum

    quoted, own = (QUOTED, OWN) if english else (QUOTED_ZH, OWN_ZH)
    forum.reply(thread[0], author=thread[1], body=form.format(q=quoted, own=own))
    db.session.commit()
    dropped = _last_text("drop")
    assert quoted[4:-4] not in dropped and own in dropped, dropped
    kept = _last_text("keep")
    assert own in kept and "Marcus" not in kept and "陈静" not in kept and "Kiki" not in kept, kept


HAM = [
    "I said no thanks and left the shop.", "这个“水光针”到底是什么原理", "店员说：可以试用三天",
    "She told me “it's fine” but it wasn't.", "Note: patch test first", "我妈说多喝水就好",
    "The label says “fragrance free” but it smells.", "成分表：水、甘油、烟酰胺",
]


@pytest.mark.parametrize("text", HAM)
def test_a_members_own_words_stay_when_quotes_are_dropped(thread, db, text):
    from app.forum import services as forum

    forum.reply(thread[0], author=thread[1], body=text)
    db.session.commit()
    assert _last_text("drop") == text



@pytest.mark.parametrize("english", [True, False], ids=["en", "zh"])
@pytest.mark.parametrize("form", FORMS)
def test_a_withdrawn_members_words_and_name_leave_under_any_shape_of_quote(db, category_factory, user_factory,
                                                                           form, english):
    """Marcus wrote both sentences and withdrew: whatever shape another member quotes him in, with quotes kept,
    his words and his name are not in the export, and the quoter's own words are."""
    from app.core.settings import set_setting
    from app.db import utcnow
    from app.forum import services as forum

    set_setting("spam.hold_threshold", 1000)
    marcus, _jing, _kiki, quoter = (user_factory(display_name=name)
                                    for name in ("Marcus Olsen", "陈静", "Kiki🌸", "Li Wen"))
    opening = forum.start_thread(category_factory(), author=marcus, title="Barrier repair",
                                 body=f"{QUOTED}.\n\n{QUOTED_ZH}。")
    quoted, own = (QUOTED, OWN) if english else (QUOTED_ZH, OWN_ZH)
    forum.reply(opening, author=quoter, body=form.format(q=quoted, own=own))
    marcus.consent_withdrawn_at = utcnow()
    db.session.commit()
    rows = list(iter_transcript(TranscriptFilter(quotes="keep")))
    assert len(rows) == 1
    text = rows[0]["text"]
    assert quoted[4:-4] not in text and own in text and "Marcus" not in text and "Olsen" not in text, text

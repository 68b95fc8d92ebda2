"""A withdrawn member's words against everyday sentences (tests/research/data/name_forms/withdrawn_commonplace.tsv,
written before the rule and kept fixed; ``app.research.withdrawn_words`` states the rule):

- commonplace: a sentence that two members or more wrote as their own words, or that a consenting member wrote
  before the withdrawn member did, stays in others' own text;
- theirs: a sentence the withdrawn member wrote first and at most one other member wrote after them goes;
- fragment: when a copy is cut, the rest of its sentence goes with it ("老周<their sentence>" leaves nothing);
- ham: others' sentences that only look like theirs stay.

Each row gives the withdrawn member's sentence, how many other members wrote the same sentence as their own words
before and after them, someone else's text and what an export keeps of it."""
from __future__ import annotations

import pytest

from app.research.withdrawn_words import WithdrawnWords
from tests.research.name_books import read_tsv

CASES = [(row["family"], row["theirs"], int(row["others_before"]), int(row["others_after"]),
          row["text"].replace("\\n", "\n"), row["expected"].replace("\\n", "\n"))
         for row in read_tsv("withdrawn_commonplace.tsv")]
FAMILIES = ("commonplace", "theirs", "fragment", "ham")


def _words(theirs: str, before: int, after: int) -> WithdrawnWords:
    """The withdrawn member (written at time 10) and the other members who wrote the same sentence themselves."""
    words = WithdrawnWords()
    words.learn(theirs, at=10)
    for number in range(before):
        words.learn_others(theirs, author=100 + number, at=5)
    for number in range(after):
        words.learn_others(theirs, author=200 + number, at=20)
    return words


def test_report(capsys):
    """Prints cases passing per family; the per-line tests below are what fail."""
    lines = []
    for family in FAMILIES:
        rows = [row for row in CASES if row[0] == family]
        right = sum(_words(theirs, before, after).remove(text) == expected
                    for _f, theirs, before, after, text, expected in rows)
        lines.append(f"{family}: {right}/{len(rows)}")
    with capsys.disabled():
        print("\nwithdrawn commonplaces: " + "; ".join(lines))


@pytest.mark.parametrize("theirs, before, after, text, expected", [
    pytest.param(*row[1:], id=f"{row[0]}-{number}") for number, row in enumerate(CASES, start=2)])
def test_commonplaces_stay_and_one_members_sentences_leave_whole(theirs, before, after, text, expected):
    assert _words(theirs, before, after).remove(text) == expected


def test_a_commonplace_still_leaves_when_quoted_in_a_blockquote():
    words = _words("上次推荐的那款面霜我买了，真的好用", 0, 3)
    assert words.remove("上次推荐的那款面霜我买了，真的好用") == "上次推荐的那款面霜我买了，真的好用"
    assert words.holds("上次推荐的那款面霜我买了，真的好用")  # a quote holding it is dropped (quotes.QuoteRules)
    # … unless a header says whose it is, and that member did not withdraw
    assert not words.holds("上次推荐的那款面霜我买了，真的好用", commonplaces=False)


def test_members_who_quoted_them_do_not_make_their_sentence_a_commonplace_after_them():
    """Three members who quoted the withdrawn member's post and then wrote their sentence may be echoing it."""
    sentence = "这款精华我连续用了三个月，脸上的痘印淡了一大半"
    words = _words(sentence, 0, 3)
    words.readers.add(200)
    assert words.remove(sentence) == sentence  # 201 and 202 never quoted them: two independent writers
    words = _words(sentence, 0, 3)
    words.readers.update({200, 201})
    assert words.remove(sentence) == ""  # one independent writer is not enough
    words = _words(sentence, 1, 0)
    words.readers.add(100)
    assert words.remove(sentence) == sentence  # one who wrote it before them: not an echo


def test_quoted_copies_do_not_make_a_sentence_a_commonplace():
    """Members quoting the withdrawn member inline ("X 说：“…”") are not writing their own words."""
    sentence = "这款精华我连续用了三个月，脸上的痘印淡了一大半"
    words = WithdrawnWords()
    words.learn(sentence, at=10)
    words.learn_others(f"小美说：“{sentence}”", author=200, at=20)
    words.learn_others(f"> {sentence}\n同感", author=201, at=21)
    assert words.remove(sentence + "。好") == "好"


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_an_export_keeps_everyday_sentences_and_drops_one_members_words_whole(fmt, db, category_factory, user_factory,
                                                                              researcher):
    """Through the export: an everyday sentence the withdrawn member also wrote stays in consenting members' posts,
    their distinctive sentence copied after a name leaves with its whole sentence (no name left dangling), and a
    quote of them under the quote button's header leaves whatever it holds, as does a commonplace of theirs in a reply
    to their post (a quoted-post link); a consenting member's quote of another's commonplace stays."""
    from app.core.settings import set_setting
    from app.db import utcnow
    from app.forum import services as forum
    from tests.research.test_reidentification import _export, _read

    set_setting("spam.hold_threshold", 1000)
    everyday = "上次推荐的那款面霜我买了，真的好用"
    distinctive = "敷完这个面膜第二天早上起来脸上的红血丝明显少了"
    withdrawn = user_factory(display_name="周雨桐")
    others = [user_factory(display_name=name) for name in ("林小雪", "陈思思", "王佳怡", "赵敏")]
    thread = forum.start_thread(category_factory(name="护肤"), author=withdrawn, title="面霜",
                                body=f"{everyday}。{distinctive}。")
    mine = forum.reply(thread, author=others[0], body=f"{everyday}！明天再买一瓶")
    forum.reply(thread, author=others[1], body=f"{everyday}，还会回购。")
    quoted = forum.reply(thread, author=others[2], body=f"雨桐{distinctive}。这句我记住了")
    first = _first_post(thread)
    forum.reply(thread, author=others[3], body=forum.quote_source(first) + "收藏了", quoted=first)
    forum.reply(thread, author=others[3], body=f"{everyday}。同款", quoted=first)  # a reply to them: may be a quote
    forum.reply(thread, author=others[2], body=forum.quote_source(mine) + "我也是", quoted=mine)  # a consenter's quote
    withdrawn.consent_withdrawn_at = utcnow()
    db.session.commit()
    _columns, _rows, text = _read(fmt, _export(fmt, researcher))
    # the two consenting members' own posts and a quote of one of them, not the quote of the withdrawn member
    assert text.count("上次推荐的那款面霜我买了") == 3
    assert "红血丝" not in text and "雨桐" not in text and "周雨桐" not in text
    assert "这句我记住了" in text and "收藏了" in text and "明天再买一瓶" in text and "同款" in text
    assert quoted is not None


def _first_post(thread):
    import sqlalchemy as sa

    from app.extensions import db
    from app.forum.models import Post

    return db.session.scalars(sa.select(Post).where(Post.thread_id == thread.id).order_by(Post.id).limit(1)).one()

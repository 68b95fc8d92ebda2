"""Acceptance: a pseudonymised export cannot be re-identified.

A generated community where every member's display name (Latin, Chinese and mixed) also stands in other members'
posts: in quote headers made by the quote button (in English and in Chinese), @mentions, plain text (whole, by a
first or last name or a Chinese given name, joined, with an invisible character, in full-width letters), thread
titles and the competition results a host posts; emails are written in posts too, and one member withdraws consent after
being quoted. In every format (CSV, XLSX read with openpyxl, JSONL, DOCX read with python-docx) no display name
or email is found, no column links a pseudonym to a person, and the withdrawn member is nowhere.
"""
from __future__ import annotations

import csv
import io
import json
import re
from datetime import timedelta

import pytest
from flask_babel import force_locale

from app.db import utcnow
from app.extensions import db
from app.members.models import User
from app.research import exports
from app.research.pseudonyms import UNKNOWN_AUTHOR, WITHDRAWN, pseudonym
from app.research.transcript_filter import TranscriptFilter
from tests.conftest import shared_rows
from tests.factories import make_category, make_competition, make_user

NAMES = ["Emily Chen", "Marcus Olsen", "Priya Raman", "Tomás Ortega", "Hannah Berg", "Oliver Kwan", "Sofia Rossi",
         "Liam O'Brien", "大伟", "李晓明", "王芳芳", "陈静", "Lily李", "Zoë Laurent", "Kiki🌸", "王丽"]
CHINESE = {"大伟", "李晓明", "王芳芳", "陈静", "Lily李", "王丽"}  # their quote button writes “… 写道：”
WITHDRAWING = "Hannah Berg"
SECRET_WORDS = "violet marmalade whisper"  # only the withdrawing member ever writes these
PSEUDONYM_RE = re.compile(r"P-[A-Z2-7]{13}")


def _slug(name: str, index: int) -> str:
    return re.sub(r"[^a-z]", "", name.lower()) or f"m{index}"


@pytest.fixture(scope="module")
def community_rows(app):
    """The community, built once for the module (each test exports it and reads its own file; only their export
    runs and audit rows are added): the ids of its people, host, withdrawn member and a researcher."""
    with shared_rows(app, read_only=False), app.app_context():
        community = _build_community(db, make_user(role="moderator", host_persona="Warm host"))
        ids = {"people": [p.id for p in community["people"]], "moderator": community["moderator"].id,
               "withdrawn": community["withdrawn"].id, "researcher": make_user(role="researcher").id}
        db.session.remove()
        yield ids


@pytest.fixture
def community(community_rows, db):
    people = [db.session.get(User, user_id) for user_id in community_rows["people"]]
    return {"people": people, "moderator": db.session.get(User, community_rows["moderator"]),
            "withdrawn": next(p for p in people if p.id == community_rows["withdrawn"])}


@pytest.fixture
def researcher(community_rows, db):
    return db.session.get(User, community_rows["researcher"])


def _build_community(db, moderator):
    """Fourteen members who all name, mention and quote each other; the competition's winners are announced."""
    from app.core.settings import set_setting
    from app.forum import services as forum

    set_setting("spam.hold_threshold", 1000)  # the mentions and emails below must publish, not be held
    people = [make_user(display_name=name, email=f"{_slug(name, i)}.{i}@example.test")
              for i, name in enumerate(NAMES)]
    count = len(people)
    category = make_category(name="Tea")
    openings = []
    for i, person in enumerate(people):
        other, third = people[(i + 1) % count], people[(i + 3) % count]
        words = SECRET_WORDS if person.display_name == WITHDRAWING else "jasmine and oolong"
        thread = forum.start_thread(category, author=person, title=f"Ask {third.display_name} about tea",
                                    body=f"I think {other.display_name} likes {words}. Mail {other.email} to ask.")
        openings.append(_opening(db, thread))
    replies = []
    for i, opening in enumerate(openings):
        quoter, named = people[(i + 1) % count], people[(i + 5) % count]
        with force_locale("zh_Hans" if quoter.display_name in CHINESE else "en"):
            quote = forum.quote_source(opening)  # exactly what the quote button puts in the reply box
        body = (f"{quote}Agreed, @{opening.author_name}! {named.display_name.lower()} said so too, "
                f"and {named.display_name}说好。 Ask {' or '.join(_spellings(named.display_name))} about it.")
        replies.append(forum.reply(opening.thread, author=quoter, body=body, quoted=opening))
    for i, reply in enumerate(replies):  # a quote of a quote: the first quoted member stands nested inside
        quoter = people[(i + 2) % count]
        forum.reply(reply.thread, author=quoter, body=forum.quote_source(reply) + "Nested, nice.", quoted=reply)
    _competition(db, moderator, category, people)
    withdrawing = next(p for p in people if p.display_name == WITHDRAWING)
    withdrawing.consent_withdrawn_at = utcnow()
    db.session.commit()
    return {"people": people, "moderator": moderator, "withdrawn": withdrawing}


def _parts(name: str) -> list[str]:
    """The parts of a name others call a member by: each Latin word of three letters or more, a Chinese given name."""
    latin = [word for word in re.findall(r"[^\W\d_\u4e00-\u9fff]+", name) if len(word) >= 3]
    chinese = re.findall(r"[\u4e00-\u9fff]+", name)
    return latin + [run[1:] for run in chinese if len(run) == 3]


def _spellings(name: str) -> list[str]:
    """A member's name as others write it: by a part, joined, with an invisible character, in full-width letters,
    a Chinese surname with a title (王姐, 陈老师), a name without its emoji (Kiki of Kiki🌸)."""
    parts = _parts(name)
    words = re.findall(r"[^\W\d_\u4e00-\u9fff]+", name)
    found = list(parts)
    if len(words) == 2:
        found += ["".join(words), "_".join(word.lower() for word in words)]
    if parts:
        found += [parts[0][:2] + "\u200b" + parts[0][2:], parts[0].upper().translate(_FULL_WIDTH)]
    if re.fullmatch(r"[王李陈张刘]\w{1,2}", name):
        found += [name[0] + "姐", name[0] + "老师"]
    return found


_FULL_WIDTH = {code: code + 0xFEE0 for code in range(0x21, 0x7F)}


def _opening(db, thread):
    import sqlalchemy as sa

    from app.forum.models import Post

    return db.session.scalar(sa.select(Post).where(Post.thread_id == thread.id, Post.number == 1))


def _competition(db, moderator, category, people) -> None:
    """Three entries, votes for 大伟's, and the host's results post naming the winner."""
    from app.competitions import services as competitions
    from app.competitions.closing import close_competition

    start = utcnow() - timedelta(hours=1)
    competition = make_competition(by=moderator, category=category, title="Tea moments", start=start,
                                   winner_count=2)
    entrants = [p for p in people if p.display_name in ("大伟", "Emily Chen", "Zoë Laurent")]
    entries = [competitions.enter(competition, user=p, title=f"Moment of {p.display_name}", body="Tea at dawn",
                                  now=start + timedelta(minutes=5)) for p in entrants]
    voting = start + timedelta(days=1, hours=1)
    for voter in people[:6]:
        target = entries[0] if voter.id != entries[0].user_id else entries[1]
        competitions.vote(target, user=voter, now=voting)
    close_competition(competition, now=start + timedelta(days=2, hours=1), seed=7)
    db.session.commit()


def _export(fmt: str, by, **filters):
    everything = {"include_tasks": True, "include_polls": True, "include_competitions": True}
    run = exports.execute_export(exports.queue_export(TranscriptFilter(**(everything | filters)), fmt, by=by))
    assert run.status == "done", run.error
    return exports.file_path(run)


def _read(fmt: str, path) -> tuple[list[str], list[dict], str]:
    """(columns, rows, every piece of text in the file) as a reader of that format sees them."""
    if fmt == "csv":
        text = path.read_bytes().decode("utf-8-sig")
        rows = list(csv.DictReader(io.StringIO(text)))
        return list(rows[0]), rows, text
    if fmt == "jsonl":
        text = path.read_text(encoding="utf-8")
        rows = [json.loads(line) for line in text.splitlines()]
        return list(rows[0]), rows, text
    if fmt == "xlsx":
        from openpyxl import load_workbook

        workbook = load_workbook(path, read_only=True)
        header, *values = [list(row) for sheet in workbook for row in sheet.iter_rows(values_only=True)]
        workbook.close()
        rows = [dict(zip(header, line)) for line in values]
        return header, rows, "\n".join(str(v) for line in [header, *values] for v in line if v is not None)
    from docx import Document

    document = Document(str(path))
    texts = [p.text for p in document.paragraphs] + [link.address for p in document.paragraphs for link in p.hyperlinks]
    return [], [], "\n".join(texts)


def _assert_nobody_is_named(text: str, community) -> None:
    folded = text.casefold()
    for person in [*community["people"], community["moderator"]]:
        assert person.display_name.casefold() not in folded, person.display_name
        assert person.email.casefold() not in folded, person.email
        for spelling in _spellings(person.display_name):  # first or last name alone, joined, disguised
            assert not re.search(rf"(?<!\w){re.escape(spelling.casefold())}(?!\w)", folded), spelling


def _consenting_pseudonyms(community) -> set[str]:
    return {pseudonym(p.id) for p in [*community["people"], community["moderator"]] if p is not community["withdrawn"]}


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "jsonl", "docx"])
def test_no_display_name_or_email_survives_in_any_format(fmt, community, researcher):
    columns, rows, text = _read(fmt, _export(fmt, researcher))
    _assert_nobody_is_named(text, community)
    assert SECRET_WORDS not in text  # the withdrawn member's words do not come back through others' quotes
    assert pseudonym(community["withdrawn"].id) not in text
    assert set(PSEUDONYM_RE.findall(text)) <= _consenting_pseudonyms(community)
    assert "@" + pseudonym(community["people"][0].id) in text  # @mentions now name the pseudonym
    if rows:
        assert not {"parent_post_id", "quoted_post_id", "author_id", "user_id", "email"} & set(columns)
        allowed = _consenting_pseudonyms(community) | {"", None, UNKNOWN_AUTHOR}
        assert {r["author"] for r in rows} | {r["parent_author"] for r in rows} <= allowed


def test_quotes_are_attributed_by_the_quoted_members_pseudonym_in_both_languages(community, researcher):
    _columns, rows, _text = _read("csv", _export("csv", researcher))
    people = {p.display_name: p for p in community["people"]}
    emily_reply = next(r for r in rows if r["parent_author"] == pseudonym(people["Emily Chen"].id)
                       and r["author"] == pseudonym(people["Marcus Olsen"].id))
    assert emily_reply["text"].startswith(pseudonym(people["Emily Chen"].id) + " wrote:")
    chinese = next(r for r in rows if r["author"] == pseudonym(people["李晓明"].id) and r["parent_author"]
                   and r["parent_post_number"] == "1")
    assert chinese["text"].startswith(chinese["parent_author"] + " 写道：")
    winner = pseudonym(people["大伟"].id)
    assert any("🏆" in r["text"] and f"” by {winner} — " in r["text"] for r in rows)


def test_a_withdrawn_member_is_neither_quoted_nor_named_nor_a_parent(community, researcher):
    _columns, rows, text = _read("jsonl", _export("jsonl", researcher))
    replies_to_her = [r for r in rows if r["parent_post_number"] == 1 and r["parent_author"] == ""]
    assert replies_to_her and all(SECRET_WORDS not in r["text"] for r in replies_to_her)
    assert {r["thread_title"] for r in replies_to_her} == {""}  # her thread's title is her words too
    assert WITHDRAWN in text  # where others named her, "[member]" stands


def test_member_emails_are_replaced_even_without_contact_scrubbing(community, researcher):
    _columns, rows, text = _read("csv", _export("csv", researcher, scrub=False))
    _assert_nobody_is_named(text, community)
    marcus = next(p for p in community["people"] if p.display_name == "Marcus Olsen")
    assert any("Mail [member] to ask" in r["text"] for r in rows)
    assert not any(f"Mail {pseudonym(marcus.id)}" in r["text"] for r in rows)


def test_identity_none_leaves_no_pseudonym_and_no_name(community, researcher):
    _columns, rows, text = _read("jsonl", _export("jsonl", researcher, identity="none"))
    _assert_nobody_is_named(text, community)
    assert not PSEUDONYM_RE.search(text)
    assert {r["author"] for r in rows} == {""} and "@[member]" in text


def test_dropped_quotes_leave_no_quoted_words_and_no_quote_header(community, researcher):
    _columns, rows, text = _read("csv", _export("csv", researcher, quotes="drop"))
    _assert_nobody_is_named(text, community)
    assert " wrote:" not in text and "写道：" not in text and "jasmine" not in "".join(
        r["text"] for r in rows if r["parent_author"])


def test_display_name_exports_keep_names_but_still_drop_withdrawn_words(community, researcher):
    from app.audit.models import AuditEvent

    _columns, _rows, text = _read("csv", _export("csv", researcher, identity="display_name"))
    assert "Emily Chen wrote:" in text and "大伟" in text
    assert SECRET_WORDS not in text
    import sqlalchemy as sa

    from app.extensions import db

    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.verb == "export.create")
                              .order_by(AuditEvent.id.desc()))
    assert "identifying export" in (event.reason or "")

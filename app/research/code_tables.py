"""Coded excerpts in context (who, by pseudonym; their segment values; the thread) and the code x segment table."""
from __future__ import annotations

import csv
import html as html_lib
import io
import re
from dataclasses import dataclass, field

import sqlalchemy as sa

from app.extensions import db
from app.forum.models import Post
from app.members.models import User
from app.members.queries import members_only, taking_part_in_research
from app.research.deidentify import Deidentifier
from app.research.models import Code, CodedExcerpt
from app.research.quotes import NOT_A_REPLY
from app.segments.models import MemberSegment, SegmentAttribute
from app.segments.services import segments_for
from app.text.markup import html_to_text
from app.text.scrub import scrub_contacts
from app.text.spreadsheet import neutralise

_SENTENCE_RE = re.compile(r"[^.!?。！？…]+[.!?。！？…]*")


@dataclass
class ExcerptContext:
    pseudonym: str
    segments: dict[str, str]  # attribute label -> value
    text: str = ""  # the excerpt as an export shows it (see ``excerpt_contexts``)
    thread: str = ""  # its thread's title, de-identified; empty when the thread's author withdrew from research
    memo: str = ""


def excerpt_contexts(excerpts: list[CodedExcerpt], attributes: list[SegmentAttribute]) -> dict[int, ExcerptContext]:
    """Each excerpt de-identified as a pseudonymised export is (``deidentify.Deidentifier``, contact details
    scrubbed): its text (members named or quoted in it as pseudonyms, a withdrawn member's quoted or copied words
    left out and their name as "[member]"), its author's pseudonym and segment values (by attribute label), its
    thread's title and the memo."""
    deid = Deidentifier(identity="pseudonym", drop_quotes=False, clean=scrub_contacts)
    posts = {coded.id: coded.post for coded in excerpts}
    quoted_ids = sorted({post.quoted_post_id for post in posts.values() if post.quoted_post_id is not None})
    quoted_authors = dict(db.session.execute(sa.select(Post.id, Post.author_id).where(Post.id.in_(quoted_ids)))
                          .all()) if quoted_ids else {}
    values = segments_for(sorted({post.author_id for post in posts.values() if post.author_id is not None}))
    labels = {attribute.key: attribute.label for attribute in attributes}
    contexts = {}
    for coded in excerpts:
        post = posts[coded.id]
        quoted = quoted_authors.get(post.quoted_post_id) if post.quoted_post_id is not None else NOT_A_REPLY
        thread = post.thread
        contexts[coded.id] = ExcerptContext(
            deid.author(post.author_id, None),
            {labels.get(k, k): v for k, v in values.get(post.author_id, {}).items()},
            text=coded_passage(deid.post_text(post.body_html or "", quoted), coded.excerpt, post.body_html, deid),
            thread="" if thread.author_id in deid.names.withdrawn else deid.line(thread.title),
            memo=deid.line(coded.memo))
    return contexts


def find_passage(text: str, passage: str, start: int = 0, end: int | None = None) -> re.Match | None:
    """Where ``passage`` stands in ``text[start:end]``, whatever the whitespace between its words."""
    words = passage.split()
    if not words:
        return None
    return re.compile(r"\s+".join(re.escape(word) for word in words)).search(
        text, start, len(text) if end is None else end)


def coded_passage(text: str, passage: str | None, body_html: str | None, deid: Deidentifier) -> str:
    """What a coded passage shows, taken from ``text``, its post's de-identified text, so that it holds no more
    than an export does: the whole text when the whole post was coded; else the passage where the text has it
    (its names replaced; or de-identified as a post of its own, when a withdrawn member's words in it are gone);
    else those of its sentences the text still holds (the post changed since); else the whole text."""
    passage = " ".join((passage or "").split())
    if not passage or passage == " ".join(html_to_text(body_html or "").split()):
        return text
    alone = deid.post_text(f"<p>{html_lib.escape(passage, quote=False)}</p>")
    for wanted in (deid.line(passage), alone):
        if (match := find_passage(text, wanted)) is not None:
            return match.group()
    pieces = [match.group() for sentence in _SENTENCE_RE.findall(alone)
              if len(sentence.strip()) > 1 and (match := find_passage(text, sentence)) is not None]
    return " … ".join(pieces) or text


@dataclass
class CodeSegmentRow:
    code: Code
    excerpts: dict[int, int] = field(default_factory=dict)  # value id -> excerpts
    members: dict[int, int] = field(default_factory=dict)  # value id -> distinct members
    total_excerpts: int = 0
    total_members: int = 0


@dataclass
class CodeSegmentTable:
    attribute: SegmentAttribute | None  # None: no segment attribute exists yet, only the totals
    rows: list[CodeSegmentRow]
    base: dict[int, int]  # value id -> members taking part in research with that value
    base_total: int

    @property
    def values(self) -> list:
        return list(self.attribute.values) if self.attribute is not None else []

    def share(self, row: CodeSegmentRow, value_id: int | None = None) -> float:
        """The share of the segment's members (all members when no value) with an excerpt of the code."""
        if value_id is None:
            return row.total_members / self.base_total if self.base_total else 0.0
        base = self.base.get(value_id, 0)
        return row.members.get(value_id, 0) / base if base else 0.0


def _consenting_excerpts() -> sa.Select:
    return (sa.select().select_from(CodedExcerpt).join(Post, Post.id == CodedExcerpt.post_id)
            .join(User, User.id == Post.author_id).where(taking_part_in_research(), members_only()))


def code_segment_table(attribute: SegmentAttribute | None) -> CodeSegmentTable:
    """Per code and value of ``attribute``: excerpts and distinct members (consenting members only), with the
    number of members holding each value as the base of the share; without an attribute, the totals only."""
    rows = {code.id: CodeSegmentRow(code) for code in db.session.scalars(sa.select(Code).order_by(Code.name))}
    base: dict[int, int] = {}
    if attribute is not None:
        _count_by_value(rows, base, attribute)
    totals = _consenting_excerpts().add_columns(CodedExcerpt.code_id, sa.func.count(CodedExcerpt.id),
                                                sa.func.count(sa.distinct(Post.author_id)))
    for code_id, excerpts, members in db.session.execute(totals.group_by(CodedExcerpt.code_id)):
        rows[code_id].total_excerpts, rows[code_id].total_members = excerpts, members
    base_total = db.session.scalar(sa.select(sa.func.count()).select_from(User).where(
        taking_part_in_research(), members_only()))
    return CodeSegmentTable(attribute, list(rows.values()), base, base_total or 0)


def _count_by_value(rows: dict, base: dict, attribute: SegmentAttribute) -> None:
    counted = _consenting_excerpts().add_columns(
        CodedExcerpt.code_id, MemberSegment.value_id, sa.func.count(CodedExcerpt.id),
        sa.func.count(sa.distinct(Post.author_id))).join(
        MemberSegment, sa.and_(MemberSegment.user_id == User.id, MemberSegment.attribute_id == attribute.id))
    for code_id, value_id, excerpts, members in db.session.execute(
            counted.group_by(CodedExcerpt.code_id, MemberSegment.value_id)):
        rows[code_id].excerpts[value_id], rows[code_id].members[value_id] = excerpts, members
    people = sa.select(MemberSegment.value_id, sa.func.count()).join(User, User.id == MemberSegment.user_id).where(
        MemberSegment.attribute_id == attribute.id, taking_part_in_research(), members_only())
    base.update(db.session.execute(people.group_by(MemberSegment.value_id)).all())


def code_segment_csv(table: CodeSegmentTable) -> str:
    """The table as CSV: per code, excerpts, members and share of members per value, then for everyone."""
    out = io.StringIO()
    writer = csv.writer(out)
    header = ["code"]
    for value in table.values:
        header += [f"{value.value} excerpts", f"{value.value} members", f"{value.value} share"]
    writer.writerow([neutralise(cell) for cell in [*header, "all excerpts", "all members", "all share"]])
    for row in table.rows:
        cells = [row.code.name]
        for value in table.values:
            cells += [row.excerpts.get(value.id, 0), row.members.get(value.id, 0), f"{table.share(row, value.id):.3f}"]
        cells += [row.total_excerpts, row.total_members, f"{table.share(row):.3f}"]
        writer.writerow([neutralise(cell) for cell in cells])
    return out.getvalue()

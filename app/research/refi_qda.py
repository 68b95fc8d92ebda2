"""REFI-QDA project export (.qdpx), the exchange standard NVivo, ATLAS.ti and MAXQDA import.

A .qdpx is a zip holding ``project.qde`` (QDA-XML 1.0, namespace ``urn:QDA-XML:project:1.0``) and the sources
under ``sources/``. Here every thread with coded excerpts is one text source: its transcript (the export's own rows,
pseudonymised: authors as P-…, members' names in the text replaced, contact details scrubbed, withdrawn members
left out) as plain text. The code book becomes the codes (parents nest their children), and every coded excerpt a
``PlainTextSelection`` of its source (start and end in Unicode code points, as the standard counts) carrying a
``Coding`` of its code. GUIDs are derived from the database ids, so exporting twice gives the same GUIDs.
"""
from __future__ import annotations

import io
import uuid
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from xml.etree import ElementTree as etree

import sqlalchemy as sa

from app.extensions import db
from app.forum.models import Post
from app.members.models import User
from app.members.queries import taking_part_in_research
from app.research.code_tables import find_passage
from app.research.deidentify import Deidentifier
from app.research.models import Code, CodedExcerpt
from app.research.pseudonyms import reference
from app.research.transcript import iter_transcript
from app.research.transcript_filter import TranscriptFilter
from app.text.scrub import scrub_contacts

NS = "urn:QDA-XML:project:1.0"
_Q = f"{{{NS}}}"
_NAMESPACE = uuid.UUID("6f1c2b1e-93a4-4c55-9a53-7d1e2c0b9f10")  # this app's GUID namespace


def guid(kind: str, ident: int) -> str:
    return str(uuid.uuid5(_NAMESPACE, f"{kind}:{ident}"))


def _stamp(when: datetime | None) -> str:
    return (when or datetime.now(UTC)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class _Source:
    thread_id: int
    title: str
    text: str
    posts: dict[str, tuple[int, int]]  # post reference -> (start, end) of its text in ``text``


def _sources(thread_ids: list[int]) -> dict[int, _Source]:
    """Each thread's pseudonymised transcript as one text, with where each post's text stands in it."""
    found: dict[int, _Source] = {}
    # The transcript's id columns hold keyed references (research.pseudonyms): map them back to the threads.
    thread_of = {reference("thread", thread_id): thread_id for thread_id in thread_ids}
    spec = TranscriptFilter(thread_ids=thread_ids, identity="pseudonym", scrub=True)
    for row in iter_transcript(spec):
        if row.get("activity_type") != "post":
            continue
        thread_id = thread_of[row["thread_id"]]
        source = found.setdefault(thread_id, _Source(thread_id, row.get("thread_title") or "", "", {}))
        head = f"[{row.get('author') or ''} · {row.get('created_utc') or ''} · #{row.get('post_number')}]\n"
        start = len(source.text) + len(head)
        body = row.get("text") or ""
        source.text += head + body + "\n\n"
        source.posts[row["post_id"]] = (start, start + len(body))
    return found


def _locate(source: _Source, post_id: int, passage: str) -> tuple[int, int] | None:
    """Where a (pseudonymised) passage stands in its post's text, whitespace-tolerant; the whole post if not found."""
    span = source.posts.get(reference("post", post_id))
    if span is None:
        return None
    match = find_passage(source.text, passage, *span)
    return match.span() if match is not None else span


def _code_elements(parent, codes: list[Code], parent_id: int | None) -> None:
    for code in (c for c in codes if c.parent_id == parent_id):
        element = etree.SubElement(parent, _Q + "Code", guid=guid("code", code.id), name=code.name,
                                   isCodable="true", color=code.colour)
        if code.description:
            etree.SubElement(element, _Q + "Description").text = code.description
        _code_elements(element, codes, code.id)


def build_qdpx(*, project_name: str = "Teahouse") -> bytes:
    """The .qdpx of the code book and every coded excerpt of members taking part in research."""
    codes = list(db.session.scalars(sa.select(Code).order_by(Code.name)))
    excerpts = list(db.session.scalars(
        sa.select(CodedExcerpt).join(Post, Post.id == CodedExcerpt.post_id).join(User, User.id == Post.author_id)
        .where(taking_part_in_research()).order_by(CodedExcerpt.id)))
    thread_ids = sorted({e.post.thread_id for e in excerpts})
    sources = _sources(thread_ids) if thread_ids else {}
    deid = Deidentifier(identity="pseudonym", drop_quotes=False, clean=scrub_contacts)
    coders = sorted({e.created_by_id for e in excerpts if e.created_by_id})

    root = etree.Element(_Q + "Project", name=project_name, origin="Teahouse", creationDateTime=_stamp(None))
    if coders:
        users = etree.SubElement(root, _Q + "Users")
        for number, coder in enumerate(coders, start=1):
            etree.SubElement(users, _Q + "User", guid=guid("user", coder), name=f"researcher-{number}")
    if codes:
        book = etree.SubElement(etree.SubElement(root, _Q + "CodeBook"), _Q + "Codes")
        _code_elements(book, codes, None)
    files: dict[str, str] = {}
    if sources:
        sources_element = etree.SubElement(root, _Q + "Sources")
        for thread_id in thread_ids:
            source = sources.get(thread_id)
            if source is None:
                continue
            source_guid = guid("source", thread_id)
            files[f"sources/{source_guid}.txt"] = source.text
            element = etree.SubElement(sources_element, _Q + "TextSource", guid=source_guid,
                                       name=deid.line(source.title) or f"#{thread_id}",
                                       plainTextPath=f"internal://{source_guid}.txt")
            for coded in (e for e in excerpts if e.post.thread_id == thread_id):
                _selection(element, source, coded, deid)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        etree.register_namespace("", NS)
        archive.writestr("project.qde", etree.tostring(root, xml_declaration=True, encoding="utf-8"))
        for name, text in files.items():
            archive.writestr(name, text.encode("utf-8"))
    return buffer.getvalue()


def _selection(parent, source: _Source, coded: CodedExcerpt, deid: Deidentifier) -> None:
    span = _locate(source, coded.post_id, deid.line(coded.excerpt))
    if span is None:
        return
    attributes = {"guid": guid("selection", coded.id), "name": source.text[span[0]:span[1]][:60],
                  "startPosition": str(span[0]), "endPosition": str(span[1]),
                  "creationDateTime": _stamp(coded.created_at)}
    if coded.created_by_id:
        attributes["creatingUser"] = guid("user", coded.created_by_id)
    selection = etree.SubElement(parent, _Q + "PlainTextSelection", **attributes)
    if coded.memo:
        etree.SubElement(selection, _Q + "Description").text = deid.line(coded.memo)
    coding = etree.SubElement(selection, _Q + "Coding", guid=guid("coding", coded.id),
                              creationDateTime=_stamp(coded.created_at))
    etree.SubElement(coding, _Q + "CodeRef", targetGUID=guid("code", coded.code_id))


@dataclass(frozen=True)
class ReadSelection:
    code: str
    source: str
    start: int
    end: int
    text: str


def read_qdpx(data: bytes) -> tuple[dict[str, str | None], list[ReadSelection]]:
    """Codes (name -> parent name) and coded selections of a .qdpx, read back (round trips and checks)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        root = etree.fromstring(archive.read("project.qde"))
        texts = {name: archive.read(name).decode("utf-8") for name in archive.namelist() if name != "project.qde"}
    names: dict[str, str] = {}
    parents: dict[str, str | None] = {}
    for parent in root.iter():
        for code in parent.findall(_Q + "Code"):
            names[code.get("guid")] = code.get("name")
            parents[code.get("name")] = parent.get("name") if parent.tag == _Q + "Code" else None
    selections = []
    for source in root.iter(_Q + "TextSource"):
        text = texts.get("sources/" + source.get("plainTextPath", "").removeprefix("internal://"), "")
        for selection in source.iter(_Q + "PlainTextSelection"):
            start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
            for ref in selection.iter(_Q + "CodeRef"):
                selections.append(ReadSelection(names[ref.get("targetGUID")], source.get("name"), start, end,
                                                text[start:end]))
    return parents, selections

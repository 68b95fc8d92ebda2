"""What every transcript row shares: the columns, the row builder (identity, time zone, scrubbing, links) and segments."""
from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable
from zoneinfo import ZoneInfo

from flask import current_app

from app.research.deidentify import Deidentifier
from app.research.member_names import MemberNames
from app.research.pseudonyms import derive_reference
from app.research.quotes import NOT_A_REPLY
from app.research.transcript_filter import IDENTITIES, TranscriptFilter
from app.research.withdrawn_words import WithdrawnWords
from app.security.roles import Permission, role_has
from app.segments.services import attributes, segments_for
from app.text.scrub import scrub_contacts

BASE_COLUMNS = [
    "row_id", "activity_type", "activity_id", "activity_title", "item_id", "thread_id", "thread_title", "category",
    "post_id", "post_number", "parent_post_number", "parent_author", "created_utc", "created_local", "author",
    "author_role", "state", "entry_title", "text", "photos", "reaction_count", "codes", "poll_options", "task_status",
]
SEGMENT_PREFIX = "segment_"


def segment_keys() -> list[str]:
    return [attribute.key for attribute in attributes()]


def transcript_columns(keys: list[str] | None = None) -> list[str]:
    """The base columns, then one column per segment attribute (``segment_<key>``)."""
    return BASE_COLUMNS + [SEGMENT_PREFIX + key for key in (segment_keys() if keys is None else keys)]


class RowContext:
    """Everything a row needs besides its database values: identity, time zone, scrubbing, segments, links."""

    def __init__(self, spec: TranscriptFilter, keys: list[str], *, reference_key: bytes | None = None,
                 names: MemberNames | None = None, words: WithdrawnWords | None = None) -> None:
        self.zone = ZoneInfo(current_app.config["COMMUNITY_TIMEZONE"])
        self.clean: Callable[[str], str] = scrub_contacts if spec.scrub else (lambda text: text)
        self.identity = Deidentifier(identity=spec.identity if spec.identity in IDENTITIES else "pseudonym",
                                     drop_quotes=spec.quotes == "drop", clean=self.clean, names=names,
                                     words=words)
        self.segment_columns = [(key, SEGMENT_PREFIX + key) for key in keys]
        self._roles: dict[str | None, str] = {}
        self.base_url = (current_app.config.get("PUBLIC_URL") or "").rstrip("/")
        self.row_id = 0
        self._titles: dict[object, str] = {}
        self._references: dict[tuple[str, int], str] = {}
        # Format none links no row to anything outside the file: its references use a key of this export only
        # (given when several processes build one export's rows: parallel_rows); the others the community's key.
        self._reference_key = ((reference_key or secrets.token_bytes(32)) if self.identity.mode == "none"
                               else current_app.config["SECRET_KEY"].encode())

    def text(self, html: str | None, quoted_author=NOT_A_REPLY, author: int | None = None) -> str:
        """Plain text, scrubbed, with members' names and quotes handled in the identity format (the author's own
        name forms in a signature or a self-introduction too)."""
        return self.identity.post_text(html or "", quoted_author, author)

    def line(self, text: str | None) -> str:
        """A title, an entry title or a poll option: scrubbed, members' names replaced."""
        return self.identity.line(text)

    def title(self, key: object, title: str | None, author_id: int | None = None) -> str:
        """A title as ``line`` gives it, remembered for the last few threads or activities (rows come grouped);
        empty when its author withdrew consent (a title is their words too)."""
        if key not in self._titles:
            if len(self._titles) >= 64:  # constant memory however many threads an export holds
                self._titles.clear()
            withdrawn = author_id is not None and author_id in self.identity.names.withdrawn
            self._titles[key] = "" if withdrawn else self.line(title)
        return self._titles[key]

    def ref(self, kind: str, record_id: int | None) -> int | str | None:
        """A record's id column: the id itself in an identifying (display-name) export, else the record's keyed
        reference (``pseudonyms.reference``), which nobody can open in the forum; in format none, a reference under a
        key of this export only, so two such exports cannot be joined either."""
        if self.identity.keeps_names or record_id is None:
            return record_id
        key = (kind, record_id)
        if key not in self._references:
            if len(self._references) >= 4096:  # constant memory: rows come grouped by thread or activity
                self._references.clear()
            self._references[key] = derive_reference(self._reference_key, kind, record_id)
        return self._references[key]

    def links(self, urls: Iterable[str]) -> str:
        return "\n".join(self.base_url + url if url.startswith("/") else url for url in urls)

    def row(self, *, user_id: int | None, name: str, role: str | None, created_at, segments: dict[str, str],
            **values) -> dict:
        self.row_id += 1
        row = dict.fromkeys(BASE_COLUMNS)
        row.update(values)
        row.update(
            row_id=self.row_id, created_utc=created_at.isoformat(),
            created_local=created_at.astimezone(self.zone).isoformat(), author=self.identity.author(user_id, name),
            author_role=self._role(role))
        for key, column in self.segment_columns:
            row[column] = segments.get(key)
        return row

    def _role(self, role: str | None) -> str:
        if role not in self._roles:
            self._roles[role] = "host" if role and role_has(role, Permission.MODERATE) else "member"
        return self._roles[role]


def segments_of(chunk, column: str = "author_id") -> dict[int, dict[str, str]]:
    """Segment values of the members behind a batch of rows (one query per batch)."""
    return segments_for(sorted({getattr(row, column) for row in chunk if getattr(row, column) is not None}))

"""Members' names and emails found in free text, so that an export can put a pseudonym (or [member]) in their place.

Names are matched as whole tokens: a Latin word is a run of letters and digits, a Chinese or Japanese character is a
token of its own (those scripts have no spaces, so 大伟 is also found inside 大伟说). Latin names match whatever the
case; very short names (one CJK character, two Latin letters, digits only) and names that are common words are
matched only where they cannot be ordinary text: after an @, or with exactly the case the member chose.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

import sqlalchemy as sa

from app.competitions.models import CompetitionEntry
from app.extensions import db
from app.forum.models import Post
from app.members.models import FormerName, User
from app.research.stopwords import stop_words
from app.tasks.models import TaskSubmission
from app.text.scrub import EMAIL_RE

_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
TOKEN_RE = re.compile(rf"[{_CJK}]|[^\W{_CJK}]+")
_CJK_RE = re.compile(rf"[{_CJK}]")
_JOINERS = frozenset(" \t\u00a0\u3000-'’.·・_")  # what may stand between the words of one name ("Mary-Jane")
_MAX_GAP = 3
_SEP = "\x1f"
_AT = ("@", "＠")


def fold(token: str) -> str:
    """A token compared case-insensitively (full-width letters as their ASCII forms)."""
    return token.casefold() if token.isascii() else unicodedata.normalize("NFKC", token).casefold()


class MemberNames:
    """Every member's display name (and earlier names still standing in old posts), found in text by token."""
    def __init__(self) -> None:
        self.anycase: dict[str, int] = {}  # folded tokens -> member
        self.exact: dict[str, int] = {}  # tokens as written -> member (short or common-word names)
        self.mention: dict[str, int] = {}  # folded tokens -> member, only right after an @
        self.starts: dict[str, tuple[int, ...]] = {}  # folded first token -> token counts of names starting so
        self.withdrawn: set[int] = set()
        self._emails: dict[str, int | None] = {}

    def add(self, user_id: int, name: str) -> None:
        """Learn a name (the first member to claim a name keeps it: current names are added before old ones)."""
        tokens = TOKEN_RE.findall(name or "")
        if not tokens:
            return
        folded = _SEP.join(fold(t) for t in tokens)
        if folded in self.mention:
            return
        self.mention[folded] = user_id
        if len(tokens) == 1 and (_CJK_RE.fullmatch(tokens[0]) or tokens[0].isdigit()):
            pass  # 伟 or 88: ordinary text everywhere except after an @
        elif len(tokens) == 1 and (len(tokens[0]) <= 2 or fold(tokens[0]) in stop_words()):
            self.exact.setdefault(_SEP.join(tokens), user_id)  # "Jo", "Will": as written
        else:
            self.anycase[folded] = user_id
        first = fold(tokens[0])
        self.starts[first] = tuple(sorted({*self.starts.get(first, ()), len(tokens)}, reverse=True))

    def find(self, name: str) -> int | None:
        """The member a whole string names (a quote header's or an announcement's name), if any."""
        tokens = TOKEN_RE.findall(name or "")
        return self.mention.get(_SEP.join(fold(t) for t in tokens)) if tokens else None

    def replace(self, text: str, label: Callable[[int], str]) -> str:
        """The text with every member email and name replaced by ``label(member id)``."""
        if "@" in text:
            text = self._replace_emails(text, label)
        folded_text = _fold_text(text)
        if folded_text is None:  # folding changed the length: fold token by token instead
            spans = list(TOKEN_RE.finditer(text))
            folded = [fold(span.group()) for span in spans]
        else:
            folded = TOKEN_RE.findall(folded_text)
            if self.starts.keys().isdisjoint(folded):
                return text  # most texts name nobody: one C-level pass decides it
            spans = list(TOKEN_RE.finditer(folded_text))
        pieces, last, index = [], 0, 0
        while index < len(spans):
            hit = self._match(text, spans, folded, index) if folded[index] in self.starts else None
            if hit is None:
                index += 1
                continue
            count, user_id = hit
            pieces += [text[last:spans[index].start()], label(user_id)]
            last, index = spans[index + count - 1].end(), index + count
        return "".join(pieces) + text[last:] if pieces else text

    def _match(self, text: str, spans: list, folded: list[str], index: int) -> tuple[int, int] | None:
        """The longest name starting at token ``index``: (token count, member), or None."""
        start = spans[index].start()
        after_at = start > 0 and text[start - 1] in _AT
        for count in self.starts[folded[index]]:
            end = index + count
            if end > len(spans) or not _contiguous(text, spans, index, end):
                continue
            key = _SEP.join(folded[index:end])
            user_id = self.anycase.get(key)
            if user_id is None:
                user_id = self.mention.get(key) if after_at else self.exact.get(
                    _SEP.join(text[span.start():span.end()] for span in spans[index:end]))
            if user_id is not None and not _part_of_address(text, spans[end - 1].end()):
                return count, user_id
        return None

    def _replace_emails(self, text: str, label: Callable[[int], str]) -> str:
        found = {match.group().lower() for match in EMAIL_RE.finditer(text)}
        if unknown := [email for email in found if email not in self._emails]:
            owners = dict(db.session.execute(sa.select(User.email, User.id).where(User.email.in_(unknown))).all())
            self._emails.update({email: owners.get(email) for email in unknown})
        return EMAIL_RE.sub(lambda m: m.group() if self._emails.get(m.group().lower()) is None
                            else label(self._emails[m.group().lower()]), text)


def _fold_text(text: str) -> str | None:
    """The whole text folded like ``fold`` folds a token, or None when that changes its length (then positions in
    the folded text would not be positions in the text)."""
    folded = text.casefold() if text.isascii() else unicodedata.normalize("NFKC", text).casefold()
    return folded if len(folded) == len(text) else None


def _contiguous(text: str, spans: list, start: int, end: int) -> bool:
    """Whether tokens start..end-1 stand together like the words of one name (a space or a hyphen between)."""
    for left, right in zip(spans[start:end - 1], spans[start + 1:end]):
        gap = text[left.end():right.start()]
        if len(gap) > _MAX_GAP or not _JOINERS.issuperset(gap):
            return False
    return True


def _part_of_address(text: str, end: int) -> bool:
    """A name followed by @ and more is the start of an email or a handle ("emily@…"), not the name."""
    return text[end:end + 1] in _AT and bool(TOKEN_RE.match(text, end + 1))


def load_member_names() -> MemberNames:
    """Every member's current display name, then their former names (renamed or erased, and any they posted
    under), and who withdrew."""
    names = MemberNames()
    for user_id, name, withdrawn_at in db.session.execute(
            sa.select(User.id, User.display_name, User.consent_withdrawn_at).order_by(User.id)):
        names.add(user_id, name)
        if withdrawn_at is not None:
            names.withdrawn.add(user_id)
    for model, author in ((Post, Post.author_id), (TaskSubmission, TaskSubmission.user_id),
                          (CompetitionEntry, CompetitionEntry.user_id)):
        older = (sa.select(author, model.author_name).distinct().join(User, User.id == author)
                 .where(model.author_name != User.display_name))
        for user_id, name in db.session.execute(older):
            names.add(user_id, name)
    for user_id, name in db.session.execute(sa.select(FormerName.user_id, FormerName.name)):  # renamed or erased
        names.add(user_id, name)
    return names

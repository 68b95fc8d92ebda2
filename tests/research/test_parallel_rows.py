"""A large export's rows built by worker processes (research/parallel_rows.py) are the rows one process builds:
the same values, cell for cell, in the same order, on a varied corpus (the scrubber's identifier corpus, typical
posts, members named in text, quotes of a withdrawn member, a host, photos, tasks, ballots and entries)."""
from __future__ import annotations

import csv
import io
import multiprocessing
from pathlib import Path

import pytest
import sqlalchemy as sa

from app.db import utcnow
from app.extensions import db
from app.forum import services as forum
from app.forum.models import Post
from app.members.models import User
from app.research import exports, parallel_rows, withdrawn_words
from app.research.parallel_rows import export_workers, iter_transcript_parallel
from app.research.pseudonyms import PseudonymBook, PseudonymCollision
from app.research.transcript import iter_transcript, segment_keys
from app.research.transcript_filter import TranscriptFilter
from tests.conftest import shared_rows
from tests.factories import make_category, make_user
from tests.research.conftest import build_activity_dataset
from tests.text.typical_posts import typical_posts

CORPUS = Path(__file__).resolve().parents[1] / "text" / "data" / "identifiers"


def _corpus_texts() -> list[str]:
    texts = []
    for path in sorted(CORPUS.glob("*.tsv")):
        with path.open(encoding="utf-8", newline="") as handle:
            texts += [row["text"] for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)]
    return texts


@pytest.fixture(scope="module")
def varied_rows(app, tmp_path_factory):
    """``activity_dataset`` and several threads of corpus lines and typical posts by members whose names others
    mention; replies quoting a member who then withdraws consent. Built once for the module (each test compares the
    rows the workers build with the rows this process builds, and only the large export adds its own run rows):
    returns the researcher's id."""
    with pytest.MonkeyPatch.context() as patch, shared_rows(app, read_only=False):
        patch.setitem(app.config, "UPLOAD_DIR", str(tmp_path_factory.mktemp("uploads")))
        patch.setitem(app.config, "PUBLIC_URL", "https://tea.example")
        with app.app_context():
            moderator = make_user(role="moderator", host_persona="Warm host")
            researcher = make_user(role="researcher")
            build_activity_dataset(db, moderator=moderator, researcher=researcher, admin=make_user(role="admin"))
            _varied_threads()
            researcher_id = researcher.id
            db.session.remove()
        yield researcher_id


@pytest.fixture
def varied(varied_rows, db):
    return varied_rows


def _varied_threads() -> None:
    from app.core.settings import set_setting

    set_setting("spam.hold_threshold", 100)
    people = [make_user(display_name=name) for name in ("Emily Chen", "张伟", "Rose", "Wendy_88", "李晓明")]
    texts = _corpus_texts()[::3] + typical_posts(40, seed=11)
    texts += ["Thanks Emily, 张伟 说：“我也喜欢”", "@Rose agreed, see /u/3 and https://tea.example/t/1",
              "Emily Chen wrote: the serum is great", "xiaoming 推荐的那个 Wendy_88 也说好", "=1+2 not a formula"]
    category = make_category(name="Skincare")
    for index in range(0, len(texts), 9):
        author = people[index % len(people)]
        thread = forum.start_thread(category, author=author, title=f"{texts[index][:40]} 话题 {index}",
                                    body=texts[index])
        opening = db.session.scalar(sa.select(Post).where(Post.thread_id == thread.id, Post.number == 1))
        for offset, text in enumerate(texts[index + 1:index + 9], start=1):
            quoted = opening if offset % 4 == 0 else None
            forum.reply(thread, author=people[(index + offset) % len(people)], body=text, quoted=quoted)
    people[2].consent_withdrawn_at = utcnow()  # Rose: her words leave every quote
    db.session.commit()


def _sequential(spec: TranscriptFilter, keys: list[str]) -> list[dict]:
    return list(iter_transcript(spec, keys=keys))


@pytest.mark.parametrize(("spec", "workers"), [
    (TranscriptFilter(include_tasks=True, include_polls=True, include_competitions=True), 2),
    (TranscriptFilter(identity="display_name", quotes="drop", scrub=False), 3),
], ids=["pseudonyms-all-kinds", "display-names-no-quotes-unscrubbed"])
def test_workers_build_the_rows_one_process_builds(varied, spec, workers):
    keys = segment_keys()
    expected = _sequential(spec, keys)
    assert len(expected) > 150
    got = list(iter_transcript_parallel(spec, keys, workers))
    assert len(got) == len(expected)
    for row_got, row_expected in zip(got, expected, strict=True):
        assert row_got == row_expected


def test_two_workers_read_the_community_text_once(varied):
    """The first worker reads the withdrawn members' words from the community's text and hands them to the other
    with the names book; this process reads nothing (each worker reports its reads when it is done)."""
    spec = TranscriptFilter(include_tasks=True, include_competitions=True)
    keys = segment_keys()
    before = withdrawn_words.reads
    got = list(iter_transcript_parallel(spec, keys, 2))
    assert withdrawn_words.reads - before == 1
    assert got == _sequential(spec, keys)


def test_format_none_uses_one_reference_key_across_workers(varied):
    """Format none's references are new for each export, so the two files differ in them; but they relabel the
    same records the same way: one reference per record in the whole file, whichever worker built the row."""
    spec = TranscriptFilter(identity="none", include_polls=True)
    keys = segment_keys()
    expected, got = _sequential(spec, keys), list(iter_transcript_parallel(spec, keys, 2))
    references = ("thread_id", "post_id", "item_id", "activity_id")
    assert [{k: v for k, v in row.items() if k not in references} for row in got] == \
        [{k: v for k, v in row.items() if k not in references} for row in expected]
    for column in references:
        pairs = {(mine[column], theirs[column]) for mine, theirs in zip(got, expected, strict=True)}
        assert len({mine for mine, _ in pairs}) == len({theirs for _, theirs in pairs}) == len(pairs)


def test_a_large_export_uses_the_workers_and_writes_the_same_file(app, db, varied, monkeypatch):
    researcher = db.session.get(User, varied)
    monkeypatch.setitem(app.config, "EXPORT_PARALLEL_FROM", 100)
    monkeypatch.setitem(app.config, "EXPORT_WORKERS", 2)
    spec = TranscriptFilter(include_tasks=True)
    assert export_workers(exports.count_rows(spec)) == 2
    parallel = exports.execute_export(exports.queue_export(spec, "csv", by=researcher))
    monkeypatch.setitem(app.config, "EXPORT_WORKERS", 0)
    assert export_workers(exports.count_rows(spec)) == 0
    single = exports.execute_export(exports.queue_export(spec, "csv", by=researcher))
    assert parallel.status == single.status == "done" and parallel.row_count == single.row_count > 150
    first, second = (exports.file_path(run).read_text(encoding="utf-8-sig") for run in (parallel, single))
    assert list(csv.reader(io.StringIO(first))) == list(csv.reader(io.StringIO(second)))


def _pipe(*messages):
    receive, send = multiprocessing.Pipe(duplex=False)
    for message in messages:
        send.send(message)
    send.close()
    return receive


def test_a_pseudonym_two_workers_hand_out_stops_the_export():
    """Each worker checks its own pseudonyms; the export checks them across workers."""
    book = PseudonymBook()
    first = _pipe(("rows", [(1, "P-AAAAAAAAAAAAA")], [(0, 1)], [{"text": "a"}]), ("done", 0))
    assert list(parallel_rows._received(first, book)) == [((0, 1), {"text": "a"})]
    second = _pipe(("rows", [(2, "P-AAAAAAAAAAAAA")], [(0, 2)], [{"text": "b"}]), ("done", 0))
    with pytest.raises(PseudonymCollision):
        list(parallel_rows._received(second, book))


def test_a_worker_that_fails_or_dies_fails_the_export():
    with pytest.raises(PseudonymCollision, match="share"):
        list(parallel_rows._received(_pipe(("error", True, "Two members share a pseudonym")), PseudonymBook()))
    with pytest.raises(RuntimeError, match="OperationalError: gone"):
        list(parallel_rows._received(_pipe(("error", False, "OperationalError: gone")), PseudonymBook()))
    with pytest.raises(RuntimeError, match="stopped before it finished"):
        list(parallel_rows._received(_pipe(("rows", [], [], [])), PseudonymBook()))


def test_where_no_worker_can_start_this_process_builds_the_rows(varied, monkeypatch):
    """A daemon process may have no children (multiprocessing refuses): the export still gets every row."""
    class NoChildren:
        Pipe = staticmethod(multiprocessing.Pipe)

        class Process:
            def __init__(self, **_kwargs):
                pass

            def start(self):
                raise AssertionError("daemonic processes are not allowed to have children")

    monkeypatch.setattr(parallel_rows.multiprocessing, "get_context", lambda _method: NoChildren)
    spec = TranscriptFilter(include_polls=True)
    keys = segment_keys()
    assert list(iter_transcript_parallel(spec, keys, 2)) == _sequential(spec, keys)

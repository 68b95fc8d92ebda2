"""Transcript rows of a large export built by worker processes while this process writes the file.

Building a row (identity, scrubbing, members' names, references) costs several times what writing it does, and
one Python process uses one core. For an export of ``PARALLEL_FROM`` rows or more, ``EXPORT_WORKERS`` processes
(default: two, on a machine with two cores or more; 0 or 1 turns this off) each build the rows of their share of
the threads (``thread_id % workers``; every other kind of row goes to the first), in the same batches and with the
same rules as ``transcript.iter_transcript``, and send them back a batch at a time; this process merges them into
thread order, numbers them and hands them to the writer. A worker is a fresh interpreter (``spawn``: nothing of this
process's connections, locks or threads is shared) built by the app's own factory with the same overrides and
environment and the configuration as it stands (what can be pickled), so the same configuration, in the same language, reading the database through its own connection.
The members' names book (``member_names``), which takes many seconds to build for thousands of members, and the
table of withdrawn members' words (``withdrawn_words``), which reads every text of the community when anyone has
withdrawn, are built once, by the first worker, which sends them pickled to this process, which hands them to the
others (this process loads none of the word lists the book is built with, nor reads the texts, so its memory stays
the writer's). Each worker says how many times it read the community's text (``withdrawn_words.reads``).

The file is the same as one process would write: the same rows in the same order with the same values. Pseudonyms
are checked across workers (each reports the ones it handed out), so two members who would share one still stop
the export; in format none the record references use one key of this export in every worker. Memory stays flat:
a worker waits until its last batch has been taken (a pipe holds little), so at most a batch or two per worker is
in flight.
"""
from __future__ import annotations

import heapq
import multiprocessing
import os
import pickle
import secrets
from collections.abc import Iterator
from operator import itemgetter

from flask import current_app
from flask_babel import force_locale, get_locale

from app.extensions import db
from app.forum.models import Post
from app.research import withdrawn_words
from app.research.member_names import MemberNames, load_member_names
from app.research.pseudonyms import PseudonymBook, PseudonymCollision
from app.research.transcript import iter_transcript, post_select, transcript_sources
from app.research.transcript_filter import TranscriptFilter
from app.research.transcript_rows import RowContext
from app.research.withdrawn_words import WithdrawnWords, shared_withdrawn_words

PARALLEL_FROM = 20_000  # rows: below this, starting the workers costs more than they save
_BATCH = 2000


def export_workers(total: int | None) -> int:
    """How many worker processes build the rows of an export of ``total`` rows (0: this process builds them)."""
    if "teahouse.factory" not in current_app.extensions:
        return 0
    configured = current_app.config.get("EXPORT_WORKERS")
    workers = int(configured) if configured is not None else min(2, os.cpu_count() or 1)
    threshold = current_app.config.get("EXPORT_PARALLEL_FROM", PARALLEL_FROM)
    return workers if workers > 1 and total is not None and total >= threshold else 0


class _ReportingBook(PseudonymBook):
    """A worker's pseudonyms, remembering the ones handed out since they were last reported."""

    def __init__(self) -> None:
        super().__init__()
        self.new: list[tuple[int | None, str]] = []

    def __call__(self, user_id: int | None) -> str:
        known = user_id in self.by_user
        found = super().__call__(user_id)
        if not known:
            self.new.append((user_id, found))
        return found

    def taken(self) -> list[tuple[int | None, str]]:
        """The pseudonyms handed out since the last call."""
        new, self.new = self.new, []
        return new


def shard_batches(spec: TranscriptFilter, keys: list[str], shard: int, shards: int, reference_key: bytes | None,
                  batch: int = _BATCH, names: MemberNames | None = None,
                  words: WithdrawnWords | None = None) -> Iterator[tuple[list, list[dict], list]]:
    """One worker's rows, a batch at a time, each with its place in the export's order: (source, thread id) for a
    post (posts come by thread), (source, 0) for the other kinds, which only shard 0 builds; and the pseudonyms
    handed out for the batch."""
    ctx = RowContext(spec, keys, reference_key=reference_key, names=names, words=words)
    book = ctx.identity.book = _ReportingBook()
    for position, (select, build) in enumerate(transcript_sources(spec)):
        posts = select is post_select
        if not posts and shard:
            continue
        query = select(spec).where(Post.thread_id % shards == shard) if posts else select(spec)
        result = db.session.execute(query.execution_options(yield_per=batch))
        for chunk in result.partitions():
            rows = list(build(chunk, ctx))
            order = [(position, row.thread_id) for row in chunk] if posts else [(position, 0)] * len(rows)
            if len(order) != len(rows):
                raise RuntimeError("a post gave other than one row")
            yield order, rows, book.taken()


def _worker(factory, overrides: dict, locale: str, spec: TranscriptFilter, keys: list[str], shard: int, shards: int,
            reference_key: bytes | None, pipe, names_pipe) -> None:
    """A worker process: builds the names book and the withdrawn words (the first) or reads them, builds its
    shard's rows and sends ("rows", new pseudonyms, order, rows) messages, then ("done", times it read the
    community's text), or ("error", is a pseudonym collision, message)."""
    app = factory(overrides)
    try:
        with app.app_context(), force_locale(locale):
            names, words = _shared_books(shard, names_pipe)
            for order, rows, pseudonyms in shard_batches(spec, keys, shard, shards, reference_key, names=names,
                                                         words=words):
                pipe.send(("rows", pseudonyms, order, rows))
            pipe.send(("done", withdrawn_words.reads))
    except PseudonymCollision as error:
        pipe.send(("error", True, error.message))
    except (BrokenPipeError, EOFError):
        pass  # the export stopped reading (or never sent the names): nothing to tell
    except Exception as error:  # reported to the export, which records it on the run
        app.logger.exception("export worker %s failed", shard)
        pipe.send(("error", False, f"{type(error).__name__}: {error}"[:2000]))
    finally:
        pipe.close()


def _settled(config) -> dict:
    """The configuration as it stands now (a test may have changed it since the app was built), less what cannot
    cross to another process (the worker's factory works that out again)."""
    settled = {}
    for key, value in config.items():
        try:
            pickle.dumps(value)
        except (pickle.PicklingError, TypeError, AttributeError):  # rebuilt by the worker's factory
            continue
        settled[key] = value
    return settled


def iter_transcript_parallel(spec: TranscriptFilter, keys: list[str], workers: int) -> Iterator[dict]:
    """The rows ``transcript.iter_transcript`` yields, built by ``workers`` processes (see the module)."""
    context = multiprocessing.get_context("spawn")
    factory, overrides = current_app.extensions["teahouse.factory"]
    overrides = {**overrides, **_settled(current_app.config)}
    locale = str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])
    reference_key = secrets.token_bytes(32) if spec.identity == "none" else None
    processes, pipes, names_pipes = [], [], []
    try:
        try:
            for shard in range(workers):
                receive, send = context.Pipe(duplex=False)
                names_receive, names_send = context.Pipe(duplex=False)  # from the first worker, to the others
                ours, theirs = (names_receive, names_send) if shard == 0 else (names_send, names_receive)
                pipes.append(receive)
                names_pipes.append(ours)
                process = context.Process(target=_worker, daemon=True, name=f"export-rows-{shard}", args=(
                    factory, overrides, locale, spec, keys, shard, workers, reference_key, send, theirs))
                process.start()
                send.close()
                theirs.close()
                processes.append(process)
        except (OSError, AssertionError, pickle.PicklingError, TypeError, AttributeError):
            # No worker can be started here (a daemon process may have no children; a setting that cannot be
            # pickled): this process builds the rows itself.
            current_app.logger.warning("export workers could not start; building the rows in one process",
                                       exc_info=True)
            _stop(processes, pipes)
            processes, pipes = [], []
            yield from iter_transcript(spec, keys=keys)
            return
        _pass_names(names_pipes)
        book = PseudonymBook()
        streams = [_received(pipe, book) for pipe in pipes]
        for row_id, (_place, row) in enumerate(heapq.merge(*streams, key=itemgetter(0)), start=1):
            row["row_id"] = row_id
            yield row
    finally:
        _stop(processes, pipes + names_pipes)


def _shared_books(shard: int, pipe) -> tuple[MemberNames, WithdrawnWords]:
    """The names book and the withdrawn members' words: built by the first worker, which sends them on (pickled),
    read by the others."""
    if shard == 0:
        names = load_member_names()
        words = shared_withdrawn_words(names.withdrawn)
        pipe.send_bytes(pickle.dumps((names, words), protocol=pickle.HIGHEST_PROTOCOL))
    else:
        names, words = pickle.loads(pipe.recv_bytes())
    pipe.close()
    return names, words


def _pass_names(pipes: list) -> None:
    """The first worker's names book and withdrawn words, handed to the others (each would spend many seconds
    building its own)."""
    try:
        names = pipes[0].recv_bytes()
    except EOFError:
        names = None  # the first worker failed: it says so on its rows' pipe
    for pipe in pipes:
        if names is not None and pipe is not pipes[0]:
            try:
                pipe.send_bytes(names)
            except OSError:
                pass  # a worker that died says so on its rows' pipe
        pipe.close()


def _stop(processes: list, pipes: list) -> None:
    """Close the pipes and end the workers (finished ones are only waited for)."""
    for pipe in pipes:
        pipe.close()
    for process in processes:
        if process.is_alive():
            process.terminate()
        process.join()


def _received(pipe, book: PseudonymBook) -> Iterator[tuple[tuple[int, int], dict]]:
    """One worker's rows with their places, its pseudonyms checked against every other worker's."""
    while True:
        try:
            message = pipe.recv()
        except EOFError:
            raise RuntimeError("an export worker stopped before it finished") from None
        if message[0] == "done":
            withdrawn_words.add_reads(message[1])
            return
        if message[0] == "error":
            if message[1]:
                raise PseudonymCollision(message[2])
            raise RuntimeError(message[2])
        _kind, pseudonyms, order, rows = message
        for user_id, pseudonym in pseudonyms:
            book.claim(user_id, pseudonym)
        yield from zip(order, rows, strict=True)

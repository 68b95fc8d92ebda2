"""What withdrawn members cost the research pages and a parallel export: `python -m tests.perf.withdrawn_bench
--posts 20000 --workdir DIR` (not part of the test run).

Seeds a SQLite community with `flask demo seed` (kept in --workdir), withdraws its three most active members and
codes 30 posts of others with one code. Then, each in a fresh process: (a) two requests of that code's excerpt page
(``research.code_excerpts``, through the app's test client as a researcher), CPU seconds of each; (b) a CSV export
built by two worker processes (``research.parallel_rows``), CPU seconds of this process and of the workers, and the
file's SHA-256 (the same file before and after a change to how it is built). SQLite: all the database's work is
in the measured processes. Prints JSON lines; figures go to instance/withdrawn_bench.json.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import tempfile
import time
from pathlib import Path

from tests.perf.bench import environment
from tests.perf.export_bench import seed
from tests.perf.measure import run_child, save_results

WITHDRAWN, CODED = 3, 30


def prepare() -> None:
    """Withdraw the three most active members and code others' posts (once per database)."""
    import sqlalchemy as sa

    from app import create_app
    from app.auth.services import create_user
    from app.extensions import db
    from app.forum.models import Post
    from app.members.models import User
    from app.research import coding
    from app.rights.consent import withdraw_consent

    app = create_app()
    with app.app_context():
        active = db.session.scalars(sa.select(Post.author_id).where(Post.author_id.is_not(None))
                                    .group_by(Post.author_id).order_by(sa.func.count().desc()).limit(WITHDRAWN)).all()
        for user_id in active:
            withdraw_consent(db.session.get(User, user_id))
        researcher = create_user("bench-researcher@example.test", "Bench researcher", "bench-password-1",
                                 role="researcher")
        code = coding.save_code(None, by=researcher, name="Bench", colour="#8a4b08", description="", parent_id=None)
        posts = db.session.scalars(sa.select(Post).where(Post.author_id.not_in(active)).order_by(Post.id)
                                   .limit(CODED * 50)).all()[::50]
        for post in posts:
            coding.apply_code(post, code, by=researcher)
        db.session.commit()


def _reads() -> int | None:
    from app.research import withdrawn_words

    return getattr(withdrawn_words, "reads", None)  # None: the code measured does not count them


def page() -> dict:
    """Two requests of the code-excerpt page in this fresh process."""
    import sqlalchemy as sa

    from app import create_app
    from app.extensions import db
    from app.members.models import User
    from app.research.models import Code

    app = create_app()
    with app.app_context():
        researcher = db.session.scalar(sa.select(User).where(User.email == "bench-researcher@example.test"))
        user_id, code_id = researcher.get_id(), db.session.scalar(sa.select(Code.id).where(Code.name == "Bench"))
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"], session["_fresh"] = user_id, True
    figures = {}
    for request in (1, 2):
        started, cpu = time.perf_counter(), time.process_time()
        response = client.get(f"/research/codes/{code_id}")
        if response.status_code != 200:
            raise SystemExit(f"the page answered {response.status_code}")
        figures[f"request{request}_cpu_seconds"] = round(time.process_time() - cpu, 2)
        figures[f"request{request}_seconds"] = round(time.perf_counter() - started, 2)
    return {"measure": "code excerpt page", **figures, "reads": _reads(), "excerpts_sha256": _excerpts_digest(app)}


def _excerpts_digest(app) -> str:
    """The SHA-256 of what the page shows of each excerpt (the page itself holds a new form token each time)."""
    import sqlalchemy as sa

    from app.extensions import db
    from app.research import code_tables, queries
    from app.research.models import Code
    from app.segments.services import attributes

    with app.app_context():
        excerpts = queries.excerpts_of(db.session.scalar(sa.select(Code).where(Code.name == "Bench")))
        contexts = code_tables.excerpt_contexts(excerpts, attributes())
        shown = [(key, c.pseudonym, sorted(c.segments.items()), c.text, c.thread, c.memo)
                 for key, c in sorted(contexts.items())]
    return hashlib.sha256(repr(shown).encode()).hexdigest()


def export() -> dict:
    """A CSV export built by two workers, in this fresh process."""
    from app import create_app
    from app.research.exports import execute_export, file_path, queue_export
    from app.research.transcript_filter import TranscriptFilter

    app = create_app()
    with app.app_context():
        run = queue_export(TranscriptFilter(), "csv", by=None)
        started, cpu = time.perf_counter(), time.process_time()
        run = execute_export(run)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        workers = resource.getrusage(resource.RUSAGE_CHILDREN)
        if run.status != "done":
            raise SystemExit(run.error)
        path = file_path(run)
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        path.unlink()
    return {"measure": "parallel export", "rows": run.row_count, "seconds": round(seconds, 1),
            "cpu_seconds": round(cpu, 1), "workers_cpu_seconds": round(workers.ru_utime + workers.ru_stime, 1),
            "reads": _reads(), "file_sha256": digest}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--posts", type=int, default=20_000)
    parser.add_argument("--workdir", type=Path, help="keep the seeded database here and reuse it next time")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--child")
    args = parser.parse_args()
    if args.child:
        print(json.dumps({"prepare": prepare, "page": page, "export": export}[args.child]() or {}))
        return
    with tempfile.TemporaryDirectory() as scratch:
        workdir = args.workdir or Path(scratch)
        workdir.mkdir(parents=True, exist_ok=True)
        env = environment(f"sqlite:///{workdir / f'withdrawn{args.posts}'}.db")
        env.update(TEAHOUSE_EXPORT_WORKERS="2", TEAHOUSE_EXPORT_PARALLEL_FROM="1000")
        if seed(env, args.posts) is not None:
            run_child("tests.perf.withdrawn_bench", "prepare", env=env)
        results = []
        for _round in range(args.rounds):
            for measure in ("page", "export"):
                result = run_child("tests.perf.withdrawn_bench", measure, env=env, timeout=3600)
                result["load_average"] = round(os.getloadavg()[0], 1)
                print(json.dumps(result), flush=True)
                results.append(result)
    save_results("withdrawn_bench", results)


if __name__ == "__main__":
    main()

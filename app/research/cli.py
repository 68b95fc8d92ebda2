"""`flask export transcript`: the same export code as the researchers' page, with progress on the terminal."""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

import click
from flask.cli import AppGroup

from app.core.exceptions import DomainError
from app.extensions import db
from app.research.exports import execute_export, file_path, queue_export
from app.research.transcript_filter import IDENTITIES, TranscriptFilter, parse_segment_options, resolve_codes
from app.research.writers import WRITERS

export_cli = AppGroup("export", help="Export pseudonymised transcripts.")


@export_cli.command("transcript")
@click.option("--format", "fmt", type=click.Choice(sorted(WRITERS)), required=True)
@click.option("--out", "out", type=click.Path(dir_okay=False, writable=True), required=True)
@click.option("--category", "categories", type=int, multiple=True, help="Category id (repeatable).")
@click.option("--thread", "threads", type=int, multiple=True, help="Thread id (repeatable).")
@click.option("--from", "date_from", type=click.DateTime(["%Y-%m-%d"]), default=None)
@click.option("--to", "date_to", type=click.DateTime(["%Y-%m-%d"]), default=None)
@click.option("--identity", type=click.Choice(IDENTITIES), default="pseudonym", show_default=True)
@click.option("--drop-quotes", is_flag=True, help="Drop quoted text (kept and attributed by pseudonym otherwise).")
@click.option("--no-scrub", is_flag=True, help="Keep contact details in the text.")
@click.option("--no-hosts", is_flag=True, help="Leave out hosts' posts.")
@click.option("--no-posts", is_flag=True, help="Leave out forum posts.")
@click.option("--tasks", is_flag=True, help="Include task submissions.")
@click.option("--polls", is_flag=True, help="Include poll ballots.")
@click.option("--competitions", is_flag=True, help="Include competition entries.")
@click.option("--segment", "segments", multiple=True, metavar="KEY=VALUE",
              help="Only members with this segment value (repeatable; values of one key are alternatives).")
@click.option("--code", "codes", multiple=True, metavar="NAME|ID", help="Only posts coded with this code (repeatable).")
@click.option("--include-moderated", is_flag=True, help="Include hidden, pending and spam content (audited).")
def export_transcript(fmt, out, categories, threads, date_from, date_to, identity, drop_quotes, no_scrub, no_hosts,
                      no_posts, tasks, polls, competitions, segments, codes, include_moderated) -> None:
    """Write a transcript file, printing progress."""
    try:
        spec = TranscriptFilter(
            category_ids=list(categories), thread_ids=list(threads), identity=identity,
            quotes="drop" if drop_quotes else "keep", scrub=not no_scrub,
            date_from=date_from.date().isoformat() if date_from else None,
            date_to=date_to.date().isoformat() if date_to else None, include_hosts=not no_hosts,
            include_posts=not no_posts, include_tasks=tasks, include_polls=polls, include_competitions=competitions,
            include_moderated=include_moderated, segments=parse_segment_options(segments),
            code_ids=resolve_codes(codes))
        run = queue_export(spec, fmt, by=None)
    except DomainError as error:
        click.echo(f"Error: {error.message}", err=True)
        sys.exit(1)
    # Not committed as "queued": execute_export claims it in the same transaction, so the run_exports job of a
    # running community never picks up the CLI's run.

    def progress(done: int, total: int) -> None:
        percent = int(done * 100 / total) if total else 100
        click.echo(f"\r{done}/{total} rows ({percent}%)", nl=False, err=True)

    run = execute_export(run, on_progress=progress)
    click.echo("", err=True)
    if run.status != "done":
        click.echo(f"Error: export failed:\n{run.error}", err=True)
        sys.exit(1)
    shutil.move(str(file_path(run)), Path(out))
    run.file_name, run.status = None, "delivered"
    db.session.commit()
    click.echo(f"Wrote {run.row_count} rows to {out}")

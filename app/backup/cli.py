"""`flask backup create PATH` and `flask backup restore PATH`: clear messages, exit 1 on any refusal."""
from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import AppGroup

from app.backup.errors import BackupError
from app.backup.services import RestoreSummary, create_backup, restore_backup

backup_cli = AppGroup("backup", help="Back up and restore the database, uploads and secret key.")
SHOWN_TABLES = ("user", "thread", "post", "upload")


def _fail(message: str) -> None:
    click.echo(f"Error: {message}", err=True)
    sys.exit(1)


def _counts_line(counts: dict[str, int]) -> str:
    shown = [f"{counts[name]} {name}" for name in SHOWN_TABLES if name in counts]
    return f"{sum(counts.values())} rows in {len(counts)} tables ({', '.join(shown)})"


@backup_cli.command("create")
@click.argument("path", type=click.Path(path_type=Path))
def backup_create(path: Path) -> None:
    """Write one archive (0600) with the database, uploads and secret key; safe while the app runs."""
    try:
        target, manifest = create_backup(path)
    except BackupError as error:
        _fail(error.message)
    click.echo(f"Wrote {target}: {manifest['database']} database at revision {manifest['alembic_revision']}, "
               f"{_counts_line(manifest['row_counts'])}, {manifest['uploads']} uploaded files"
               f"{', the secret key' if manifest['has_secret_key'] else ''}.")
    if not manifest["has_secret_key"]:
        click.echo("Warning: no secret key is configured, so none is in the backup.", err=True)
    click.echo("The file holds the secret key and every member's data: keep it somewhere safe.")


def _report(summary: RestoreSummary) -> None:
    manifest = summary.manifest
    click.echo(f"Restored the {manifest['database']} database from {manifest.get('created_at', '?')} "
               f"(revision {manifest.get('alembic_revision')}): {_counts_line(manifest['row_counts'])}.")
    click.echo(f"Restored {summary.uploads} uploaded files.")
    if summary.key_file is not None:
        click.echo(f"Wrote the secret key to {summary.key_file}.")
    if summary.key_differs_from_env:
        click.echo("Warning: TEAHOUSE_SECRET_KEY in the environment differs from the restored key and wins over "
                   "instance/secret_key: unset it (or set it to the restored key) to keep sessions, reset links "
                   "and research pseudonyms valid.", err=True)
    if summary.needs_upgrade:
        click.echo(f"The backup's schema ({manifest.get('alembic_revision')}) is not this version's "
                   f"({summary.head_revision}): run `flask --app wsgi db upgrade` now.")


@backup_cli.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, readable=True, path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite a database that already holds accounts.")
def backup_restore(path: Path, force: bool) -> None:
    """Restore a backup archive: database, uploads and secret key (stop the app first)."""
    try:
        summary = restore_backup(path, force=force)
    except BackupError as error:
        _fail(error.message)
    _report(summary)

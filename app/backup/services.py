"""Taking a backup of the running community and restoring one: database, uploads and secret key in one archive."""
from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from flask import current_app

from app.backup import archive, database
from app.backup.errors import BackupError
from app.extensions import db
from app.uploads.services import upload_dir

KEY_ENV = "TEAHOUSE_SECRET_KEY"


@dataclass
class RestoreSummary:
    """What a restore put back, for the operator."""

    manifest: dict
    uploads: int
    key_file: Path | None
    key_differs_from_env: bool
    head_revision: str | None

    @property
    def needs_upgrade(self) -> bool:
        return self.manifest.get("alembic_revision") != self.head_revision


def _database_url() -> str:
    return current_app.config["SQLALCHEMY_DATABASE_URI"]


@contextlib.contextmanager
def _database_errors() -> Iterator[None]:
    """A database that cannot be reached or read becomes a clear message instead of a traceback."""
    try:
        yield
    except sa.exc.DBAPIError as error:
        raise BackupError(f"the database could not be used: {str(error.orig).strip()}") from None


def archive_path(path: Path) -> Path:
    """The file to write: ``path`` itself, or a dated name inside it when it is a folder."""
    if path.is_dir():
        return path / f"teahouse-backup-{datetime.now(UTC):%Y%m%d-%H%M%S}.tar.gz"
    if path.exists():
        raise BackupError(f"{path} already exists; choose another name (or a folder)")
    if not path.parent.is_dir():
        raise BackupError(f"the folder {path.parent} does not exist")
    return path


def _dump(kind: str, target: Path) -> tuple[str | None, dict[str, int]]:
    if kind == database.SQLITE:
        return database.dump_sqlite(_database_url(), target)
    return database.dump_postgresql(db.engine, _database_url(), target)


def _upload_members() -> dict[str, Path]:
    return {f"{archive.UPLOADS}{item.name}": item for item in sorted(upload_dir().iterdir())
            if item.is_file() and not item.name.startswith(".")}


def create_backup(path: Path) -> tuple[Path, dict]:
    """Write one archive with a consistent copy of the database, every upload and the secret key."""
    kind = database.database_kind(_database_url())
    target = archive_path(path)
    secret = current_app.config.get("SECRET_KEY")
    # Staged next to the archive, not in /tmp: a large dump needs the space the archive will need anyway.
    with tempfile.TemporaryDirectory(prefix=".teahouse-backup-", dir=target.parent) as staging, _database_errors():
        dump = Path(staging) / database.DUMP_NAMES[kind]
        revision, counts = _dump(kind, dump)
        uploads = _upload_members()
        members = {dump.name: dump, **uploads}
        if secret:
            key_path = Path(staging) / archive.SECRET_KEY
            key_path.write_text(secret)
            members[archive.SECRET_KEY] = key_path
        manifest = {"format": archive.FORMAT, "format_version": archive.FORMAT_VERSION,
                    "created_at": datetime.now(UTC).isoformat(timespec="seconds"), "database": kind,
                    "alembic_revision": revision, "row_counts": counts,
                    "uploads": len(uploads), "has_secret_key": bool(secret)}
        archive.write_archive(target, manifest, members)
    return target, manifest


def check_restorable(manifest: dict, *, force: bool) -> None:
    """Refuse an archive of another database kind, or a database that already holds accounts without --force."""
    kind = database.database_kind(_database_url())
    if manifest.get("database") != kind:
        raise BackupError(f"this backup holds a {manifest.get('database')} database but Teahouse is configured for "
                          f"{kind}; restore it on a {manifest.get('database')} setup (TEAHOUSE_DATABASE_URL)")
    if database.DUMP_NAMES[kind] not in manifest["files"]:
        raise BackupError("this backup is damaged: its manifest lists no database file")
    if not is_known_revision(manifest.get("alembic_revision")):
        raise BackupError(f"this backup's schema ({manifest.get('alembic_revision')}) comes from a newer Teahouse than "
                          f"this one; install that version (or a later one) before restoring it")
    accounts = database.account_count(db.engine)
    if accounts and not force:
        raise BackupError(f"the configured database already holds {accounts} account(s); restoring replaces all of "
                          f"its data. Add --force to overwrite it")


def _restore_database(kind: str, dump: Path) -> dict[str, int]:
    """Replace the database with the saved one (pooled connections closed first) and count the result."""
    db.session.remove()
    db.engine.dispose()
    if kind == database.SQLITE:
        database.restore_sqlite(_database_url(), dump)
    else:
        database.restore_postgresql(_database_url(), dump)
    db.engine.dispose()
    with db.engine.connect() as conn:
        return database.row_counts(conn)


def _check_counts(expected: dict[str, int], restored: dict[str, int]) -> None:
    wrong = [f"{name} ({restored.get(name)} rows, expected {rows})" for name, rows in expected.items()
             if restored.get(name) != rows]
    if wrong:
        raise BackupError("the restored database does not match the manifest: " + ", ".join(wrong[:5]))


def _restore_uploads(staging: Path) -> int:
    saved = staging / archive.UPLOADS
    if not saved.is_dir():
        return 0
    target = upload_dir()
    files = [item for item in saved.iterdir() if item.is_file()]
    for item in files:
        partial = target / f".{item.name}.restoring"
        shutil.copyfile(item, partial)
        os.replace(partial, target / item.name)
    return len(files)


def _restore_key(staging: Path) -> tuple[Path | None, bool]:
    """Write the saved key to instance/secret_key (0600); say whether TEAHOUSE_SECRET_KEY would override it."""
    saved = staging / archive.SECRET_KEY
    if not saved.is_file():
        return None, False
    key = saved.read_text().strip()
    key_file = Path(current_app.instance_path) / "secret_key"
    key_file.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(key)
    key_file.chmod(0o600)
    in_env = os.environ.get(KEY_ENV)
    return key_file, bool(in_env) and in_env != key


def _scripts() -> ScriptDirectory:
    return ScriptDirectory(current_app.extensions["migrate"].directory)


def is_known_revision(revision: str | None) -> bool:
    """Whether this code's migrations know the revision (an empty database has none, which is fine)."""
    if revision is None:
        return True
    try:
        return _scripts().get_revision(revision) is not None
    except CommandError:
        return False


def head_revision() -> str | None:
    """The newest migration this code knows, to tell whether `flask db upgrade` is needed after a restore."""
    return _scripts().get_current_head()


def restore_backup(path: Path, *, force: bool = False) -> RestoreSummary:
    """Check the archive, then put back the database, the uploads and the secret key it holds."""
    manifest = archive.read_manifest(path)
    instance = Path(current_app.instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".teahouse-restore-", dir=instance) as staging_dir, _database_errors():
        check_restorable(manifest, force=force)  # before unpacking a large archive for nothing
        staging = Path(staging_dir)
        if archive.extract_verified(path, staging) != manifest:
            raise BackupError(f"{path} changed while it was being read")
        kind = manifest["database"]
        _check_counts(manifest["row_counts"], _restore_database(kind, staging / database.DUMP_NAMES[kind]))
        uploads = _restore_uploads(staging)
        key_file, key_differs = _restore_key(staging)
    return RestoreSummary(manifest=manifest, uploads=uploads, key_file=key_file, key_differs_from_env=key_differs,
                          head_revision=head_revision())

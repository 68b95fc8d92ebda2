"""The archive file: a gzipped tar, readable only by its owner, whose first member is a manifest with checksums."""
from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import re
import tarfile
import zlib
from pathlib import Path

from app.backup.errors import BackupError

FORMAT = "teahouse-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
SECRET_KEY = "secret_key"
UPLOADS = "uploads/"
CHUNK = 1024 * 1024
MAX_MANIFEST_BYTES = 16 * 1024 * 1024
# Upload names are ours (random, no folders): no hidden files, no "..", nothing after the name (fullmatch, not $).
_MEMBER_NAME = re.compile(
    r"database\.sqlite3|database\.pgdump|secret_key|uploads/(?!.*\.\.)[A-Za-z0-9_-][A-Za-z0-9_.-]{0,199}")
READ_ERRORS = (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile, UnicodeDecodeError, ValueError)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _tarinfo(name: str, size: int) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size, info.mode, info.mtime = size, 0o600, 0
    return info


def write_archive(target: Path, manifest: dict, members: dict[str, Path]) -> None:
    """Write manifest and files to ``target`` (created 0600, never replacing a file) through a partial file."""
    manifest = {**manifest, "files": {name: sha256_of(path) for name, path in members.items()}}
    partial = target.with_name(f".{target.name}.partial")
    descriptor = _create_private(partial)
    try:
        with os.fdopen(descriptor, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as archive:
            body = json.dumps(manifest, indent=2, ensure_ascii=False).encode()
            archive.addfile(_tarinfo(MANIFEST, len(body)), io.BytesIO(body))
            for name, path in members.items():
                with path.open("rb") as handle:
                    archive.addfile(_tarinfo(name, path.stat().st_size), handle)
        _publish(partial, target)
    except OSError as error:  # a full disk, or an upload removed while the backup ran
        raise BackupError(f"could not write {target}: {error}") from None
    finally:
        partial.unlink(missing_ok=True)


def _create_private(partial: Path) -> int:
    """Open a new file only its owner can read: it will hold the secret key."""
    try:
        return os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise BackupError(f"{partial} exists: another backup to this name is running, or an interrupted one left "
                          f"it (remove it then)") from None
    except OSError as error:
        raise BackupError(f"cannot write in {partial.parent}: {error.strerror or error}") from None


def _publish(partial: Path, target: Path) -> None:
    """Give the finished file its name, refusing to replace a file created meanwhile."""
    try:
        os.link(partial, target)
    except FileExistsError:
        raise BackupError(f"{target} already exists; choose another name") from None
    except OSError:  # a file system without hard links
        os.replace(partial, target)


def _check_manifest(manifest: object, path: Path) -> dict:
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{path} is not a Teahouse backup")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(f"{path} has backup format version {manifest.get('format_version')!r}; this Teahouse "
                          f"reads version {FORMAT_VERSION}")
    files = manifest.get("files")
    if not isinstance(files, dict) or not all(isinstance(n, str) and _MEMBER_NAME.fullmatch(n) for n in files):
        raise BackupError(f"{path} has a damaged manifest (its file list)")
    counts = manifest.get("row_counts")
    if not isinstance(counts, dict) or not all(
            isinstance(table, str) and type(n) is int and n >= 0 for table, n in counts.items()):  # True is no count
        raise BackupError(f"{path} has a damaged manifest (its row counts)")
    return manifest


def _first_manifest(archive: tarfile.TarFile, path: Path) -> dict:
    member = archive.next()
    if member is None or member.name != MANIFEST or not member.isfile() or member.size > MAX_MANIFEST_BYTES:
        raise BackupError(f"{path} is not a Teahouse backup (no manifest at its start)")
    return _check_manifest(json.loads(archive.extractfile(member).read().decode()), path)


def _open_failure(path: Path, error: Exception) -> BackupError:
    if isinstance(error, OSError) and not isinstance(error, gzip.BadGzipFile):
        return BackupError(f"cannot read {path}: {error.strerror or error}")
    return BackupError(f"{path} is damaged or not a Teahouse backup ({type(error).__name__}: {error})")


def read_manifest(path: Path) -> dict:
    """The manifest of an archive, checked to be ours and of a version we read."""
    try:
        with tarfile.open(path, mode="r|gz") as archive:
            return _first_manifest(archive, path)
    except BackupError:
        raise
    except (*READ_ERRORS, OSError) as error:
        raise _open_failure(path, error) from None


def _copy_checked(archive: tarfile.TarFile, member: tarfile.TarInfo, target: Path, expected: str, path: Path) -> None:
    digest = hashlib.sha256()
    source = archive.extractfile(member)
    with target.open("wb") as out:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            out.write(chunk)
    if digest.hexdigest() != expected:
        raise BackupError(f"{path} is damaged: {member.name} does not match its checksum")


def extract_verified(path: Path, staging: Path) -> dict:
    """Unpack every listed file into ``staging``, checking each checksum; anything unlisted or missing is refused."""
    try:
        with tarfile.open(path, mode="r|gz") as archive:
            manifest = _first_manifest(archive, path)
            expected, seen = manifest["files"], set()
            while (member := archive.next()) is not None:  # iterating would repeat the manifest
                if member.name not in expected or member.name in seen or not member.isfile():
                    raise BackupError(f"{path} is damaged: unexpected member {member.name!r}")
                target = staging / member.name
                target.parent.mkdir(parents=True, exist_ok=True)
                _copy_checked(archive, member, target, expected[member.name], path)
                seen.add(member.name)
    except BackupError:
        raise
    except (*READ_ERRORS, OSError) as error:
        raise _open_failure(path, error) from None
    missing = sorted(set(expected) - seen)
    if missing:
        raise BackupError(f"{path} is damaged: missing {', '.join(missing[:5])}")
    return manifest

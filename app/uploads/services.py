"""Accepting images safely (size and pixel limits, decode + re-encode with Pillow, random names); what rows hold."""
from __future__ import annotations

import hashlib
import io
import secrets
import warnings
from datetime import datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext
from PIL import Image, ImageOps, UnidentifiedImageError

from app.core.exceptions import DomainError
from app.core.settings import get_setting
from app.core.static_files import send_whole
from app.db import utcnow
from app.extensions import db
from app.text.markup import TextError, clean_line
from app.uploads.models import Upload

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
FORMATS = {"JPEG": ("image/jpeg", "jpg"), "PNG": ("image/png", "png"), "WEBP": ("image/webp", "webp")}
ALIASES = {"MPO": "JPEG"}  # phones save multi-picture JPEGs; the first picture is stored as a plain JPEG
THUMB_WIDTHS = (320, 1280)  # a post's inline picture (2x on phones) and the larger one a tap opens
DAILY_QUOTA = 40  # images a member may send in 24 hours, unless an admin sets "uploads.daily_quota"
QUOTA_SETTING = "uploads.daily_quota"
AVATAR = "avatar"
AVATAR_SIZE = 256
AVATAR_MAX_BYTES = 5 * 1024 * 1024
KEPT_INFO = {"icc_profile", "transparency"}  # colours and PNG transparency; every other metadata key is dropped


def upload_dir() -> Path:
    path = Path(current_app.config.get("UPLOAD_DIR") or Path(current_app.instance_path) / "uploads")
    path.mkdir(parents=True, exist_ok=True)
    return path


def _read_limited(stream, field: str) -> bytes:
    data = stream.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise DomainError(_("Each image may be at most 10 MB."), field)
    if not data:
        raise DomainError(_("The file is empty."), field)
    return data


def _decode(data: bytes, field: str) -> Image.Image:
    """Open and fully decode the image, refusing anything that is not a JPEG, PNG or WebP within limits."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if ALIASES.get(image.format, image.format) not in FORMATS:
                raise DomainError(_("Only JPEG, PNG and WebP images are accepted."), field)
            if image.width * image.height > MAX_PIXELS:
                raise DomainError(_("The image is too large (at most 40 megapixels)."), field)
            image.load()
            image = _upright(image)
    except DomainError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise DomainError(_("The image is too large (at most 40 megapixels)."), field) from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise DomainError(_("This file is not an image we can read (JPEG, PNG or WebP)."), field) from None
    return image


def _upright(image: Image.Image) -> Image.Image:
    """Apply the EXIF orientation to the pixels (the EXIF itself is dropped later), keeping the source format."""
    fmt = image.format
    turned = ImageOps.exif_transpose(image)
    if turned is not image:
        turned.format = fmt
    return turned


def _pixels(image: Image.Image, mode: str) -> Image.Image:
    """The image in ``mode`` without its metadata: Pillow would otherwise write back a JPEG comment."""
    if image.mode in ("I;16", "I;16B", "I;16L", "I"):  # 16-bit greyscale: scale down, convert() would clip to white
        image = image.point(lambda value: value / 256).convert("L")
    clean = image.convert(mode)
    clean.info = {key: value for key, value in image.info.items() if key in KEPT_INFO}
    return clean


def _reencode(image: Image.Image, fmt: str) -> bytes:
    # A fresh encode from the pixels alone: EXIF/GPS, comments and any appended bytes are gone. The colour profile
    # (wide-gamut phone photos) is kept when it describes the pixels written: an RGB source's profile, never a
    # CMYK or greyscale one attached to converted RGB.
    out = io.BytesIO()
    profile = image.info.get("icc_profile") if image.mode in ("RGB", "RGBA", "P") else None
    extra = {"icc_profile": profile} if profile else {}
    if fmt == "JPEG":
        _pixels(image, "RGB").save(out, "JPEG", quality=88, optimize=True, **extra)
    elif fmt == "PNG":
        mode = image.mode if image.mode in ("RGB", "RGBA", "L", "LA", "P") else "RGBA"
        _pixels(image, mode).save(out, "PNG", optimize=True)
    else:
        _pixels(image, "RGBA" if "A" in image.getbands() else "RGB").save(out, "WEBP", quality=88, **extra)
    return out.getvalue()


def stored_path(upload: Upload, width: int | None = None) -> Path:
    """The file holding this upload (``width``: its thumbnail of that width, when the picture is wider)."""
    if width and upload.content_hash and width in THUMB_WIDTHS and upload.width > width:
        return upload_dir() / f"{upload.content_hash}-w{width}.{upload.extension}"
    return upload_dir() / upload.file_name


def thumb_size(upload: Upload, width: int) -> tuple[int, int]:
    """The width and height the thumbnail of ``width`` has (the picture itself when it is no wider)."""
    if upload.width <= width or not upload.content_hash:
        return upload.width, upload.height
    return width, max(1, round(upload.height * width / upload.width))


def _write_once(path: Path, data: bytes) -> bool:
    """Write the file unless the same content is already there; returns whether it was written now."""
    if path.exists():
        return False
    temporary = path.with_name(f".{secrets.token_hex(8)}.tmp")
    temporary.write_bytes(data)
    temporary.replace(path)
    return True


def _write_thumbnails(image: Image.Image, fmt: str, content_hash: str, ext: str) -> list[Path]:
    written = []
    for width in THUMB_WIDTHS:
        if image.width <= width:
            continue
        path = upload_dir() / f"{content_hash}-w{width}.{ext}"
        if path.exists():
            continue
        small = image.copy()
        small.thumbnail((width, max(1, round(image.height * width / image.width))), Image.Resampling.LANCZOS)
        small.format = fmt
        if _write_once(path, _reencode(small, fmt)):
            written.append(path)
    return written


def store_image(file_storage, *, owner, field: str = "photos") -> Upload:
    """Validate, re-encode and store one uploaded image (once per content, with thumbnails); the caller attaches
    and commits."""
    data = _read_limited(file_storage.stream, field)
    image = _decode(data, field)
    fmt = ALIASES.get(image.format, image.format)
    try:
        original = clean_line(Path(file_storage.filename or "").name)[:200]
    except TextError:
        original = ""
    return _save(image, fmt, owner=owner, original_name=original, thumbnails=True)


def _save(image: Image.Image, fmt: str, *, owner, thumbnails: bool, **columns) -> Upload:
    """Encode, write once by content hash (with thumbnails), and add the row under a random public name."""
    content_type, ext = FORMATS[fmt]
    encoded = _reencode(image, fmt)
    content_hash = hashlib.sha256(encoded).hexdigest()
    path = upload_dir() / f"{content_hash}.{ext}"
    fresh = [path] if _write_once(path, encoded) else []
    if thumbnails:
        fresh += _write_thumbnails(image, fmt, content_hash, ext)
    upload = Upload(name=f"{secrets.token_urlsafe(18)}.{ext}", owner_id=owner.id, content_type=content_type,
                    width=image.width, height=image.height, size=len(encoded), content_hash=content_hash, **columns)
    # The files this request wrote (never one that older rows share): a refused request removes just these.
    upload.fresh_files = fresh
    db.session.add(upload)
    db.session.flush()
    return upload


def discard(uploads: list[Upload]) -> None:
    """Remove stored files whose request failed (their rows go with the rolled-back transaction)."""
    for upload in uploads:
        for path in getattr(upload, "fresh_files", None) or ([] if upload.content_hash else [stored_path(upload)]):
            path.unlink(missing_ok=True)


def delete_uploads(uploads: list[Upload]) -> None:
    """Delete these rows (an erasure) and every file no other row still shares, thumbnails included."""
    for upload in uploads:
        db.session.delete(upload)
    db.session.flush()
    for upload in uploads:
        if upload.content_hash is None:
            stored_path(upload).unlink(missing_ok=True)
            continue
        shared = db.session.scalar(sa.select(sa.func.count()).select_from(Upload)
                                   .where(Upload.content_hash == upload.content_hash))
        if not shared:
            for path in [stored_path(upload)] + [upload_dir() / f"{upload.content_hash}-w{w}.{upload.extension}"
                                                 for w in THUMB_WIDTHS]:
                path.unlink(missing_ok=True)


def uploads_today(owner, now: datetime) -> int:
    """How many images the member has sent in the last 24 hours (every kind: posts, tasks, entries, avatars)."""
    return db.session.scalar(sa.select(sa.func.count()).select_from(Upload).where(
        Upload.owner_id == owner.id, Upload.created_at > now - timedelta(days=1))) or 0


def daily_quota() -> int:
    return int(get_setting(QUOTA_SETTING, DAILY_QUOTA))


def _check_quota(owner, adding: int, field: str, now: datetime) -> None:
    quota, used = daily_quota(), uploads_today(owner, now)
    if used + adding > quota:
        left = max(quota - used, 0)
        raise DomainError(ngettext("You can send %(num)d more image today (at most %(quota)d a day).",
                                   "You can send %(num)d more images today (at most %(quota)d a day).",
                                   left, quota=quota), field)


def store_images(files: list, *, owner, field: str = "photos", now: datetime | None = None) -> list[Upload]:
    """Store several images within the member's daily quota; a refusal of any stores none of them."""
    files = [f for f in files if f and getattr(f, "filename", "")]
    if not files:
        return []
    _check_quota(owner, len(files), field, now or utcnow())
    stored: list[Upload] = []
    try:
        for file in files:
            stored.append(store_image(file, owner=owner, field=field))
    except DomainError:
        discard(stored)
        raise
    return stored


def store_avatar(file_storage, *, owner) -> Upload:
    """A member's avatar: the picture cropped to a centred square, re-encoded at AVATAR_SIZE pixels (it counts
    towards the daily quota, so nobody fills the disk by changing pictures)."""
    _check_quota(owner, 1, "avatar", utcnow())
    data = _read_limited(file_storage.stream, "avatar")
    if len(data) > AVATAR_MAX_BYTES:
        raise DomainError(_("An avatar may be at most 5 MB."), "avatar")
    image = _decode(data, "avatar")
    square = ImageOps.fit(_pixels(image, "RGBA" if "A" in image.getbands() else "RGB"),
                          (AVATAR_SIZE, AVATAR_SIZE), Image.Resampling.LANCZOS)
    fmt = "PNG" if square.mode == "RGBA" else "JPEG"
    return _save(square, fmt, owner=owner, thumbnails=False, attached_type=AVATAR, attached_id=owner.id)


def attach(uploads: list[Upload], *, kind: str, target_id: int) -> None:
    for position, upload in enumerate(uploads):
        upload.attached_type, upload.attached_id, upload.position = kind, target_id, position


# Built once: thread and task pages ask on every request, and building the statement costs more than running it.
_ATTACHED = (sa.select(Upload).where(Upload.attached_type == sa.bindparam("kind"),
                                     Upload.attached_id.in_(sa.bindparam("ids", expanding=True)))
             .order_by(Upload.attached_id, Upload.position, Upload.id))


def attached_to(kind: str, ids: list[int]) -> dict[int, list[Upload]]:
    """The uploads attached to these rows of one kind (e.g. "task_submission"), per row id, in their order."""
    found: dict[int, list[Upload]] = {}
    if ids:
        for upload in db.session.scalars(_ATTACHED, {"kind": kind, "ids": list(ids)}):
            found.setdefault(upload.attached_id, []).append(upload)
    return found


def image_response(path: Path, mimetype: str):
    """A stored image as a conditional response, read whole (images are small): no open file is left to a client
    that goes away mid-transfer (a lazy-loaded thumbnail scrolled past)."""
    return send_whole(path, mimetype, max_age=0, etag_prefix=f"{path.name}-")

"""Accepting images safely (size and pixel limits, decode + re-encode with Pillow, random names); what rows hold."""
from __future__ import annotations

import io
import secrets
import warnings
from pathlib import Path

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from app.core.exceptions import DomainError
from app.extensions import db
from app.text.markup import TextError, clean_line
from app.uploads.models import Upload

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
FORMATS = {"JPEG": ("image/jpeg", "jpg"), "PNG": ("image/png", "png"), "WEBP": ("image/webp", "webp")}
ALIASES = {"MPO": "JPEG"}  # phones save multi-picture JPEGs; the first picture is stored as a plain JPEG
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


def store_image(file_storage, *, owner, field: str = "photos") -> Upload:
    """Validate, re-encode and store one uploaded image; the caller attaches and commits."""
    data = _read_limited(file_storage.stream, field)
    image = _decode(data, field)
    fmt = ALIASES.get(image.format, image.format)
    content_type, ext = FORMATS[fmt]
    encoded = _reencode(image, fmt)
    name = f"{secrets.token_urlsafe(18)}.{ext}"
    (upload_dir() / name).write_bytes(encoded)
    try:
        original = clean_line(Path(file_storage.filename or "").name)[:200]
    except TextError:
        original = ""
    upload = Upload(name=name, owner_id=owner.id, content_type=content_type, width=image.width,
                    height=image.height, size=len(encoded), original_name=original)
    db.session.add(upload)
    db.session.flush()
    return upload


def discard(uploads: list[Upload]) -> None:
    """Remove stored files whose request failed (their rows go with the rolled-back transaction)."""
    for upload in uploads:
        (upload_dir() / upload.name).unlink(missing_ok=True)


def attach(uploads: list[Upload], *, kind: str, target_id: int) -> None:
    for position, upload in enumerate(uploads):
        upload.attached_type, upload.attached_id, upload.position = kind, target_id, position


def attached_to(kind: str, ids: list[int]) -> dict[int, list[Upload]]:
    """The uploads attached to these rows of one kind (e.g. "task_submission"), per row id, in their order."""
    found: dict[int, list[Upload]] = {}
    if ids:
        for upload in db.session.scalars(sa.select(Upload).where(Upload.attached_type == kind,
                                                                 Upload.attached_id.in_(ids))
                                         .order_by(Upload.attached_id, Upload.position, Upload.id)):
            found.setdefault(upload.attached_id, []).append(upload)
    return found

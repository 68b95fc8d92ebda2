"""Photos as stored: metadata stripped, one file per content (dedupe), thumbnails, the daily quota, erasure."""
from __future__ import annotations

import io
import secrets

import pytest
from PIL import Image
from werkzeug.datastructures import FileStorage

from app.core.exceptions import DomainError
from app.core.settings import set_setting
from app.uploads.services import (
    THUMB_WIDTHS,
    delete_uploads,
    discard,
    store_image,
    store_images,
    stored_path,
    thumb_size,
    upload_dir,
)

GPS_IFD = 0x8825


def _unique_jpeg(size=(64, 48), *, exif: bool = False) -> bytes:
    """A JPEG no other test sends (the upload folder is shared by the session), optionally with EXIF and GPS."""
    image = Image.new("RGB", size, tuple(secrets.randbelow(256) for _ in range(3)))
    image.putpixel((0, 0), tuple(secrets.randbelow(256) for _ in range(3)))
    out = io.BytesIO()
    extra = {}
    if exif:
        data = Image.Exif()
        data[0x010F] = "PhoneMaker"  # Make
        data[0x0110] = "Model X"  # Model
        data[0x9003] = "2026:12:01 08:00:00"  # DateTimeOriginal lives in the Exif IFD, but Make is enough
        data.get_ifd(GPS_IFD).update({1: "N", 2: (31.0, 14.0, 0.0), 3: "E", 4: (121.0, 28.0, 0.0)})
        extra["exif"] = data.tobytes()
    image.save(out, "JPEG", comment=b"secret comment", **extra)
    return out.getvalue()


def _file(data: bytes, name: str = "IMG_0001.jpg") -> FileStorage:
    return FileStorage(stream=io.BytesIO(data), filename=name)


def test_re_encoding_strips_exif_gps_and_comments_from_the_photo_and_its_thumbnails(db, member):
    data = _unique_jpeg((1600, 1200), exif=True)
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(GPS_IFD)  # the source really carries GPS
    upload = store_image(_file(data), owner=member)
    for path in [stored_path(upload)] + [stored_path(upload, width) for width in THUMB_WIDTHS]:
        stored = path.read_bytes()
        image = Image.open(io.BytesIO(stored))
        assert not image.getexif() and "exif" not in image.info and "comment" not in image.info
        assert b"PhoneMaker" not in stored and b"secret comment" not in stored


def test_the_same_picture_sent_twice_is_stored_once_under_two_public_names(db, member, user_factory):
    data = _unique_jpeg()
    first = store_image(_file(data), owner=member)
    second = store_image(_file(data, "again.jpg"), owner=user_factory())
    assert first.name != second.name and first.content_hash == second.content_hash
    assert stored_path(first) == stored_path(second)
    assert len([p for p in upload_dir().iterdir() if p.name.startswith(first.content_hash)]) == 1


def test_wide_pictures_get_thumbnails_of_each_size_and_small_ones_serve_themselves(db, member):
    wide = store_image(_file(_unique_jpeg((2000, 1000))), owner=member)
    for width in THUMB_WIDTHS:
        with Image.open(stored_path(wide, width)) as thumb:
            assert thumb.size == thumb_size(wide, width) == (width, width // 2)
    small = store_image(_file(_unique_jpeg((300, 200))), owner=member)
    assert all(stored_path(small, width) == stored_path(small) for width in THUMB_WIDTHS)
    assert thumb_size(small, 320) == (300, 200)


def test_the_daily_quota_refuses_the_whole_batch_and_says_how_many_are_left(db, member):
    set_setting("uploads.daily_quota", 3)
    store_images([_file(_unique_jpeg()), _file(_unique_jpeg())], owner=member)
    before = set(upload_dir().iterdir())
    with pytest.raises(DomainError, match="1 more image today") as refused:
        store_images([_file(_unique_jpeg()), _file(_unique_jpeg())], owner=member)
    assert refused.value.field == "photos"
    assert set(upload_dir().iterdir()) == before
    assert len(store_images([_file(_unique_jpeg())], owner=member)) == 1


def test_the_quota_counts_each_member_separately(db, member, user_factory):
    set_setting("uploads.daily_quota", 1)
    store_images([_file(_unique_jpeg())], owner=member)
    assert store_images([_file(_unique_jpeg())], owner=user_factory())


def test_a_refused_batch_removes_only_the_files_it_wrote(db, member):
    shared = _unique_jpeg()
    kept = store_image(_file(shared), owner=member)
    with pytest.raises(DomainError):
        store_images([_file(shared), _file(_unique_jpeg()), _file(b"<?php echo 1; ?>", "x.jpg")], owner=member)
    assert stored_path(kept).is_file()  # the picture an earlier row holds stays


def test_discarding_a_new_photo_removes_its_file_and_thumbnails(db, member):
    upload = store_image(_file(_unique_jpeg((1500, 900))), owner=member)
    paths = [stored_path(upload)] + [stored_path(upload, width) for width in THUMB_WIDTHS]
    discard([upload])
    assert not any(path.exists() for path in paths)


def test_deleting_uploads_keeps_a_file_another_row_still_holds(db, member, user_factory):
    data = _unique_jpeg((900, 600))
    mine, theirs = store_image(_file(data), owner=member), store_image(_file(data), owner=user_factory())
    delete_uploads([mine])
    assert stored_path(theirs).is_file() and stored_path(theirs, 320).is_file()
    delete_uploads([theirs])
    assert not stored_path(theirs).exists()

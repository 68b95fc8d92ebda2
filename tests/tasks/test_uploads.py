"""Hostile uploads: each is refused with a clear message or stored only as a clean re-encoded image."""
from __future__ import annotations

import io

import pytest
from PIL import Image
from werkzeug.datastructures import FileStorage

from app.core.exceptions import DomainError
from app.uploads.services import MAX_BYTES, store_image, stored_path, upload_dir


def _image_bytes(fmt: str = "JPEG", size=(64, 48), **save) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 80, 40)).save(out, fmt, **save)
    return out.getvalue()


def _file(data: bytes, name: str = "photo.jpg") -> FileStorage:
    return FileStorage(stream=io.BytesIO(data), filename=name)


def _stored(upload) -> bytes:
    return stored_path(upload).read_bytes()


@pytest.mark.parametrize("fmt, content_type", [("JPEG", "image/jpeg"), ("PNG", "image/png"), ("WEBP", "image/webp")])
def test_jpeg_png_and_webp_are_accepted_and_re_encoded(db, member, fmt, content_type):
    upload = store_image(_file(_image_bytes(fmt)), owner=member)
    assert upload.content_type == content_type and (upload.width, upload.height) == (64, 48)
    assert Image.open(io.BytesIO(_stored(upload))).format == fmt


def test_php_file_renamed_jpg_is_refused(db, member):
    with pytest.raises(DomainError, match="not an image"):
        store_image(_file(b"<?php system($_GET['c']); ?>", "shell.jpg"), owner=member)


def test_html_file_renamed_jpg_is_refused(db, member):
    with pytest.raises(DomainError, match="not an image"):
        store_image(_file(b"<html><script>alert(1)</script></html>", "page.jpg"), owner=member)


def test_svg_is_refused(db, member):
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="1" height="1"/></svg>'
    with pytest.raises(DomainError):
        store_image(_file(svg, "image.svg"), owner=member)


def test_jpeg_with_appended_script_is_stored_without_it(db, member):
    payload = _image_bytes() + b"<script>alert('appended')</script>"
    upload = store_image(_file(payload), owner=member)
    assert b"<script>" not in _stored(upload)


def test_exif_and_gps_are_stripped(db, member):
    exif = Image.Exif()
    exif[0x010F] = "SpyCam"  # Make
    exif[0x8825] = {1: "N", 2: (39.0, 54.0, 0.0)}  # GPS IFD
    upload = store_image(_file(_image_bytes(exif=exif.tobytes())), owner=member)
    stored = _stored(upload)
    assert b"SpyCam" not in stored
    assert not Image.open(io.BytesIO(stored)).getexif()


def test_a_script_in_a_jpeg_comment_is_not_kept(db, member):
    upload = store_image(_file(_image_bytes(comment=b"<script>alert('comment')</script>")), owner=member)
    stored = _stored(upload)
    assert b"<script>" not in stored and "comment" not in Image.open(io.BytesIO(stored)).info


@pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
def test_exif_gps_and_text_chunks_are_stripped_from_png_and_webp(db, member, fmt):
    from PIL import PngImagePlugin

    exif = Image.Exif()
    exif[0x010F] = "SpyCam"
    exif[0x8825] = {1: "N", 2: (39.0, 54.0, 0.0)}
    extra = {"exif": exif.tobytes()}
    if fmt == "PNG":
        text = PngImagePlugin.PngInfo()
        text.add_text("Comment", "<script>alert(1)</script>")
        extra["pnginfo"] = text
    upload = store_image(_file(_image_bytes(fmt, **extra), f"photo.{fmt.lower()}"), owner=member)
    stored = _stored(upload)
    assert b"SpyCam" not in stored and b"<script>" not in stored
    assert not Image.open(io.BytesIO(stored)).getexif()


def test_a_phone_photo_saved_as_mpo_is_accepted_as_a_jpeg(db, member):
    out = io.BytesIO()
    first, second = Image.new("RGB", (64, 48), (10, 20, 30)), Image.new("RGB", (64, 48), (30, 20, 10))
    first.save(out, "MPO", save_all=True, append_images=[second])
    upload = store_image(_file(out.getvalue(), "IMG_0001.jpg"), owner=member)
    stored = Image.open(io.BytesIO(_stored(upload)))
    assert upload.content_type == "image/jpeg" and stored.format == "JPEG" and stored.size == (64, 48)


def test_decompression_bomb_is_refused(db, member):
    out = io.BytesIO()
    Image.new("1", (10_000, 10_000)).save(out, "PNG")  # 100 megapixels in a tiny file
    assert len(out.getvalue()) < 1_000_000
    with pytest.raises(DomainError, match="too large"):
        store_image(_file(out.getvalue(), "bomb.png"), owner=member)


def test_path_traversal_file_name_is_never_used_on_disk(db, member):
    upload = store_image(_file(_image_bytes(), "../../etc/passwd.jpg"), owner=member)
    assert "/" not in upload.name and ".." not in upload.name
    assert upload.original_name == "passwd.jpg"
    assert stored_path(upload).is_file() and "/" not in stored_path(upload).name
    assert stored_path(upload).resolve().parent == upload_dir().resolve()


def test_zero_byte_file_is_refused(db, member):
    with pytest.raises(DomainError, match="empty"):
        store_image(_file(b""), owner=member)


def test_file_over_10_mb_is_refused(db, member):
    with pytest.raises(DomainError, match="10 MB"):
        store_image(_file(b"\xff\xd8" + b"0" * MAX_BYTES), owner=member)


def test_truncated_jpeg_is_refused(db, member):
    with pytest.raises(DomainError):
        store_image(_file(_image_bytes()[:200]), owner=member)


def test_stored_names_are_random(db, member):
    names = {store_image(_file(_image_bytes()), owner=member).name for _ in range(3)}
    assert len(names) == 3


# --- the same files through the task form: a message on the page, or a clean image ----------------------

def _bomb() -> bytes:
    out = io.BytesIO()
    Image.new("1", (10_000, 10_000)).save(out, "PNG")
    return out.getvalue()


@pytest.mark.parametrize("data, name, message", [
    (b"<?php system($_GET['c']); ?>", "shell.jpg", "not an image"),
    (b"<html><script>alert(1)</script></html>", "page.jpg", "not an image"),
    (None, "bomb.png", "too large"),
    (b"", "empty.jpg", "empty"),
])
def test_a_hostile_file_sent_with_an_answer_is_refused_on_the_page(member_client, moderator, db, data, name,
                                                                   message):
    import sqlalchemy as sa

    from app.tasks.models import TaskSubmission
    from app.uploads.models import Upload

    task = _open_task(moderator, db)
    page = member_client.post(f"/tasks/{task.id}", data={
        "text": "My careful answer", "photos": [(io.BytesIO(_bomb() if data is None else data), name)]},
        content_type="multipart/form-data")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and message in text and "My careful answer" in text
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Upload)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(TaskSubmission)) == 0


@pytest.mark.parametrize("data, name", [
    (_image_bytes() + b"<script>alert('appended')</script><?php echo 1; ?>", "photo.jpg"),
    (_image_bytes(), "../../../etc/cron.d/evil.jpg"),
])
def test_a_disguised_file_sent_with_an_answer_is_stored_only_as_a_clean_image(member_client, moderator, db, data,
                                                                              name):
    import sqlalchemy as sa

    from app.uploads.models import Upload

    task = _open_task(moderator, db)
    response = member_client.post(f"/tasks/{task.id}", content_type="multipart/form-data",
                                  data={"text": "Here it is", "photos": [(io.BytesIO(data), name)]})
    assert response.status_code == 302
    upload = db.session.scalar(sa.select(Upload))
    stored = _stored(upload)
    assert b"<script>" not in stored and b"<?php" not in stored and "/" not in upload.name
    with member_client.get(upload.url) as served:
        assert served.mimetype == "image/jpeg" and served.headers["X-Content-Type-Options"] == "nosniff"
        assert served.get_data() == stored


def _open_task(moderator, db):
    from datetime import timedelta

    from app.db import utcnow
    from app.tasks import services

    task = services.save_task(None, by=moderator, title="Shelf photo", instructions="Show us your shelf",
                              opens_at=utcnow() - timedelta(hours=1), due_at=utcnow() + timedelta(days=1),
                              min_photos=1, points=5, is_masked=True)
    db.session.commit()
    return task


def test_a_phone_photo_is_stored_upright_from_its_exif_orientation(db, member):
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90° clockwise to view"
    upload = store_image(_file(_image_bytes("JPEG", size=(64, 32), exif=exif.tobytes())), owner=member)
    stored = Image.open(io.BytesIO(_stored(upload)))
    assert (upload.width, upload.height) == (32, 64) and stored.size == (32, 64)
    assert not stored.getexif()


@pytest.mark.parametrize("fmt", ["JPEG", "WEBP", "PNG"])
def test_the_colour_profile_of_an_rgb_photo_is_kept(db, member, fmt):
    from PIL import ImageCms

    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    upload = store_image(_file(_image_bytes(fmt, icc_profile=profile), name=f"p.{fmt.lower()}"), owner=member)
    assert Image.open(io.BytesIO(_stored(upload))).info.get("icc_profile") == profile


def test_a_16_bit_greyscale_png_keeps_its_shades(db, member):
    source = Image.new("I;16", (8, 8), 30000)
    out = io.BytesIO()
    source.save(out, "PNG")
    upload = store_image(_file(out.getvalue(), name="scan.png"), owner=member)
    value = Image.open(io.BytesIO(_stored(upload))).convert("L").getpixel((0, 0))
    assert 110 <= value <= 125  # 30000 / 65535 of white, not clipped to 255

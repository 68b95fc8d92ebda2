"""Avatars: generated from a keyed hash of the id (never the email), hosts' persona avatars, uploaded squares,
and where they show."""
from __future__ import annotations

import io
import secrets

import pytest
from PIL import Image
from werkzeug.datastructures import FileStorage

from app.core.exceptions import DomainError
from app.core.settings import set_setting
from app.forum import services as forum
from app.members import avatars
from app.uploads.queries import upload_named
from app.uploads.services import AVATAR_SIZE, stored_path
from tests.conftest import login_as


def _photo(size=(900, 500), *, exif: bool = True) -> bytes:
    image = Image.new("RGB", size, tuple(secrets.randbelow(256) for _ in range(3)))
    out = io.BytesIO()
    data = Image.Exif()
    data[0x010F] = "PhoneMaker"
    image.save(out, "JPEG", **({"exif": data.tobytes()} if exif else {}))
    return out.getvalue()


def test_the_generated_avatar_comes_from_the_id_and_the_secret_never_the_email(app, db, user_factory):
    member = user_factory(email="lily.wang@example.test", display_name="Lily")
    first = avatars.identicon_svg(member.id)
    member.email = "someone.else@example.test"
    member.set_display_name("Renamed")
    assert avatars.generated_avatar(member) == first  # nothing the member typed changes it
    assert "lily" not in first.lower() and "example" not in first
    assert avatars.identicon_svg(member.id + 1) != first
    secret = app.config["SECRET_KEY"]
    app.config["SECRET_KEY"] = secret + "-other"
    try:
        assert avatars.identicon_svg(member.id) != first  # keyed: without the secret it cannot be recomputed
    finally:
        app.config["SECRET_KEY"] = secret


def test_hosts_get_their_personas_initial(db, user_factory):
    host = user_factory(role="moderator", host_persona="Warm host")
    svg = avatars.generated_avatar(host)
    assert ">W</text>" in svg and "<script" not in svg


def test_a_persona_is_escaped_in_the_svg(db):
    assert "&lt;" in avatars.persona_svg("<b>")


def test_the_avatar_route_serves_the_generated_svg_safely(app, db, member, user_factory):
    other = user_factory()
    response = login_as(app.test_client(), member).get(f"/u/{other.id}/avatar")
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response.headers["Content-Security-Policy"]
    assert response.get_data(as_text=True) == avatars.identicon_svg(other.id)


def test_an_uploaded_avatar_is_cropped_square_and_re_encoded(app, db, member):
    client = login_as(app.test_client(), member)
    response = client.post("/settings", content_type="multipart/form-data", data={
        "avatar": (io.BytesIO(_photo()), "selfie.jpg"), "submit_avatar": "Upload avatar"})
    assert response.status_code == 302
    db.session.refresh(member)
    upload = upload_named(member.avatar_name)
    stored = stored_path(upload).read_bytes()
    image = Image.open(io.BytesIO(stored))
    assert image.size == (AVATAR_SIZE, AVATAR_SIZE) and not image.getexif() and b"PhoneMaker" not in stored
    served = client.get(f"/u/{member.id}/avatar")
    assert served.mimetype == "image/jpeg" and served.get_data() == stored
    served.close()


def test_a_refused_avatar_says_why_and_keeps_the_generated_one(app, db, member):
    client = login_as(app.test_client(), member)
    page = client.post("/settings", content_type="multipart/form-data", data={
        "avatar": (io.BytesIO(b"<svg onload=alert(1)>"), "me.svg"), "submit_avatar": "Upload avatar"})
    assert page.status_code == 200 and "not an image we can read" in page.get_data(as_text=True)
    db.session.refresh(member)
    assert member.avatar_name is None
    empty = client.post("/settings", data={"submit_avatar": "Upload avatar"})
    assert "Choose a picture first." in empty.get_data(as_text=True)


def test_an_oversized_avatar_is_refused(db, member):
    big = FileStorage(stream=io.BytesIO(b"\xff\xd8" + b"0" * (5 * 1024 * 1024 + 10)), filename="big.jpg")
    with pytest.raises(DomainError, match="5 MB"):
        avatars.set_avatar(member, big)


def test_a_member_goes_back_to_the_generated_avatar(app, db, member):
    client = login_as(app.test_client(), member)
    client.post("/settings", content_type="multipart/form-data", data={
        "avatar": (io.BytesIO(_photo(exif=False)), "me.jpg"), "submit_avatar": "Upload avatar"})
    assert client.post("/settings", data={"remove_avatar": "Use the generated avatar"}).status_code == 302
    db.session.refresh(member)
    assert member.avatar_name is None
    assert client.get(f"/u/{member.id}/avatar").mimetype == "image/svg+xml"


def test_avatars_show_beside_posts_in_thread_lists_and_on_profiles(member_client, db, thread_factory, user_factory,
                                                                    category_factory):
    author = user_factory(display_name="Lily")
    category = category_factory()
    thread = thread_factory(author=author, category=category)
    forum.reply(thread, author=author, body="again")
    db.session.commit()
    page = member_client.get(f"/t/{thread.id}").get_data(as_text=True)
    assert page.count(f'src="/u/{author.id}/avatar?v=g"') == 2 and 'class="avatar"' in page
    assert f"/u/{author.id}/avatar" in member_client.get(f"/c/{category.id}").get_data(as_text=True)
    assert f"/u/{author.id}/avatar" in member_client.get(f"/u/{author.id}").get_data(as_text=True)


def test_avatars_show_on_the_landing_panels(member_client, db, user_factory):
    from app.jobs.registry import get as get_job
    from app.jobs.runner import run_job

    newcomer = user_factory(display_name="Newcomer")
    db.session.commit()
    run_job(get_job("refresh_hot"), trigger="manual")
    assert f"/u/{newcomer.id}/avatar" in member_client.get("/").get_data(as_text=True)


def test_avatar_uploads_count_towards_the_daily_quota(db, member):
    set_setting("uploads.daily_quota", 1)
    avatars.set_avatar(member, FileStorage(stream=io.BytesIO(_photo()), filename="a.jpg"))
    with pytest.raises(DomainError, match="0 more images today") as refused:
        avatars.set_avatar(member, FileStorage(stream=io.BytesIO(_photo()), filename="b.jpg"))
    assert refused.value.field == "avatar"

def test_member_sees_thread_and_replies(member_client, thread_factory, member):
    thread = thread_factory(title="Lipstick talk", body="Which **shade**?")
    page = member_client.get(f"/t/{thread.id}")
    assert page.status_code == 200
    assert b"Lipstick talk" in page.data and b"<strong>shade</strong>" in page.data
    response = member_client.post(f"/t/{thread.id}/reply", data={"body": "Red, always."})
    assert response.status_code == 302
    assert b"Red, always." in member_client.get(response.headers["Location"]).data
    assert member_client.get("/").status_code == 200


def test_a_two_character_chinese_title_starts_a_thread_and_one_character_is_refused(member_client, db,
                                                                                    category_factory):
    import sqlalchemy as sa

    from app.forum.models import Thread

    category = category_factory()
    started = member_client.post(f"/c/{category.id}/new", data={"title": "求助", "body": "混油皮换季泛红怎么办？"})
    assert started.status_code == 302
    assert db.session.scalar(sa.select(Thread.title).where(Thread.category_id == category.id)) == "求助"
    refused = member_client.post(f"/c/{category.id}/new", data={"title": "求", "body": "一个字的标题"})
    assert refused.status_code == 200
    page = refused.get_data(as_text=True)
    assert "一个字的标题" in page  # what the member typed is kept
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Thread)
                             .where(Thread.category_id == category.id)) == 1


def test_a_title_needs_three_letters_or_two_chinese_characters(app):
    import pytest

    from app.core.exceptions import DomainError
    from app.text.fields import clean_title

    with app.test_request_context():
        assert clean_title(" 求助 ", "title") == "求助"
        assert clean_title("ＡＢ", "title") == "ＡＢ"  # full-width letters are wide too
        assert clean_title("Hey", "title") == "Hey"
        for short in ("ab", "求", "a", "  "):
            with pytest.raises(DomainError):
                clean_title(short, "title")

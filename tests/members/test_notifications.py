import sqlalchemy as sa

from app.members.notifications import Notification, notify, unread_count


def test_notifications_page_lists_newest_first_and_header_counts_unread(member_client, member, db):
    notify(member.id, "test", "Older news")
    db.session.commit()
    notify(member.id, "test", "Newer news", url="/threads")
    db.session.commit()
    page = member_client.get("/notifications")
    assert page.status_code == 200
    assert page.data.index(b"Newer news") < page.data.index(b"Older news")
    assert b'class="badge-unread">2<' in page.data


def test_mark_all_read_clears_the_counter(member_client, member, db):
    notify(member.id, "test", "Hello")
    db.session.commit()
    assert member_client.post("/notifications/read").status_code == 302
    assert unread_count(member.id) == 0
    assert db.session.scalar(sa.select(Notification.read_at)) is not None


def test_members_only_see_their_own_notifications(member_client, user_factory, db):
    other = user_factory()
    notify(other.id, "test", "Private to someone else")
    db.session.commit()
    assert b"Private to someone else" not in member_client.get("/notifications").data

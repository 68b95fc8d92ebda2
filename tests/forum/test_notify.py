import sqlalchemy as sa

from app.forum import services
from app.forum.notify import mention_candidates
from app.members.notifications import Notification


def _notes(db, user):
    """The member's notifications about posts (not the badges and levels their own posts earn)."""
    return db.session.scalars(sa.select(Notification).where(Notification.user_id == user.id,
                                                            Notification.kind.not_in(("badge", "level")))).all()


def test_thread_author_is_notified_of_replies_but_not_of_their_own(db, thread_factory, user_factory):
    starter, replier = user_factory(), user_factory()
    thread = thread_factory(author=starter)
    services.reply(thread, author=starter, body="my own follow-up")
    services.reply(thread, author=replier, body="a reply")
    db.session.commit()
    notes = _notes(db, starter)
    assert [n.kind for n in notes] == ["reply"] and replier.display_name in notes[0].text


def test_quoted_member_is_notified(db, post_factory, user_factory):
    quoted_author, quoter = user_factory(), user_factory()
    original = post_factory(author=quoted_author)
    services.reply(original.thread, author=quoter, body="> quoted\n\nI agree", quoted=original)
    db.session.commit()
    assert "quote" in [n.kind for n in _notes(db, quoted_author)]


def test_mentions_notify_once_including_names_with_spaces_and_chinese(db, thread_factory, user_factory, moderator):
    mei = user_factory(display_name="Mei Ling")
    xiaoyu = user_factory(display_name="小雨")
    thread = thread_factory()
    services.reply(thread, author=moderator, body="Thanks @Mei Ling and @小雨，欢迎！ @Mei Ling again")
    db.session.commit()
    assert [n.kind for n in _notes(db, mei)] == ["host_mention"]
    assert [n.kind for n in _notes(db, xiaoyu)] == ["host_mention"]


def test_held_posts_notify_nobody(db, thread_factory, user_factory):
    starter = user_factory()
    thread = thread_factory(author=starter)
    services.reply(thread, author=user_factory(), body="加微信 deal_88888 便宜代购 http://x.example")
    db.session.commit()
    assert _notes(db, starter) == []


def test_mention_candidates_stop_at_punctuation():
    assert {"mei", "mei ling"} <= mention_candidates("hi @Mei Ling, welcome")

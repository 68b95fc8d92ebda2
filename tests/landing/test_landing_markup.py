"""The landing page has a heading and counts its figures with plural forms (issue 17)."""
from __future__ import annotations

import re

from app.db import utcnow
from app.landing.services import build_hot_panels


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_landing_page_has_one_h1(db, member_client):
    page = member_client.get("/").get_data(as_text=True)
    assert len(re.findall(r"<h1[ >]", page)) == 1


def test_landing_figures_use_singular_and_plural_forms(db, member, member_client, thread_factory):
    thread_factory(author=member)  # one post today, one member active
    build_hot_panels(utcnow())
    db.session.commit()
    text = _text(member_client.get("/").get_data(as_text=True))
    assert "1 post today" in text and "1 posts" not in text
    assert "0 open tasks" in text and "1 open tasks" not in text


def test_landing_figures_in_chinese_read_naturally(db, member, member_client, thread_factory):
    member.locale = "zh_Hans"
    thread_factory(author=member)
    build_hot_panels(utcnow())
    db.session.commit()
    text = _text(member_client.get("/").get_data(as_text=True))
    assert "今日发帖" in text and "posts today" not in text

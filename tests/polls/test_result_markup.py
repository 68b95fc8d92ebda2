"""Poll results keep each option's vote count and share apart (issue 17: "1 10.0%" read "110.0%")."""
from __future__ import annotations

import re

from app.polls import services as polls


def test_poll_results_show_votes_and_share_as_separate_words(db, member_client, member, poll_factory, user_factory):
    poll = poll_factory(options=["Red", "Nude"])
    red, nude = poll.options
    polls.vote(poll, user=member, option_ids=[red.id])
    for _ in range(9):
        polls.vote(poll, user=user_factory(), option_ids=[nude.id])
    db.session.commit()
    page = member_client.get(f"/t/{poll.thread_id}").get_data(as_text=True)
    table = page.split('class="poll-results"', 1)[1].split("</table>", 1)[0]
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", table))
    assert "1 vote · 10.0%" in text and "9 votes · 90.0%" in text, text

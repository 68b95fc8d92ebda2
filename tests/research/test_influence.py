"""KOC shortlist on a planted reply graph."""
from __future__ import annotations

import random

from app.db import utcnow
from app.forum import services as forum
from app.research.influence import koc_shortlist


def test_three_planted_hubs_rank_top_three(db, category_factory, user_factory, moderator):
    from app.core.settings import set_setting

    set_setting("spam.hold_threshold", 100)
    rng = random.Random(5)
    category = category_factory()
    hubs = [user_factory(display_name=f"Hub {i}") for i in range(3)]
    crowd = [user_factory(display_name=f"Crowd {i}") for i in range(30)]
    for hub_index, hub in enumerate(hubs):
        for t in range(2):
            thread = forum.start_thread(category, author=hub, title=f"Hub {hub_index} topic {t}", body="What do you think?")
            for member in rng.sample(crowd, 12 - hub_index):
                post = forum.reply(thread, author=member, body="Interesting point")
                if rng.random() < 0.3:
                    forum.toggle_reaction(forum.reply(thread, author=hub, body="Thanks!", quoted=post), user=member)
    # Noise: crowd members chat in pairs; a host draws lots of replies but is never a KOC candidate.
    for i in range(0, 30, 2):
        thread = forum.start_thread(category, author=crowd[i], title=f"Small talk {i}", body="hi")
        forum.reply(thread, author=crowd[i + 1], body="hello")
    host_thread = forum.start_thread(category, author=moderator, title="Welcome", body="Say hi")
    for member in crowd:
        forum.reply(host_thread, author=member, body="Hi!")
    db.session.commit()
    ranking = koc_shortlist(utcnow())
    assert {item.user.id for item in ranking[:3]} == {hub.id for hub in hubs}
    assert moderator.id not in {item.user.id for item in ranking}
    assert all(item.trending_threads == 2 and item.repliers >= 10 for item in ranking[:3])

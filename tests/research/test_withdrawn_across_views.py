"""A member who withdrew from research is in no research view: not by their words (their own posts, nor what others
quoted, replied to or copied of theirs), not by their pseudonym, not by their name; giving consent again brings
them back. Researchers see excerpts de-identified as exports are (members named in them as pseudonyms)."""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from app.db import utcnow
from app.forum import services as forum
from app.forum.models import Post
from app.research.pseudonyms import pseudonym

GONE_SENTENCE = "Glowberry serum changed my skin completely this winter."
GONE_OTHER = "I dab glowberry drops on my cheeks every single night."
GONE_TRACES = ("marigold", "vance", "glowberry", "changed my skin", "on my cheeks")


@pytest.fixture
def community(db, admin, researcher, moderator, category_factory, user_factory, poll_factory, consent_factory):
    """Marigold Vance writes about glowberry; three members quote her with the quote button, quote her inline
    ("As Marigold Vance said, "…""), answer her ("回复 Marigold Vance：…"), copy her sentence without a header and
    name Juniper Hale, who takes part in research. Excerpts were coded and a poll answered before she withdrew."""
    from app.core.settings import set_setting
    from app.polls import services as polls
    from app.research import coding
    from app.rights.consent import withdraw_consent
    from app.segments import services as segments

    set_setting("spam.hold_threshold", 100)
    consent = consent_factory()
    skin = segments.save_attribute(None, by=admin, key="skin", label="Skin type", values=["Dry", "Oily"],
                                   member_editable=True)
    dry, oily = skin.values
    gone, juniper = user_factory(display_name="Marigold Vance"), user_factory(display_name="Juniper Hale")
    crowd = [user_factory(display_name=name) for name in ("Rowan Pike", "Sable Quinn", "Tamsin Reed")]
    for person in (gone, juniper, *crowd):
        segments.set_values(person, {skin.id: (oily if person is gone else dry).id}, by=person, source="member")
    category = category_factory()
    diary = forum.start_thread(category, author=gone, title="Marigold's glowberry diary", body=GONE_SENTENCE)
    opening = db.session.scalar(sa.select(Post).where(Post.thread_id == diary.id, Post.number == 1))
    gone_reply = forum.reply(diary, author=gone, body=GONE_OTHER)
    chat = forum.start_thread(category, author=juniper, title="Balms for winter", body="Which balm do you use?")
    coded = []
    for person in crowd:
        coded.append(forum.reply(diary, author=person, quoted=opening,
                                 body=forum.quote_source(opening) + "shimmerbalm is what I use instead."))
        coded.append(forum.reply(chat, author=person, body='As Marigold Vance said, "glowberry is a miracle in a '
                                 'bottle" but shimmerbalm suits me, thanks Juniper Hale.'))
        coded.append(forum.reply(chat, author=person, body="回复 Marigold Vance：glowberry 真的好用\n\nshimmerbalm 我也喜欢"))
        coded.append(forum.reply(chat, author=person, body=GONE_SENTENCE + " shimmerbalm too."))
    code = coding.save_code(None, by=researcher, name="Balm", colour="#8a4b08", description="", parent_id=None)
    for post in (coded[0], coded[1], coded[6], coded[11]):  # quote button, inline quote, reply header, copied
        coding.apply_code(post, code, by=researcher, memo="Compare with Marigold Vance's diary")
    coding.apply_code(coded[5], code, by=researcher,
                      excerpt='As Marigold Vance said, "glowberry is a miracle in a bottle" but shimmerbalm suits me')
    coding.apply_code(gone_reply, code, by=researcher)
    poll = poll_factory(thread=chat, by=moderator, question="Balm or serum?", options=("Balm", "Serum"))
    balm, serum = poll.options
    polls.vote(poll, user=gone, option_ids=[serum.id])
    for person in crowd:
        polls.vote(poll, user=person, option_ids=[balm.id])
    withdraw_consent(gone)
    db.session.commit()
    return {"gone": gone, "juniper": juniper, "crowd": crowd, "code": code, "poll": poll, "skin": skin,
            "dry": dry, "oily": oily, "consent": consent, "gone_reply": gone_reply}


def traces_of_gone(text: str, gone) -> list[str]:
    """What of the withdrawn member a text shows: their name, words or pseudonym."""
    lowered = text.lower()
    return [trace for trace in GONE_TRACES if trace in lowered] + [p for p in [pseudonym(gone.id)] if p in text]


def give_consent_again(community, db) -> None:
    from app.rights.consent import give_consent_again as consent_again

    consent_again(community["gone"], community["consent"].version)
    db.session.commit()


def test_word_counts_leave_out_a_withdrawn_members_words_quoted_inline_answered_and_copied(community, db):
    from app.research.terms import term_counts, word_frequency

    counts, posts = term_counts(start=None, end=None)
    by_term = {count.term: count for count in counts}
    assert "glowberry" not in by_term and not any(traces_of_gone(term, community["gone"]) for term in by_term)
    assert (by_term["shimmerbalm"].authors, by_term["shimmerbalm"].posts) == (3, 12)
    assert dict(word_frequency(start=None, end=None)[0])["shimmerbalm"] == 12
    give_consent_again(community, db)
    again = {count.term: count for count in term_counts(start=None, end=None)[0]}
    assert again["glowberry"].authors == 4 and term_counts(start=None, end=None)[1] == posts + 2


def test_emerging_terms_examples_and_sparklines_show_nothing_of_a_withdrawn_member(community, db):
    from app.research.terms import emerging_report

    report = emerging_report(utcnow(), days=7, baseline_windows=1, min_authors=2, min_count=2)
    items = report.terms + report.one_voice
    rising = {item.term: item for item in items}
    assert not any(traces_of_gone(term, community["gone"]) for term in rising)
    shimmer = rising["shimmerbalm"]
    assert shimmer.recent == 3 and shimmer.daily[-1] == 3 and len(shimmer.examples) == 3
    examples = [f"{who} {text}" for item in items for who, text in item.examples]
    assert examples and all("shimmerbalm" in text for _who, text in shimmer.examples)
    assert not [example for example in examples if traces_of_gone(example, community["gone"])]
    assert not [example for example in examples if re.search(r"Juniper|Hale|Rowan|Sable|Tamsin", example)]
    give_consent_again(community, db)
    report = emerging_report(utcnow(), days=7, baseline_windows=1, min_authors=2, min_count=2)
    glow = {item.term: item for item in report.terms + report.one_voice}["glowberry"]
    assert glow.recent == 4 and all("glowberry" in text.lower() for _who, text in glow.examples)


def test_code_excerpts_are_pseudonymised_and_carry_nothing_of_a_withdrawn_member(community, db):
    from app.research import code_tables
    from app.research import queries as research_queries
    from app.segments.services import attributes

    excerpts = research_queries.excerpts_of(community["code"])
    assert community["gone_reply"].id not in {coded.post_id for coded in excerpts} and len(excerpts) == 5
    contexts = code_tables.excerpt_contexts(excerpts, attributes())
    shown = [" ".join((c.pseudonym, c.text, c.thread, c.memo, *c.segments.values())) for c in contexts.values()]
    assert not [text for text in shown if traces_of_gone(text, community["gone"])]
    assert all("shimmerbalm" in contexts[coded.id].text for coded in excerpts)
    passage = next(contexts[coded.id] for coded in excerpts if coded.excerpt.endswith("suits me"))
    assert passage.text.startswith("As [member] said") and passage.text.endswith("but shimmerbalm suits me")
    thanked = [c.text for c in contexts.values() if "thanks" in c.text]
    assert thanked and all("thanks [member]" in text and pseudonym(community["juniper"].id) not in text
                           for text in thanked)
    assert {c.pseudonym for c in contexts.values()} == {pseudonym(person.id) for person in community["crowd"]}
    give_consent_again(community, db)
    excerpts = research_queries.excerpts_of(community["code"])
    contexts = code_tables.excerpt_contexts(excerpts, attributes())
    assert len(excerpts) == 6 and any(GONE_OTHER in c.text for c in contexts.values())
    assert any(f"{pseudonym(community['gone'].id)} wrote:" in c.text and GONE_SENTENCE in c.text
               for c in contexts.values())


def test_counts_by_segment_koc_and_crosstabs_leave_out_a_withdrawn_member(community, db):
    from app.polls.crosstabs import poll_crosstab
    from app.research.code_tables import code_segment_table
    from app.research.influence import koc_shortlist

    def counted():
        table = code_segment_table(community["skin"])
        row = next(row for row in table.rows if row.code.id == community["code"].id)
        crosstab = poll_crosstab(community["poll"], community["skin"])
        return ({value.value: (row.excerpts.get(value.id, 0), row.members.get(value.id, 0), table.base.get(value.id))
                 for value in community["skin"].values}, row.total_members, table.base_total, crosstab.voters,
                community["gone"].id in {item.user.id for item in koc_shortlist(utcnow())})

    assert counted() == ({"Dry": (5, 3, 4), "Oily": (0, 0, None)}, 3, 4, [3, 0, 0], False)
    give_consent_again(community, db)
    assert counted() == ({"Dry": (5, 3, 4), "Oily": (1, 1, 1)}, 4, 5, [3, 1, 0], True)


def page_text(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


def test_research_pages_show_nothing_of_a_withdrawn_member_until_they_consent_again(community, researcher_client,
                                                                                   db):
    code, skin = community["code"], community["skin"]
    urls = ["/research/words?days=7", "/research/koc?days=365", f"/research/codes/{code.id}", "/research/codes",
            f"/research/codes/segments?attribute={skin.id}", f"/research/polls/{community['poll'].id}"]
    pages = {url: page_text(researcher_client, url) for url in urls}
    assert {url: traces_of_gone(page, community["gone"]) for url, page in pages.items() if traces_of_gone(
        page, community["gone"])} == {}
    excerpts = pages[f"/research/codes/{code.id}"]
    assert "Juniper Hale" not in excerpts and "[member]" in excerpts
    assert not re.search(r"Rowan|Sable|Tamsin", excerpts) and "Balms for winter" in excerpts
    assert "shimmerbalm" in pages["/research/words?days=7"]
    give_consent_again(community, db)
    assert "glowberry" in page_text(researcher_client, "/research/words?days=7")
    excerpts = page_text(researcher_client, f"/research/codes/{code.id}")
    assert GONE_OTHER in excerpts and pseudonym(community["gone"].id) in excerpts and "Marigold" not in excerpts
    assert pseudonym(community["gone"].id) in page_text(researcher_client, "/research/koc?days=365")

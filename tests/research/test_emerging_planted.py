"""Emerging terms on planted communities (tests/research/planted.py): the planted terms rise, nothing else does."""
from __future__ import annotations

import pytest

from app.db import utcnow
from app.research import term_dictionary, terms
from app.research.term_dictionary import term_key
from tests.research.planted import NOISE_WORDS, Plan, build

PLANS = {
    3: Plan(zh_term="早C晚A", en_phrase="skin cycling", burst="美白丸"),
    11: Plan(zh_term="A醇次抛", en_phrase="glass skin", burst="luckybox"),
    29: Plan(zh_term="小棕瓶Pro", en_phrase="barrier repair", burst="代购链接"),
}


@pytest.fixture(autouse=True)
def _no_spam_hold():
    from app.core.settings import set_setting

    set_setting("spam.hold_threshold", 100)


@pytest.mark.parametrize("seed", sorted(PLANS))
def test_planted_terms_rise_and_nothing_else_does(seed, db, user_factory, category_factory, moderator):
    plan, now = PLANS[seed], utcnow()
    community = build(seed, plan, now=now, user_factory=user_factory, category_factory=category_factory,
                      moderator=moderator)
    report = terms.emerging_report(now, days=7)  # no discovery has run yet: the report runs it first
    added = len(term_dictionary.dictionary_terms())
    ranked = [term_key(t.term) for t in report.terms]
    print(f"\nseed {seed}: {community['figures']}, {added} terms discovered, {report.posts} posts read")
    for place, item in enumerate(report.terms[:10], start=1):
        print(f"  #{place} {item.term}: score {item.ratio}, authors {item.recent} (baseline {item.previous}), "
              f"posts {item.posts}, threads {item.threads}")
    print("  one voice:", [(t.term, t.posts, t.recent) for t in report.one_voice[:5]])
    assert term_key(plan.zh_term) in ranked[:5]
    assert term_key(plan.en_phrase) in ranked[:5]
    steady = {term_key(t) for t in plan.steady}
    burst_pieces = set(terms.tokens(plan.burst)) | {term_key(plan.burst)}
    assert not steady & set(ranked[:10])
    assert not burst_pieces & set(ranked[:10])
    assert burst_pieces & {term_key(t.term) for t in report.one_voice}
    listed = set(ranked) | {term_key(t.term) for t in report.one_voice}
    listed |= {term_key(t.display) for t in term_dictionary.dictionary_terms()}
    listed |= {term_key(term) for term, _count in terms.word_frequency(start=None, end=None)[0]}
    assert not listed & set(NOISE_WORDS)
    for member in community["members"]:
        for part in [member.display_name, *member.display_name.split()]:
            assert term_key(part) not in listed, part

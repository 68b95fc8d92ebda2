"""The community's term dictionary: segmentation of discovered terms, add / merge / block, stop words, the pages."""
from __future__ import annotations

import random

import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.db import utcnow
from app.research import term_dictionary, terms
from app.research.models import Term
from tests.research.planted import Writer, en_sentence, zh_sentence


def _community(db, user_factory, category_factory, bodies: list[str], authors: int = 6) -> None:
    """Posts of ``bodies`` spread over ``authors`` members, among ordinary chatter."""
    rng = random.Random(5)
    members = [user_factory() for _ in range(authors)]
    writer = Writer(category_factory())
    thread = writer.thread(members[0], "Chat", utcnow())
    for index, body in enumerate(bodies):
        writer.post(thread, members[index % authors], body, utcnow())
    for index in range(300):
        writer.post(thread, members[index % authors], zh_sentence(rng) if index % 2 else en_sentence(rng), utcnow())
    writer.insert()
    db.session.commit()


def test_discovered_chinese_mixed_and_english_terms_come_out_whole(db, user_factory, category_factory):
    bodies = []
    for i in range(12):
        bodies += [f"最近开始早C晚A，{['皮肤好多了', '有点刺痛', '还在观察'][i % 3]}",
                   f"{['玻尿酸次抛', '买了三盒次抛', '这个次抛'][i % 3]}{['用完了', '真的方便', '好用吗', '出门带着'][i % 4]}",
                   f"I tried skin cycling {['last week', 'for a month', 'again'][i % 3]} and liked it",
                   f"{['Skin cycling', 'skin  cycling', 'SKIN CYCLING'][i % 3]} is {['great', 'fine', 'odd'][i % 3]}"]
    _community(db, user_factory, category_factory, bodies)
    term_dictionary.refresh_discoveries(utcnow())
    db.session.commit()
    assert "早C晚A" in terms.tokens("我也想试试早c晚a，谁有经验")  # folded to the form members wrote
    assert "早C晚A" in terms.tokens("早Ｃ晚Ａ好用吗")  # full width
    assert "次抛" in terms.tokens("玻尿酸次抛真的方便") and "玻尿酸" in terms.tokens("玻尿酸次抛真的方便")
    assert "skin cycling" in terms.tokens("Started Skin Cycling yesterday")
    assert "cycling" not in terms.tokens("Started skin cycling yesterday")


def test_researchers_add_merge_and_block_terms_and_every_change_is_audited(db, researcher):
    added = term_dictionary.add_term("修丽可色修", by=researcher)
    assert terms.tokens("修丽可色修真的有用") [0] == "修丽可色修"
    term_dictionary.merge_by_text("早c晚a", "早C晚A精华法", by=researcher)
    term_dictionary.add_term("早C晚A", by=researcher)  # the same key as 早c晚a: no second term
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Term).where(Term.key == "早c晚a")) == 1
    assert "早C晚A精华法" in terms.tokens("最近开始早C晚A") and "早C晚A" not in terms.tokens("最近开始早C晚A")
    term_dictionary.set_blocked(added, True, by=researcher)
    assert "修丽可色修" not in terms.tokens("修丽可色修真的有用")
    verbs = set(db.session.scalars(sa.select(AuditEvent.verb)))
    assert {"term.add", "term.merge", "term.block"} <= verbs


def test_english_stop_words_cover_contractions_and_links_and_researchers_can_edit_them(db, researcher):
    found = terms.tokens("It's great, I’ve said it, won't stop: see http://x.example/a www wrote @Kim")
    assert found == ["great", "said", "stop", "see"]
    assert not {"it's", "i've", "won't", "http", "www", "wrote"} & set(found)
    term_dictionary.set_stop_word("great", True, by=researcher)
    term_dictionary.set_stop_word("stop", False, by=researcher)
    assert "great" not in terms.tokens("great texture")
    assert "texture" in terms.tokens("great texture")


def test_terms_page_adds_merges_blocks_and_edits_stop_words(researcher_client, db):
    page = researcher_client.get("/research/terms")
    assert page.status_code == 200
    response = researcher_client.post("/research/terms/add", data={"add-term": "小棕瓶"})
    assert response.status_code == 302
    term = db.session.scalar(sa.select(Term).where(Term.key == "小棕瓶"))
    assert researcher_client.post(f"/research/terms/{term.id}/block").status_code == 302
    db.session.refresh(term)
    assert term.status == "blocked"
    response = researcher_client.post("/research/terms/merge", data={"merge-variant": "ABC", "merge-into": "abc"})
    assert response.status_code == 400 and b"same term" in response.data
    assert researcher_client.post("/research/stop-words", data={"stop-word": "lovely", "stop-action": "add"}
                                  ).status_code == 302
    assert "lovely" in term_dictionary.stop_words()
    response = researcher_client.post("/research/terms/add", data={"add-term": "x" * 60})
    assert response.status_code == 400 and b"x" * 60 in response.data  # what was typed stays


def test_members_cannot_edit_the_dictionary(member_client):
    assert member_client.get("/research/terms").status_code == 403
    assert member_client.post("/research/terms/add", data={"add-term": "abc"}).status_code == 403


def test_refresh_terms_job_runs(db, app):
    from app.jobs import registry

    assert registry.get("refresh_terms").func(utcnow()) == 0


def _varied(term: str, i: int) -> str:
    """``term`` in an everyday sentence, with different words before and after it each time."""
    before = ["最近在用", "姐妹们都在聊", "第一次尝试", "谁用过", "朋友推荐", "想试试", "", "终于买到"][i % 8]
    after = ["，效果不错", "真的火了", "到底适合谁", "之后皮肤很透", "加进晚间流程", "要建立耐受", "！", "太难抢"][i // 8 % 8]
    return before + term + after


def test_mixed_script_and_compound_terms_come_out_whole(db, user_factory, category_factory):
    """A Latin run next to Chinese, parts joined by "+", and a new compound of known words are discovered whole;
    their pieces, mostly used inside them, are not terms of their own; a three-word English phrase stays whole."""
    bodies = []
    for i in range(24):
        bodies += [_varied("PDRN水光", i), _varied("刷酸+A醇", i + 3), _varied("沉浸式护肤", i + 5),
                   _varied("油皮亲妈", i + 2),
                   (f"{['My', 'Started a', 'Day two of my', 'Loving the'][i % 4]} glass skin routine "
                    f"{['today', 'and it works', 'is long', 'lol'][i // 4 % 4]}")]
    _community(db, user_factory, category_factory, bodies, authors=8)
    term_dictionary.refresh_discoveries(utcnow())
    db.session.commit()
    keys = {t.key for t in term_dictionary.dictionary_terms()}
    assert {"pdrn水光", "刷酸+a醇", "沉浸式护肤", "油皮亲妈", "glass skin routine"} <= keys, keys
    assert not keys & {"pdrn", "刷酸", "用刷酸", "沉浸式", "glass skin", "skin routine"}, keys
    assert "PDRN水光" in terms.tokens("我也想试试pdrn水光，谁有经验")
    assert "刷酸+A醇" in terms.tokens("刷酸+a醇要慢慢来")
    said = terms.tokens("周末来一次沉浸式护肤")
    assert "沉浸式护肤" in said and "沉浸" not in said and "护肤" not in said
    assert "油皮亲妈" in terms.tokens("这是油皮亲妈吧")
    said = terms.tokens("My glass skin routine is long")
    assert "glass skin routine" in said and "routine" not in said


def test_a_recurring_sentence_is_not_a_term(db, user_factory, category_factory):
    """Known words that always stand in the same sentence (the same words before and after) are no new term:
    freedom is measured over the actual neighbouring words."""
    bodies = [f"{['今天', '昨天', '周末'][i % 3]}去专柜试了{['面霜', '精华', '防晒'][i % 3]}，质地比想象中清爽。"
              for i in range(30)]
    _community(db, user_factory, category_factory, bodies)
    term_dictionary.refresh_discoveries(utcnow())
    db.session.commit()
    keys = {t.key for t in term_dictionary.dictionary_terms()}
    assert not any("清爽" in key or "专柜" in key for key in keys), keys


def test_a_plus_joins_the_parts_of_a_chinese_term_only_and_url_remains_are_no_words(db):
    assert terms.tokens("retinol+niacinamide tonight") == ["retinol", "niacinamide", "tonight"]
    # what a removed sentence ending in "http:" leaves of a link
    assert terms.tokens("面霜 //m.jd.example/product/ 推荐") == ["面霜", "推荐"]

"""The code book, coding posts and passages, exports with codes, the KOC page."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.core.exceptions import DomainError
from app.research import coding
from app.research.models import Code, CodedExcerpt
from app.research.pseudonyms import reference
from app.research.transcript import TranscriptFilter, iter_transcript


@pytest.fixture
def code(db, researcher):
    made = coding.save_code(None, by=researcher, name="Price sensitivity", colour="#aa3300",
                            description="Mentions of price", parent_id=None)
    db.session.commit()
    return made


def test_codes_have_unique_names_and_valid_colours(code, researcher):
    with pytest.raises(DomainError):
        coding.save_code(None, by=researcher, name="Price sensitivity", colour="#aa3300", description="", parent_id=None)
    with pytest.raises(DomainError) as error:
        coding.save_code(None, by=researcher, name="Other", colour="red", description="", parent_id=None)
    assert error.value.field == "colour"


def test_members_and_moderators_cannot_code(code, member, moderator, post_factory):
    for user in (member, moderator):
        with pytest.raises(DomainError):
            coding.apply_code(post_factory(), code, by=user)


def test_a_passage_must_come_from_the_post(code, researcher, post_factory, db):
    post = post_factory(body="The price is too high for a small tube.")
    coded = coding.apply_code(post, code, by=researcher, excerpt="price is too high", memo="strong")
    assert coded.excerpt == "price is too high" and coded.memo == "strong"
    with pytest.raises(DomainError):
        coding.apply_code(post, code, by=researcher, excerpt="words never written")
    assert db.session.scalar(sa.select(AuditEvent.verb).where(AuditEvent.verb == "post.code"))


def test_archived_codes_keep_excerpts_but_cannot_be_applied(code, researcher, post_factory, db):
    coding.apply_code(post_factory(), code, by=researcher)
    assert coding.archive_code(code, by=researcher)
    with pytest.raises(DomainError):
        coding.apply_code(post_factory(), code, by=researcher)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CodedExcerpt)) == 1


def test_exports_carry_codes_and_filter_by_them(code, researcher, post_factory, db):
    coded_post, other = post_factory(body="coded one"), post_factory(body="not coded")
    coding.apply_code(coded_post, code, by=researcher)
    db.session.commit()
    rows = {r["post_id"]: r for r in iter_transcript(TranscriptFilter())}
    coded_ref, other_ref = reference("post", coded_post.id), reference("post", other.id)
    assert rows[coded_ref]["codes"] == "Price sensitivity" and rows[other_ref]["codes"] == ""
    only = list(iter_transcript(TranscriptFilter(code_ids=[code.id])))
    assert [r["post_id"] for r in only] == [coded_ref]


def test_researcher_codes_a_post_through_the_page(code, researcher_client, post_factory, db):
    post = post_factory(body="Too expensive for daily use")
    page = researcher_client.get(f"/research/posts/{post.id}/code")
    assert page.status_code == 200 and b"Too expensive for daily use" in page.data
    response = researcher_client.post(f"/research/posts/{post.id}/code", data={
        "code_id": code.id, "excerpt": "Too expensive", "memo": "daily use"})
    assert response.status_code == 302
    excerpts = researcher_client.get(f"/research/codes/{code.id}")
    assert b"Too expensive" in excerpts.data and b"daily use" in excerpts.data


def test_code_book_page_creates_codes_and_shows_errors(researcher_client, db):
    assert researcher_client.post("/research/codes", data={"name": "Trust", "colour": "#112233",
                                                           "parent_id": 0}).status_code == 302
    assert db.session.scalar(sa.select(Code.name)) == "Trust"
    page = researcher_client.post("/research/codes", data={"name": "Bad", "colour": "blue", "parent_id": 0})
    assert page.status_code == 200 and b"Use a colour like" in page.data and b"Bad" in page.data


def test_koc_page_lists_members(researcher_client, post_factory):
    post_factory()
    assert researcher_client.get("/research/koc").status_code == 200


@pytest.mark.parametrize("url", ["/research/codes", "/research/codes/1", "/research/posts/1/code", "/research/koc"])
def test_members_cannot_reach_coding(member_client, url):
    assert member_client.get(url).status_code == 403


def test_code_book_keeps_parent_colour_and_description_and_refuses_loops(code, researcher, researcher_client, db):
    child = coding.save_code(None, by=researcher, name="Too expensive", colour="#112233",
                             description="Says the price is too high", parent_id=code.id)
    grandchild = coding.save_code(None, by=researcher, name="Versus rivals", colour="#445566", description="",
                                  parent_id=child.id)
    db.session.commit()
    with pytest.raises(DomainError) as error:
        coding.save_code(code, by=researcher, name=code.name, colour=code.colour, description="",
                         parent_id=grandchild.id)
    assert error.value.field == "parent_id"
    db.session.rollback()
    page = researcher_client.get("/research/codes").get_data(as_text=True)
    row = page[page.index("Too expensive"):]
    row = row[:row.index("</tr>")]
    assert "Price sensitivity" in row and "Says the price is too high" in row
    assert 'data-colour="#112233"' in page


def test_archiving_a_code_keeps_it_in_the_book_and_in_exports(code, researcher, researcher_client, post_factory, db):
    post = post_factory(body="Pricey")
    coding.apply_code(post, code, by=researcher)
    db.session.commit()
    assert researcher_client.post(f"/research/codes/{code.id}/archive").status_code == 302
    db.session.refresh(code)
    assert code.archived_at is not None and db.session.get(Code, code.id) is not None
    assert "archived" in researcher_client.get("/research/codes").get_data(as_text=True)
    assert [r["codes"] for r in iter_transcript(TranscriptFilter(code_ids=[code.id]))] == ["Price sensitivity"]
    assert not any(rule.rule.endswith("/delete") and "codes" in rule.rule
                   for rule in researcher_client.application.url_map.iter_rules())

"""Research views never show a member who withdrew consent, and the KOC shortlist names members only to roles
that may see identities (hosts and admins); researchers see pseudonyms."""
from __future__ import annotations

import pytest

from app.core.exceptions import DomainError
from app.db import utcnow
from app.forum import services as forum
from app.research.influence import koc_shortlist
from app.research.pseudonyms import pseudonym


@pytest.fixture
def talk(db, category_factory, user_factory):
    """A hub whose thread drew four repliers; a withdrawn member who also started a busy thread, replied to the
    hub, reacted and was quoted with words nobody else uses."""
    from app.core.settings import set_setting

    set_setting("spam.hold_threshold", 100)
    category = category_factory()
    hub, gone = user_factory(display_name="Hub Person"), user_factory(display_name="Gone Person")
    crowd = [user_factory(display_name=f"Crowd Person {i}") for i in range(4)]
    hub_thread = forum.start_thread(category, author=hub, title="Shades", body="Which shade?")
    gone_thread = forum.start_thread(category, author=gone, title="Marmalade", body="marmalade marmalade marmalade")
    gone_reply = forum.reply(hub_thread, author=gone, body="Velvet is best")
    forum.toggle_reaction(gone_reply, user=crowd[0])
    hub_post = forum.reply(hub_thread, author=hub, body="Thanks")
    forum.toggle_reaction(hub_post, user=gone)
    for person in crowd:
        forum.reply(hub_thread, author=person, body="Coral please")
        forum.reply(gone_thread, author=person, body=forum.quote_source(gone_thread_opening(db, gone_thread))
                    + "jasmine jasmine jasmine")
    gone.consent_withdrawn_at = utcnow()
    db.session.commit()
    return {"hub": hub, "gone": gone, "crowd": crowd, "gone_reply": gone_reply}


def gone_thread_opening(db, thread):
    import sqlalchemy as sa

    from app.forum.models import Post

    return db.session.scalar(sa.select(Post).where(Post.thread_id == thread.id, Post.number == 1))


def test_koc_shortlist_leaves_out_a_withdrawn_member_and_what_they_did(talk):
    ranking = {item.user.id: item for item in koc_shortlist(utcnow())}
    assert talk["gone"].id not in ranking
    assert ranking[talk["hub"].id].repliers == 4 and ranking[talk["hub"].id].reactors == 0


def test_researchers_see_pseudonyms_on_the_koc_shortlist(talk, researcher_client):
    page = researcher_client.get("/research/koc").get_data(as_text=True)
    assert pseudonym(talk["hub"].id) in page and "Hub Person" not in page
    assert "Gone Person" not in page and pseudonym(talk["gone"].id) not in page
    assert f"/members/{talk['hub'].id}" not in page


def test_hosts_see_names_on_the_koc_shortlist_but_not_withdrawn_members(talk, moderator_client):
    page = moderator_client.get("/mod/koc").get_data(as_text=True)
    assert "Hub Person" in page and "Gone Person" not in page


def test_word_frequency_counts_members_own_words_not_quoted_ones(talk):
    from app.research.terms import word_frequency

    frequencies, _posts = word_frequency(start=None, end=None)
    terms = dict(frequencies)
    assert terms.get("jasmine") == 12 and "marmalade" not in terms and "velvet" not in terms


def test_code_excerpts_of_a_withdrawn_member_are_hidden_and_cannot_be_added(talk, researcher, researcher_client, db):
    from app.research import coding
    from app.research import queries as research_queries

    code = coding.save_code(None, by=researcher, name="Colour", colour="#8a4b08", description="", parent_id=None)
    withdrawn_at, talk["gone"].consent_withdrawn_at = talk["gone"].consent_withdrawn_at, None
    coding.apply_code(talk["gone_reply"], code, by=researcher)  # coded before the member withdrew ...
    talk["gone"].consent_withdrawn_at = withdrawn_at
    db.session.commit()
    assert research_queries.excerpts_of(code) == [] and research_queries.excerpt_counts() == {}
    assert "Velvet is best" not in researcher_client.get(f"/research/codes/{code.id}").get_data(as_text=True)
    with pytest.raises(DomainError, match="withdrawn consent"):  # ... and nothing more is coded afterwards
        coding.apply_code(talk["gone_reply"], code, by=researcher)


def test_export_form_and_cli_offer_to_drop_quotes(talk, researcher_client, runner, tmp_path, db):
    import sqlalchemy as sa

    from app.research.models import ExportRun

    response = researcher_client.post("/research/exports", data={
        "include_posts": "y", "identity": "pseudonym", "quotes": "drop", "scrub": "y", "format": "csv"})
    assert response.status_code == 302
    run = db.session.scalar(sa.select(ExportRun).order_by(ExportRun.id.desc()))
    assert run.params["quotes"] == "drop"
    out = tmp_path / "t.csv"
    result = runner.invoke(args=["export", "transcript", "--format", "csv", "--out", str(out), "--drop-quotes"])
    assert result.exit_code == 0, result.output
    assert "wrote:" not in out.read_text(encoding="utf-8-sig") and "jasmine" in out.read_text(encoding="utf-8-sig")


def test_a_member_who_never_consented_is_left_out_of_exports_and_term_counts(db, category_factory, user_factory,
                                                                             moderator):
    """Accounts made without the consent text (``flask users create``) take no part in research; hosts' own posts
    are context and stay when the export includes hosts."""
    from app.core.settings import set_setting
    from app.research.terms import word_frequency
    from app.research.transcript import TranscriptFilter, iter_transcript

    set_setting("spam.hold_threshold", 100)
    category = category_factory()
    quiet = user_factory(display_name="Quiet Quentin", consent=False)
    talker = user_factory(display_name="Talker")
    thread = forum.start_thread(category, author=talker, title="Teapots", body="porcelain porcelain porcelain")
    forum.reply(thread, author=quiet, body="stoneware stoneware stoneware")
    forum.reply(thread, author=moderator, body="Welcome, both of you")
    db.session.commit()
    rows = list(iter_transcript(TranscriptFilter(include_hosts=True)))
    assert [row["author"] for row in rows] == [pseudonym(talker.id), pseudonym(moderator.id)]
    assert not any("stoneware" in row["text"] for row in rows)
    counted, _posts = word_frequency(start=None, end=None)
    words = {term for term, _count in counted}
    assert "porcelain" in words and "stoneware" not in words


def test_code_excerpts_of_a_member_who_never_consented_are_hidden_and_cannot_be_added(db, category_factory,
                                                                                     user_factory, researcher,
                                                                                     researcher_client, moderator):
    """The code book and a code's excerpts use the same rule as exports: only members taking part in research
    (and hosts, who speak for the community) are shown."""
    from app.core.settings import set_setting
    from app.research import coding
    from app.research import queries as research_queries

    set_setting("spam.hold_threshold", 100)
    quiet = user_factory(display_name="Quiet Quentin", consent=False)
    talker = user_factory(display_name="Talker")
    thread = forum.start_thread(category_factory(), author=talker, title="Teapots", body="porcelain is lovely")
    quiet_reply = forum.reply(thread, author=quiet, body="stoneware is sturdier")
    host_reply = forum.reply(thread, author=moderator, body="celadon glaze, anyone?")
    code = coding.save_code(None, by=researcher, name="Material", colour="#8a4b08", description="", parent_id=None)
    quiet.consent_at, consented_at = utcnow(), quiet.consent_at
    coding.apply_code(quiet_reply, code, by=researcher)  # coded while the account still counted as consenting
    quiet.consent_at = consented_at
    coding.apply_code(host_reply, code, by=researcher)
    db.session.commit()
    assert [excerpt.post_id for excerpt in research_queries.excerpts_of(code)] == [host_reply.id]
    assert research_queries.excerpt_counts() == {code.id: 1} and research_queries.code_book()[1] == {code.id: 1}
    page = researcher_client.get(f"/research/codes/{code.id}").get_data(as_text=True)
    assert "stoneware" not in page and "celadon" in page
    with pytest.raises(DomainError, match="not consented"):
        coding.apply_code(quiet_reply, code, by=researcher)

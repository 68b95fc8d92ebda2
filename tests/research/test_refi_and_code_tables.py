"""Coded excerpts in context, the code x segment table and its CSV, and the REFI-QDA project export."""
from __future__ import annotations

import csv
import io
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from lxml import etree

from app.audit.models import AuditEvent
from app.db import utcnow
from app.research import code_tables, coding, refi_qda
from app.research.pseudonyms import pseudonym

SCHEMA = Path(__file__).resolve().parent / "refi" / "Project-mrt2019.xsd"


@pytest.fixture
def coded(db, admin, researcher, user_factory, thread_factory, post_factory):
    """Three members (two aged 18-24, one 25-34), one who withdrew; a parent and a child code; four excerpts."""
    from app.segments import services as segments

    age = segments.save_attribute(None, by=admin, key="age_band", label="Age band", values=["18-24", "25-34"],
                                  member_editable=True)
    young, older = age.values
    ann, bo, cy = (user_factory(display_name=n) for n in ("Ann Lee", "Bo Chan", "Cy Wu"))
    gone = user_factory(display_name="Dee Gone")
    for person in (ann, bo, cy, gone):
        # Established members: a new member's first post with an email address waits for the hosts.
        person.trust_level, person.created_at = 2, utcnow() - timedelta(days=90)
    for person, value in ((ann, young), (bo, young), (cy, older), (gone, older)):
        segments.set_values(person, {age.id: value.id}, by=person, source="member")
    thread = thread_factory(author=ann, title="Price talk", body="The price is too high for a small tube.")
    posts = [post_factory(thread=thread, author=bo, body="I agree with Ann Lee, too pricey. My address for the swap: bo@x.test"),
             post_factory(thread=thread, author=cy, body="Worth it for the texture.\n\nReally smooth."),
             post_factory(thread=thread, author=gone, body="Price is fine for me.")]
    price = coding.save_code(None, by=researcher, name="Price", colour="#aa3300", description="Money talk",
                             parent_id=None)
    too_high = coding.save_code(None, by=researcher, name="Too expensive", colour="#cc0000", description="",
                                parent_id=price.id)
    texture = coding.save_code(None, by=researcher, name="Texture", colour="#3366aa", description="",
                               parent_id=None)
    from app.forum.models import Post

    opening = db.session.scalar(sa.select(Post).where(Post.thread_id == thread.id, Post.number == 1))
    coding.apply_code(opening, too_high, by=researcher, excerpt="price is too high")
    coding.apply_code(posts[0], too_high, by=researcher, excerpt="I agree with Ann Lee, too pricey.",
                      memo="Bo agrees with Ann Lee")
    coding.apply_code(posts[1], texture, by=researcher)
    coding.apply_code(posts[2], price, by=researcher)
    gone.consent_withdrawn_at = utcnow()
    db.session.commit()
    return {"age": age, "members": (ann, bo, cy, gone), "codes": (price, too_high, texture), "thread": thread}


def test_excerpts_page_shows_pseudonym_segment_and_thread(coded, researcher_client):
    price, too_high, _texture = coded["codes"]
    page = researcher_client.get(f"/research/codes/{too_high.id}").get_data(as_text=True)
    ann, bo = coded["members"][:2]
    assert pseudonym(ann.id) in page and pseudonym(bo.id) in page
    assert "Age band: 18-24" in page and "Price talk" in page
    page = researcher_client.get(f"/research/codes/{price.id}").get_data(as_text=True)
    assert pseudonym(coded["members"][3].id) not in page  # withdrawn


def test_code_by_segment_table_counts_excerpts_and_share_of_members(coded):
    table = code_tables.code_segment_table(coded["age"])
    rows = {row.code.name: row for row in table.rows}
    young, older = coded["age"].values
    assert rows["Too expensive"].excerpts == {young.id: 2} and rows["Too expensive"].members == {young.id: 2}
    assert table.base == {young.id: 2, older.id: 1}  # the withdrawn member is not in the base
    assert table.share(rows["Too expensive"], young.id) == 1.0
    assert rows["Texture"].excerpts == {older.id: 1} and table.share(rows["Texture"], older.id) == 1.0
    assert rows["Price"].total_excerpts == 0  # only the withdrawn member's excerpt


def test_code_by_segment_csv_downloads_and_is_audited(coded, researcher_client, db):
    response = researcher_client.get(f"/research/codes/segments.csv?attribute={coded['age'].id}")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0][:4] == ["code", "18-24 excerpts", "18-24 members", "18-24 share"]
    assert ["Too expensive", "2", "2", "1.000"] == rows[[r[0] for r in rows].index("Too expensive")][:4]
    assert db.session.scalar(sa.select(AuditEvent).where(AuditEvent.verb == "codes.segment_export"))
    assert researcher_client.get("/research/codes/segments").status_code == 200
    assert researcher_client.get("/research/codes/segments.csv?attribute=999").status_code == 404


def test_refi_qda_export_validates_against_the_schema_and_round_trips(coded, researcher_client, db):
    response = researcher_client.get("/research/codes/project.qdpx")
    assert response.status_code == 200
    data = response.data
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        project = archive.read("project.qde")
        everything = b"".join(archive.read(name) for name in archive.namelist()).decode("utf-8")
    schema = etree.XMLSchema(etree.parse(str(SCHEMA)))
    document = etree.fromstring(project)
    assert schema.validate(document), schema.error_log
    codes, selections = refi_qda.read_qdpx(data)
    assert codes == {"Price": None, "Too expensive": "Price", "Texture": None}
    ann, bo, cy, _gone = coded["members"]
    found = sorted((s.code, s.text) for s in selections)
    assert found == sorted([("Too expensive", "price is too high"),
                            ("Too expensive", "I agree with [member], too pricey."),
                            ("Texture", "Worth it for the texture.\n\nReally smooth.")])
    assert not any(pseudonym(ann.id) in text for _code, text in found)  # a name in text links nobody
    for name in ("Ann Lee", "Bo Chan", "Cy Wu", "Dee Gone", "bo@x.test", "Price is fine for me"):
        assert name not in everything  # pseudonymised, scrubbed, withdrawn member left out
    assert pseudonym(bo.id) in everything and pseudonym(cy.id) in everything
    assert refi_qda.build_qdpx() != b"" and db.session.scalar(
        sa.select(AuditEvent).where(AuditEvent.verb == "codes.refi_export"))


def test_members_cannot_export_codes(member_client):
    assert member_client.get("/research/codes/project.qdpx").status_code == 403
    assert member_client.get("/research/codes/segments").status_code == 403


def test_code_segment_csv_before_any_segment_attribute_gives_each_codes_totals(researcher, researcher_client, db):
    coding.save_code(None, by=researcher, name="Scent", colour="#446688", description="", parent_id=None)
    db.session.commit()
    response = researcher_client.get("/research/codes/segments.csv")
    assert response.status_code == 200
    rows = response.data.decode("utf-8-sig").splitlines()
    assert rows[0] == "code,all excerpts,all members,all share" and rows[1].startswith("Scent,0,0,")
    assert researcher_client.get("/research/codes/segments.csv?attribute=987654").status_code == 404

"""Poll crosstabs: options x segment values with counts, column percentages and totals; CSV download."""
from __future__ import annotations

import csv
import io

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.db import utcnow
from app.polls.crosstabs import crosstab_csv, poll_crosstab


@pytest.fixture
def voted_poll(db, admin, poll_factory, user_factory):
    """Four counted voters (two 18-24, one 25-34, one without a value) and one who withdrew consent."""
    from app.polls import services as polls
    from app.segments import services as segments

    attribute = segments.save_attribute(None, by=admin, key="age_band", label="Age band", values=["18-24", "25-34"],
                                        member_editable=True)
    young, older = attribute.values
    poll = poll_factory(question="Which shade?", options=("Red", "Nude", "=1+1"), is_multiple=True, max_choices=2)
    red, nude, formula = poll.options
    for value, chosen in ((young, [red]), (young, [red, nude]), (older, [nude]), (None, [formula]),
                          (older, [red])):
        voter = user_factory()
        if value is not None:
            segments.set_values(voter, {attribute.id: value.id}, by=voter, source="member")
        polls.vote(poll, user=voter, option_ids=[o.id for o in chosen])
    voter.consent_withdrawn_at = utcnow()  # the last voter (25-34, Red) is not counted
    db.session.commit()
    return poll, attribute


def test_crosstab_counts_column_percentages_and_totals(voted_poll):
    poll, attribute = voted_poll
    table = poll_crosstab(poll, attribute)
    assert table.columns == ["18-24", "25-34", "not given"]
    assert table.voters == [2, 1, 1] and table.total_voters == 4
    assert [(row.option.text, row.cells, row.total, row.total_percent) for row in table.rows] == [
        ("Red", [(2, 100.0), (0, 0.0), (0, 0.0)], 2, 50.0),
        ("Nude", [(1, 50.0), (1, 100.0), (0, 0.0)], 2, 50.0),
        ("=1+1", [(0, 0.0), (0, 0.0), (1, 100.0)], 1, 25.0),
    ]
    assert table.votes == [3, 1, 1]


def test_crosstab_can_count_every_voter(voted_poll):
    poll, attribute = voted_poll
    table = poll_crosstab(poll, attribute, consenting_only=False)
    assert table.voters == [2, 2, 1] and table.rows[0].cells[1] == (1, 50.0)


def test_crosstab_csv_is_formula_safe(voted_poll):
    rows = list(csv.reader(io.StringIO(crosstab_csv(poll_crosstab(*voted_poll)))))
    assert rows[0] == ["Option", "18-24 n", "18-24 %", "25-34 n", "25-34 %", "not given n", "not given %",
                       "Total n", "Total %"]
    assert rows[1] == ["Red", "2", "100.0", "0", "0.0", "0", "0.0", "2", "50.0"]
    assert rows[3][0] == "'=1+1"
    assert rows[4] == ["Voters", "2", "", "1", "", "1", "", "4", ""]


def test_researcher_sees_the_crosstab_and_downloads_it_audited(voted_poll, researcher_client, db):
    poll, attribute = voted_poll
    listing = researcher_client.get("/research/polls")
    assert listing.status_code == 200 and b"Which shade?" in listing.data
    page = researcher_client.get(f"/research/polls/{poll.id}?attribute={attribute.id}")
    assert page.status_code == 200 and b"18-24" in page.data and b"(100.0%)" in page.data
    assert b"crosstab.csv" in page.data
    download = researcher_client.get(f"/research/polls/{poll.id}/crosstab.csv?attribute={attribute.id}")
    assert download.status_code == 200 and download.data.startswith(b"\xef\xbb\xbf")
    assert download.mimetype == "text/csv" and "attachment" in download.headers["Content-Disposition"]
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.verb == "poll.crosstab_export"))
    assert event is not None and event.after == {"attribute": "age_band"}


def test_unknown_attribute_is_explained_on_the_page_and_404s_as_csv(voted_poll, researcher_client):
    poll, _attribute = voted_poll
    page = researcher_client.get(f"/research/polls/{poll.id}?attribute=98765")
    assert page.status_code == 200 and b"does not exist" in page.data and b"Age band" in page.data
    assert researcher_client.get(f"/research/polls/{poll.id}/crosstab.csv?attribute=98765").status_code == 404
    assert researcher_client.get(f"/research/polls/{poll.id}?attribute=abc").status_code == 200


def test_without_segment_attributes_the_page_says_so(poll_factory, researcher_client):
    poll = poll_factory()
    page = researcher_client.get(f"/research/polls/{poll.id}")
    assert page.status_code == 200 and b"No segment attributes are defined yet" in page.data


@pytest.mark.parametrize("url", ["/research/polls", "/research/polls/1", "/research/polls/1/crosstab.csv"])
def test_members_and_hosts_cannot_reach_crosstabs(member_client, moderator_client, url):
    assert member_client.get(url).status_code == 403
    assert moderator_client.get(url).status_code == 403

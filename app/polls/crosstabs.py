"""Poll crosstabs: options x the values of a segment attribute, counts and column percentages, with totals."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _

from app.extensions import db
from app.members.models import User
from app.members.queries import taking_part_in_research
from app.polls.models import Ballot, BallotChoice, Poll, PollOption
from app.polls.services import percent
from app.segments.models import MemberSegment, SegmentAttribute, SegmentValue
from app.text.spreadsheet import neutralise


@dataclass
class CrosstabRow:
    option: PollOption
    cells: list[tuple[int, float]]  # per column: (votes, % of that column's voters)
    total: int  # votes from every voter
    total_percent: float  # % of all voters


@dataclass
class Crosstab:
    poll: Poll
    attribute: SegmentAttribute
    columns: list[str]  # the attribute's values, then "not given"
    voters: list[int]  # voters per column: the base of its percentages
    rows: list[CrosstabRow]
    total_voters: int

    @property
    def votes(self) -> list[int]:
        """Votes per column (above the voters when members may choose several options)."""
        return [sum(row.cells[i][0] for row in self.rows) for i in range(len(self.columns))]


def poll_crosstab(poll: Poll, attribute: SegmentAttribute, *, consenting_only: bool = True) -> Crosstab:
    """Count each option's votes per value of ``attribute``; members who withdrew consent are left out
    unless ``consenting_only`` is False (a voter without a value falls in the "not given" column)."""
    segment = (sa.select(MemberSegment.user_id, SegmentValue.value).join(SegmentValue)
               .where(MemberSegment.attribute_id == attribute.id).subquery())
    ballots = (sa.select(Ballot.id, segment.c.value).join(User, User.id == Ballot.user_id)
               .outerjoin(segment, segment.c.user_id == Ballot.user_id).where(Ballot.poll_id == poll.id))
    if consenting_only:
        ballots = ballots.where(taking_part_in_research())
    ballots = ballots.subquery()
    voters = dict(db.session.execute(sa.select(ballots.c.value, sa.func.count()).group_by(ballots.c.value)).all())
    counts = {(option_id, value): n for option_id, value, n in db.session.execute(
        sa.select(BallotChoice.option_id, ballots.c.value, sa.func.count())
        .join(ballots, ballots.c.id == BallotChoice.ballot_id).group_by(BallotChoice.option_id, ballots.c.value))}
    keys = [v.value for v in attribute.values] + [None]
    column_voters = [voters.get(key, 0) for key in keys]
    total_voters = sum(voters.values())
    rows = []
    for option in poll.options:
        cells = [(counts.get((option.id, key), 0), percent(counts.get((option.id, key), 0), column_voters[i]))
                 for i, key in enumerate(keys)]
        total = sum(n for n, _share in cells)
        rows.append(CrosstabRow(option, cells, total, percent(total, total_voters)))
    return Crosstab(poll, attribute, [v.value for v in attribute.values] + [_("not given")], column_voters, rows,
                    total_voters)


def crosstab_csv(table: Crosstab) -> str:
    """The crosstab as CSV text (UTF-8 with BOM when encoded by the caller), every cell formula-safe."""
    out = io.StringIO()
    writer = csv.writer(out)
    header = [_("Option")]
    for column in table.columns + [_("Total")]:
        header += [f"{column} n", f"{column} %"]
    rows = [header]
    for row in table.rows:
        line = [row.option.text]
        for votes, share in row.cells + [(row.total, row.total_percent)]:
            line += [votes, share]
        rows.append(line)
    base = [_("Voters")]
    for voters in table.voters + [table.total_voters]:
        base += [voters, ""]
    rows.append(base)
    for line in rows:
        writer.writerow([neutralise(cell) for cell in line])
    return out.getvalue()

"""A names book of given members (ids from 1 in order) and the label the name tests read replacements by."""
from __future__ import annotations

from app.research.member_names import MemberNames


def book_of(members: list[str]) -> MemberNames:
    names = MemberNames()
    for user_id, name in enumerate(members, start=1):
        names.add(user_id, name)
    return names


def angle_label(user_id: int | None) -> str:
    """<3> for member 3, <None> for a part several members share."""
    return f"<{user_id}>"

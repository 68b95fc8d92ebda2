"""What rows hold: uploads attached to a kind of row, per row, in their order."""
from __future__ import annotations

from itertools import count

from app.uploads.models import Upload
from app.uploads.services import attach, attached_to

_names = count()


def _uploads(db, owner, n: int) -> list[Upload]:
    made = [Upload(name=f"u{next(_names)}.jpg", owner_id=owner.id, content_type="image/jpeg", width=1, height=1,
                   size=1) for _ in range(n)]
    db.session.add_all(made)
    db.session.flush()
    return made


def test_attached_uploads_come_per_row_in_their_attached_order(db, member):
    first, second = _uploads(db, member, 3), _uploads(db, member, 1)
    attach(list(reversed(first)), kind="task_submission", target_id=7)
    attach(second, kind="task_submission", target_id=8)
    found = attached_to("task_submission", [7, 8, 9])
    assert found == {7: list(reversed(first)), 8: second}


def test_equal_positions_keep_the_upload_order(db, member):
    uploads = _uploads(db, member, 3)
    for upload in reversed(uploads):
        attach([upload], kind="competition_entry", target_id=5)  # each at position 0, as a replaced photo would be
    assert attached_to("competition_entry", [5]) == {5: uploads}


def test_other_kinds_replaced_uploads_and_other_rows_are_left_out(db, member):
    entry_photo, task_photo, replaced, elsewhere = _uploads(db, member, 4)
    attach([entry_photo], kind="competition_entry", target_id=3)
    attach([task_photo], kind="task_submission", target_id=3)
    attach([replaced], kind="competition_entry_replaced", target_id=3)
    attach([elsewhere], kind="competition_entry", target_id=4)
    assert attached_to("competition_entry", [3]) == {3: [entry_photo]}


def test_no_rows_or_rows_without_uploads_give_nothing(db, member):
    assert attached_to("task_submission", []) == {}
    assert attached_to("task_submission", [1, 2]) == {}

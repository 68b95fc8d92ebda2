"""Names in the forms the fourth independent check found surviving (tests/research/data/name_forms, written before
the rules and kept fixed):

- nicknames built from a display name that is no personal name (橙子/橙子姐 for 橙子酱, 糖糖 for 糖糖不吃糖, 胖纸 for
  一只小胖纸, 点点/雨点 for 小雨点点, 伟哥 for 伟仔, 雪姐 for 雪儿, CocoLi for Coco_Li, their pinyin);
- a member's email local part used as a name (naicha3, sunyue2000) and its letters;
- a surname left beside a replaced name (孙晓雯, Xiaowen.sun, Jenny Wang): the whole span goes;
- self-signatures at the end of a post ("—— 伟哥", "-- Coco"): removed;
- a consenting member's own short sentence that a withdrawn member once wrote too stays; long, distinctive copies go.

Each family's rows with expected == text are ham that must stay."""
from __future__ import annotations

import pytest

from app.research.member_names import MemberNames
from app.research.withdrawn_words import WithdrawnWords
from tests.research.name_books import angle_label, read_tsv

MEMBERS = read_tsv("members.tsv")
NICKNAMES = [(row["family"], row["text"], row["expected"]) for row in read_tsv("nicknames.tsv")]
SIGNATURES = [(row["text"].replace("\\n", "\n"), row["expected"].replace("\\n", "\n"))
              for row in read_tsv("signatures.tsv")]
OVERREACH = [(row["withdrawn_sentence"], row["other_text"], row["expected"]) for row in read_tsv("withdrawn_overreach.tsv")]


@pytest.fixture(scope="module")
def book() -> MemberNames:
    names = MemberNames()
    for row in MEMBERS:
        names.add(int(row["id"]), row["display_name"])
    for row in MEMBERS:
        names.add_email(int(row["id"]), row["email"])
    return names


def test_report(book, capsys):
    """Prints cases passing and ham damaged per family; the per-line tests below are what fail."""
    lines = []
    for family in ("nickname", "email_local", "residue", "ham"):
        rows = [(text, expected) for name, text, expected in NICKNAMES if name == family]
        right = sum(book.replace(text, angle_label) == expected for text, expected in rows)
        lines.append(f"{family}: {right}/{len(rows)}")
    right = sum(book.replace(book.drop_signature(text), angle_label) == expected for text, expected in SIGNATURES)
    lines.append(f"signature: {right}/{len(SIGNATURES)}")
    right = sum(WithdrawnWords([theirs]).remove(text) == expected for theirs, text, expected in OVERREACH)
    lines.append(f"withdrawn sentences: {right}/{len(OVERREACH)}")
    with capsys.disabled():
        print("\nname forms: " + "; ".join(lines))


@pytest.mark.parametrize("text, expected", [pytest.param(text, expected, id=f"{family}-{number}")
                                            for number, (family, text, expected) in enumerate(NICKNAMES, start=2)])
def test_every_form_of_a_name_is_replaced_and_ham_stays(book, text, expected):
    assert book.replace(text, angle_label) == expected


@pytest.mark.parametrize("text, expected", [pytest.param(text, expected, id=f"signature-{number}")
                                            for number, (text, expected) in enumerate(SIGNATURES, start=2)])
def test_a_self_signature_at_the_end_of_a_post_is_removed(book, text, expected):
    assert book.replace(book.drop_signature(text), angle_label) == expected


@pytest.mark.parametrize("theirs, text, expected", [pytest.param(*row, id=f"withdrawn-{number}")
                                                    for number, row in enumerate(OVERREACH, start=2)])
def test_only_distinctive_sentences_of_a_withdrawn_member_are_removed_from_others_text(theirs, text, expected):
    assert WithdrawnWords([theirs]).remove(text) == expected


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "jsonl", "docx"])
def test_an_export_carries_no_nickname_email_local_part_surname_or_signature(fmt, db, category_factory, user_factory,
                                                                             researcher):
    """Through the export itself: members named by nickname, by email local part, with their surname beside the
    name and in a signature leave every format; ordinary words the nicknames are built from stay."""
    from app.core.settings import set_setting
    from app.forum import services as forum
    from tests.research.test_reidentification import _export, _read

    set_setting("spam.hold_threshold", 1000)
    people = {row["display_name"]: user_factory(display_name=row["display_name"], email=row["email"])
              for row in MEMBERS}
    category = category_factory(name="护肤")
    thread = forum.start_thread(category, author=people["Jenny"], title="防晒推荐",
                                body="橙子姐说这个好用，我今天吃了三个橙子。naicha3 said it stings.")
    forum.reply(thread, author=people["晓雯"], body="同意胖纸的看法，As Xiaowen.sun said, patch test first.\n—— 伟哥")
    forum.reply(thread, author=people["伟仔"], body="孙晓雯说得对。谢谢雨点点\n-- Coco")
    db.session.commit()
    _columns, _rows, text = _read(fmt, _export(fmt, researcher))
    for form in ("橙子姐", "naicha3", "胖纸", "Xiaowen", ".sun", "伟哥", "孙", "雨点点", "Coco"):
        assert form not in text, form
    assert "吃了三个橙子" in text and "patch test first" in text

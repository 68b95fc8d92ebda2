"""Segment attributes: definitions, members' values, and the all-or-nothing CSV import (service and CLI)."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.core.exceptions import DomainError
from app.segments import services
from app.segments.models import MemberSegment, SegmentValue


@pytest.fixture
def attributes(db, admin):
    age = services.save_attribute(None, by=admin, key="age_band", label="Age band",
                                  values=["18-24", "25-34", "35-44"], member_editable=True)
    city = services.save_attribute(None, by=admin, key="city_tier", label="City tier", values=["Tier 1", "Tier 2"],
                                   member_editable=False, position=1)
    db.session.commit()
    return age, city


def _values(user) -> dict[str, str]:
    return services.segments_for([user.id]).get(user.id, {})


@pytest.mark.parametrize("key, values, field", [
    ("Age Band!", ["a"], "key"), ("email", ["a"], "key"), ("x", ["a"], "key"), ("age", [], "values"),
    ("age", ["a", "A"], "values"), ("age", ["a" * 81], "values")])
def test_attributes_need_a_clean_key_and_distinct_values(db, admin, key, values, field):
    with pytest.raises(DomainError) as error:
        services.save_attribute(None, by=admin, key=key, label="Age", values=values, member_editable=True)
    assert error.value.field == field


def test_keys_are_unique(attributes, admin):
    with pytest.raises(DomainError, match="Another attribute"):
        services.save_attribute(None, by=admin, key="age_band", label="Again", values=["x"], member_editable=True)


def test_a_value_members_hold_cannot_be_removed_but_others_can(attributes, member, admin, db):
    age, _city = attributes
    services.set_values(member, {age.id: age.values[0].id}, by=member, source="member")
    db.session.commit()
    with pytest.raises(DomainError, match="held by 1 member;"):
        services.save_attribute(age, by=admin, key="age_band", label="Age band", values=["25-34", "35-44"],
                                member_editable=True)
    db.session.rollback()
    services.save_attribute(age, by=admin, key="age_band", label="Age", values=["18-24", "25-34", "45+"],
                            member_editable=True)
    db.session.commit()
    assert [v.value for v in age.values] == ["18-24", "25-34", "45+"] and _values(member) == {"age_band": "18-24"}


def test_members_set_only_member_editable_attributes(attributes, member, admin, db):
    age, city = attributes
    assert services.set_values(member, {age.id: age.values[1].id}, by=member, source="member") == 1
    with pytest.raises(DomainError):
        services.set_values(member, {city.id: city.values[0].id}, by=member, source="member")
    with pytest.raises(DomainError):
        services.set_values(member, {age.id: city.values[0].id}, by=member, source="member")
    assert services.set_values(member, {city.id: city.values[0].id}, by=admin, source="admin") == 1
    assert services.set_values(member, {age.id: None}, by=member, source="member") == 1
    db.session.commit()
    assert _values(member) == {"city_tier": "Tier 1"}
    assert db.session.scalar(sa.select(AuditEvent.verb).where(AuditEvent.verb == "segment.set_member_values"))


def test_deleting_an_attribute_removes_its_values(attributes, member, admin, db):
    age, _city = attributes
    services.set_values(member, {age.id: age.values[0].id}, by=member, source="member")
    services.delete_attribute(age, by=admin)
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(MemberSegment)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SegmentValue)) == 2


def test_a_csv_import_sets_values_case_insensitively_and_leaves_empty_cells_alone(attributes, user_factory, db):
    anna = user_factory(email="anna@example.test")
    bo = user_factory(email="bo@example.test")
    age, _city = attributes
    services.set_values(bo, {age.id: age.values[2].id}, by=bo, source="member")
    data = "\ufeffEmail,age_band,CITY_TIER\r\nANNA@example.test,25-34,tier 2\r\nbo@example.test,,Tier 1\r\n\r\n"
    result = services.import_csv(data.encode("utf-8"), by=None)
    db.session.commit()
    assert result.errors == [] and (result.rows, result.changed) == (2, 3)
    assert _values(anna) == {"age_band": "25-34", "city_tier": "Tier 2"}
    assert _values(bo) == {"age_band": "35-44", "city_tier": "Tier 1"}


def test_an_import_with_any_error_applies_nothing_and_names_every_line(attributes, user_factory, db):
    user_factory(email="anna@example.test")
    data = ("email,age_band,city_tier\n"
            "anna@example.test,25-34,Tier 1\n"
            "ghost@example.test,25-34,Tier 1\n"
            "anna@example.test,18-24,\n"
            "\"bo,the,quoted\",99-100,Tier 9\n"
            "short\n")
    result = services.import_csv(data.encode(), by=None)
    db.session.commit()
    joined = "\n".join(result.errors)
    assert "Line 3: no member has the email “ghost@example.test”" in joined
    assert "Line 4: anna@example.test already appears on line 2" in joined
    assert "Line 5: no member" in joined and "Line 6: 1 cells, but the header has 3" in joined
    assert db.session.scalar(sa.select(sa.func.count()).select_from(MemberSegment)) == 0


def test_an_unknown_value_is_reported_with_line_column_and_choices(attributes, user_factory, db):
    user_factory(email="anna@example.test")
    result = services.import_csv(b"email,age_band\nanna@example.test,teen\n", by=None)
    assert result.errors == [("Line 2, column age_band: “teen” is not an allowed value (allowed: 18-24, 25-34, "
                              "35-44).")]


@pytest.mark.parametrize("data, message", [
    (b"mail,age_band\nx@y.test,18-24\n", "no “email” column"),
    (b"email,shoe_size\n", "unknown column “shoe_size”"),
    (b"email,age_band,age_band\n", "appears twice"),
    (b"", "The file is empty"),
    ("email,age_band\n".encode("utf-16"), "not UTF-8"),
    (b"email,age_band\nx\x00@y.test,18-24\n", "NUL"),
])
def test_a_malformed_file_is_refused_clearly(attributes, data, message):
    result = services.import_csv(data, by=None)
    assert any(message in error for error in result.errors), result.errors


def test_the_cli_imports_or_exits_non_zero_with_line_numbers(attributes, user_factory, runner, tmp_path, db):
    anna = user_factory(email="anna@example.test")
    good, bad = tmp_path / "good.csv", tmp_path / "bad.csv"
    good.write_text("email,age_band\nanna@example.test,18-24\n", encoding="utf-8")
    bad.write_text("email,age_band\nanna@example.test,25-34\nnobody@example.test,18-24\n", encoding="utf-8")
    result = runner.invoke(args=["members", "import-attributes", str(bad)])
    assert result.exit_code == 1
    assert "Line 3: no member has the email" in result.output and "Nothing was imported" in result.output
    db.session.expire_all()
    assert _values(anna) == {}
    result = runner.invoke(args=["members", "import-attributes", str(good)])
    assert result.exit_code == 0 and "Imported 1 rows: 1 values changed." in result.output
    db.session.expire_all()
    assert _values(anna) == {"age_band": "18-24"}
    assert runner.invoke(args=["members", "import-attributes", str(tmp_path / "missing.csv")]).exit_code == 2


def test_flask_members_help_describes_the_group_and_the_import_command(runner):
    result = runner.invoke(args=["members", "--help"])
    assert result.exit_code == 0
    assert "segment" in result.output.split("Options:")[0].lower()
    listed = result.output.split("Commands:")[1]
    assert "import-attributes" in listed and "CSV" in listed and "..." not in listed
    detail = runner.invoke(args=["members", "import-attributes", "--help"]).output
    assert "email column" in detail and "nothing is applied" in detail

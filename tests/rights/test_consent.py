"""Withdrawing from research and agreeing again: the ledger, the current state on the account, the page."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.auth import services as auth_services
from app.auth.models import ConsentEvent
from app.core.exceptions import DomainError
from app.members.models import User
from app.rights import consent

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def _kinds(db, user) -> list[tuple[str, int | None]]:
    return [(e.kind, e.consent_version) for e in consent.consent_history(user)]


def _verbs(db, user) -> list[str]:
    return list(db.session.scalars(sa.select(AuditEvent.verb).where(AuditEvent.actor_id == user.id)
                                   .order_by(AuditEvent.id)))


def test_registration_records_the_first_given_event(db, consent_factory):
    consent_factory()
    invitation, _token = auth_services.create_invitation("new@example.test", by=None)
    user = auth_services.accept_invitation(invitation, display_name="Newcomer", password="a long password",
                                           consent_version=1)
    db.session.commit()
    assert _kinds(db, user) == [("given", 1)]


def test_withdrawing_sets_the_state_and_records_an_event(db, member, consent_factory):
    consent_factory()
    consent.withdraw_consent(member, now=NOW)
    db.session.commit()
    assert db.session.get(User, member.id).consent_withdrawn_at == NOW
    assert _kinds(db, member) == [("withdrawn", 1)]
    assert _verbs(db, member) == ["consent.withdraw"]


def test_withdrawing_twice_is_refused(db, member, consent_factory):
    consent_factory()
    consent.withdraw_consent(member, now=NOW)
    with pytest.raises(DomainError):
        consent.withdraw_consent(member, now=NOW)


def test_reconsenting_to_the_current_text_clears_the_withdrawal(db, member, consent_factory):
    consent_factory()
    consent_factory(body="Version two of the consent text.")
    consent.withdraw_consent(member, now=NOW)
    later = NOW + timedelta(days=3)
    consent.give_consent_again(member, 2, now=later)
    db.session.commit()
    member = db.session.get(User, member.id)
    assert (member.consent_withdrawn_at, member.consent_version, member.consent_at) == (None, 2, later)
    assert _kinds(db, member) == [("withdrawn", 1), ("regiven", 2)]
    assert _verbs(db, member) == ["consent.withdraw", "consent.regiven"]


def test_reconsenting_to_an_outdated_version_is_refused(db, member, consent_factory):
    consent_factory()
    consent_factory(body="Version two of the consent text.")
    consent.withdraw_consent(member, now=NOW)
    with pytest.raises(DomainError):
        consent.give_consent_again(member, 1, now=NOW)
    assert member.consent_withdrawn_at == NOW


def test_member_who_never_agreed_gives_consent_for_the_first_time(db, user_factory, consent_factory):
    consent_factory()
    user = user_factory(consent=False)
    consent.give_consent_again(user, 1, now=NOW)
    assert _kinds(db, user) == [("given", 1)] and consent.is_taking_part(user)


def test_privacy_page_offers_withdrawal_then_reconsent(db, member, member_client, consent_factory):
    consent_factory()
    page = member_client.get("/settings/privacy/").get_data(as_text=True)
    assert "Withdraw from research" in page
    response = member_client.post("/settings/privacy/withdraw")
    assert response.status_code == 302
    page = member_client.get("/settings/privacy/").get_data(as_text=True)
    assert "You withdrew from research" in page and "Take part in research" in page
    response = member_client.post("/settings/privacy/consent", data={"version": "1", "agree": "y"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, member.id).consent_withdrawn_at is None


def test_reconsent_without_ticking_the_box_shows_an_error(db, member, member_client, consent_factory):
    consent_factory()
    consent.withdraw_consent(member, now=NOW)
    db.session.commit()
    response = member_client.post("/settings/privacy/consent", data={"version": "1"})
    assert response.status_code == 400 and "Tick the box to agree." in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, member.id).consent_withdrawn_at == NOW


def test_settings_links_to_the_privacy_page_in_chinese(db, user_factory, app, consent_factory):
    from tests.conftest import login_as

    consent_factory()
    user = user_factory()
    user.locale = "zh_Hans"
    db.session.commit()
    client = login_as(app.test_client(), user)
    assert "/settings/privacy/" in client.get("/settings").get_data(as_text=True)
    assert "退出研究" in client.get("/settings/privacy/").get_data(as_text=True)


@pytest.fixture
def csrf_on(app):
    app.config["WTF_CSRF_ENABLED"] = True
    yield
    app.config["WTF_CSRF_ENABLED"] = False


def test_withdrawal_without_a_csrf_token_changes_nothing(csrf_on, db, member, member_client, consent_factory):
    consent_factory()
    assert member_client.post("/settings/privacy/withdraw").status_code == 400
    db.session.expire_all()
    assert db.session.get(User, member.id).consent_withdrawn_at is None
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ConsentEvent)) == 0

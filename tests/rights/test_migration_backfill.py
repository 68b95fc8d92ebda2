"""Migration 0016: members who agreed before the ledger existed get their "given" (and "withdrawn") events."""
from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from app import create_app
from app.extensions import db
from tests.conftest import TEST_CONFIG
from tests.test_migrations import empty_database  # noqa: F401  (the fixture: a brand-new database)

AGREED = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
WITHDREW = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)


def test_upgrade_backfills_the_consent_ledger_from_the_accounts(empty_database):  # noqa: F811
    from app.auth.models import ConsentEvent
    from app.auth.services import create_user

    app = create_app({**TEST_CONFIG, "DATABASE_URL": empty_database})
    with app.app_context():
        upgrade()
        agreed = create_user("agreed@example.test", "Agreed Member", "a long enough password")
        withdrew = create_user("withdrew@example.test", "Withdrawn Member", "a long enough password")
        create_user("never@example.test", "Never Agreed", "a long enough password")
        agreed.consent_version, agreed.consent_at = 1, AGREED
        withdrew.consent_version, withdrew.consent_at, withdrew.consent_withdrawn_at = 1, AGREED, WITHDREW
        db.session.commit()
        ids = {agreed.id: "agreed", withdrew.id: "withdrew"}
        db.session.remove()
        downgrade(revision="0015_trust_boundaries")
        upgrade()
        rows = db.session.execute(sa.select(ConsentEvent.user_id, ConsentEvent.kind, ConsentEvent.consent_version,
                                            ConsentEvent.created_at)).all()
        assert sorted((ids[r.user_id], r.kind, r.consent_version, r.created_at) for r in rows) == [
            ("agreed", "given", 1, AGREED), ("withdrew", "given", 1, AGREED), ("withdrew", "withdrawn", 1, WITHDREW)]
        db.session.remove()
        db.engine.dispose()

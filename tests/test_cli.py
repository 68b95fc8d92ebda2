"""The command line: users, invites and quickstart, with clear errors and non-zero exits."""
from __future__ import annotations

import sqlalchemy as sa

from app import create_app
from app.members.models import User
from tests.conftest import TEST_CONFIG


def test_users_create_makes_an_admin(runner, db):
    result = runner.invoke(args=["users", "create", "boss@example.test", "--role", "admin", "--name", "Boss",
                                 "--password", "a long password"])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(sa.select(User.role).where(User.email == "boss@example.test")) == "admin"


def test_users_create_refuses_duplicates_and_weak_passwords(runner, member):
    duplicate = runner.invoke(args=["users", "create", member.email, "--name", "Dup", "--password", "a long password"])
    weak = runner.invoke(args=["users", "create", "w@example.test", "--name", "Weak", "--password", "short"])
    assert duplicate.exit_code == 1 and "Error:" in duplicate.output
    assert weak.exit_code == 1 and "at least 10" in weak.output


def test_users_set_role_and_suspend(runner, member, db):
    assert runner.invoke(args=["users", "set-role", member.email, "researcher"]).exit_code == 0
    assert runner.invoke(args=["users", "suspend", member.email, "--reason", "Spam"]).exit_code == 0
    db.session.expire_all()
    user = db.session.get(User, member.id)
    assert user.role == "researcher" and user.is_suspended and user.suspend_reason == "Spam"


def test_unknown_email_is_a_clear_error(runner):
    result = runner.invoke(args=["users", "set-role", "ghost@example.test", "admin"])
    assert result.exit_code == 1 and "no account with email ghost@example.test" in result.output


def test_invites_create_prints_a_working_link(runner, client, consent_factory):
    consent_factory()
    result = runner.invoke(args=["invites", "create", "cli@example.test"])
    assert result.exit_code == 0
    path = "/invite/" + result.output.strip().rsplit("/invite/", 1)[1]
    assert client.get(path).status_code == 200


def test_quickstart_prepares_instance_key_database_and_demo(tmp_path):
    app = create_app({**TEST_CONFIG, "SECRET_KEY": None, "DATABASE_URL": f"sqlite:///{tmp_path / 'qs.db'}",
                      "INSTANCE_PATH": str(tmp_path / "instance")})
    with app.app_context():  # the command must run against this app, not the suite's
        result = app.test_cli_runner().invoke(args=["quickstart", "--no-serve"])
        assert result.exit_code == 0, result.output
        assert (tmp_path / "instance" / "secret_key").exists(), result.output
        assert "admin@teahouse.test" in result.output
        from app.extensions import db
        from app.forum.models import Thread

        assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 16
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Thread)) >= 30
        _assert_demo_has_every_activity(db)
        db.engine.dispose()


def _assert_demo_has_every_activity(db) -> None:
    """A fresh quick start shows a task with an accepted answer, a poll with ballots, a competition with entries
    and votes, segment values for every member, and points earned for all of it."""
    from app.competitions.models import CompetitionEntry, CompetitionVote
    from app.points.models import PointEvent
    from app.polls.models import Ballot
    from app.segments.models import MemberSegment
    from app.tasks.models import TaskSubmission

    def count(model, *where):
        return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))

    assert count(TaskSubmission, TaskSubmission.status == "accepted") == 1
    assert count(Ballot) == 10 and count(CompetitionEntry) == 3 + 2 and count(CompetitionVote) == 6  # +2: the open one
    assert count(MemberSegment) == 12 * 3
    assert count(PointEvent) > 0

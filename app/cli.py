"""Command line: quickstart, users, invites, demo (flask --app wsgi <command>)."""
from __future__ import annotations

import logging
import secrets
import sys
import time
from pathlib import Path

import click
import sqlalchemy as sa
from flask import Flask, current_app
from flask.cli import AppGroup
from flask.logging import default_handler
from flask_migrate import upgrade
from werkzeug.serving import run_simple

from app.auth.services import create_invitation, create_user, find_user_by_email
from app.backup.cli import backup_cli
from app.core.exceptions import DomainError
from app.core.links import PublicUrlMissing, external_url
from app.demo.bulk import seed_bulk
from app.demo.community import DEMO_PASSWORD, seed_demo_community
from app.extensions import db
from app.i18n_cli import translate_cli
from app.jobs.cli import jobs_cli
from app.jobs.registry import get as get_job
from app.jobs.runner import Scheduler, run_job
from app.members.accounts import check_password_strength
from app.members.models import User
from app.members.services import set_role, suspend
from app.moderation.canned import seed_demo_replies
from app.research.cli import export_cli
from app.search.views import search_cli
from app.security.roles import Role

ROLE_CHOICE = click.Choice([r.value for r in Role])


def _fail(message: str) -> None:
    click.echo(f"Error: {message}", err=True)
    sys.exit(1)


def _user_or_fail(email: str):
    user = find_user_by_email(email)
    if user is None:
        _fail(f"no account with email {email}")
    return user


users_cli = AppGroup("users", help="Create accounts and change roles.")


@users_cli.command("create")
@click.argument("email")
@click.option("--role", type=ROLE_CHOICE, default=Role.MEMBER.value, show_default=True)
@click.option("--name", "display_name", required=True, help="Display name shown to other members.")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--persona", default=None, help="Host persona for moderators and admins.")
def users_create(email: str, role: str, display_name: str, password: str, persona: str | None) -> None:
    """Create an account directly (the first admin, or staff)."""
    try:
        check_password_strength(password)
        user = create_user(email, display_name, password, role=role, host_persona=persona)
    except DomainError as error:
        _fail(error.message)
    db.session.commit()
    click.echo(f"Created {user.role} {user.display_name} <{user.email}> (id {user.id}).")


@users_cli.command("set-role")
@click.argument("email")
@click.argument("role", type=ROLE_CHOICE)
@click.option("--persona", default=None)
def users_set_role(email: str, role: str, persona: str | None) -> None:
    """Change a member's role."""
    user = _user_or_fail(email)
    changed = set_role(user, role, by=None, host_persona=persona)
    db.session.commit()
    click.echo(f"{user.email} is now {user.role}." if changed else f"{user.email} already has that role.")


@users_cli.command("suspend")
@click.argument("email")
@click.option("--reason", required=True)
@click.option("--days", type=click.IntRange(min=0), default=0, help="0 means until lifted.")
def users_suspend(email: str, reason: str, days: int) -> None:
    """Suspend a member with a reason."""
    user = _user_or_fail(email)
    suspend(user, by=None, reason=reason, days=days or None)
    db.session.commit()
    click.echo(f"{user.email} is suspended.")


invites_cli = AppGroup("invites", help="Invite people.")


@invites_cli.command("create")
@click.argument("email")
@click.option("--role", type=ROLE_CHOICE, default=Role.MEMBER.value, show_default=True)
def invites_create(email: str, role: str) -> None:
    """Create an invitation and print its link."""
    try:
        _invitation, token = create_invitation(email, role=role, by=None)
        url = external_url("auth.accept_invite", token=token)
    except (DomainError, PublicUrlMissing) as error:
        _fail(getattr(error, "message", str(error)))
    db.session.commit()
    click.echo(url)


demo_cli = AppGroup("demo", help="Demo and benchmark data.")


@demo_cli.command("seed")
@click.option("--members", type=click.IntRange(min=1), default=200, show_default=True)
@click.option("--threads", type=click.IntRange(min=1), default=1000, show_default=True)
@click.option("--posts", type=click.IntRange(min=1), default=20000, show_default=True)
@click.option("--seed", type=int, default=1, show_default=True)
def demo_seed(members: int, threads: int, posts: int, seed: int) -> None:
    """Bulk synthetic data (mixed English/Chinese) for benchmarks."""
    if posts < threads:
        _fail("--posts must be at least --threads (every thread has an opening post)")
    started = time.perf_counter()
    counts = seed_bulk(members=members, threads=threads, posts=posts, seed=seed,
                       progress=lambda msg: click.echo(msg))
    seed_demo_replies()  # a few shared canned replies, English and Chinese
    db.session.commit()
    click.echo(f"Seeded {counts['members']} members, {counts['threads']} threads, {counts['posts']} posts, "
               f"{counts['reactions']} reactions in {time.perf_counter() - started:.1f} s.")


@click.command("quickstart")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=int, default=5000, show_default=True)
@click.option("--no-demo", is_flag=True, help="Do not seed the demo community.")
@click.option("--no-serve", is_flag=True, hidden=True, help="Prepare only (used by tests).")
def quickstart(host: str, port: int, no_demo: bool, no_serve: bool) -> None:
    """Create instance/, a dev secret key, the database and a demo community, then serve."""
    app = current_app._get_current_object()
    # Links in the emails (invitations, resets) point at this server unless a public address is configured.
    app.config["PUBLIC_URL"] = app.config.get("PUBLIC_URL") or f"http://{host}:{port}"
    instance = Path(app.instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    if not app.config.get("SECRET_KEY"):
        key_file = instance / "secret_key"
        key_file.write_text(secrets.token_urlsafe(48))
        key_file.chmod(0o600)
        app.config["SECRET_KEY"] = key_file.read_text().strip()
        click.echo(f"Wrote a development secret key to {key_file}.")
    upgrade()
    if not no_demo and db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0:
        logins = seed_demo_community()
        db.session.commit()
        run_job(get_job("refresh_hot"), trigger="manual")  # the landing page has panels from the start
        click.echo(f"Demo community ready. Log in with any of these (password: {DEMO_PASSWORD}):")
        for role, email in logins:
            click.echo(f"  {role:<11} {email}")
    if no_serve:
        return
    _serve(app, host, port)


def _serve(app: Flask, host: str, port: int) -> None:
    """Serve with Werkzeug and run the scheduler in-process (the single-machine default)."""
    logging.getLogger("teahouse.jobs").setLevel(logging.INFO)
    if not app.config.get("MAIL_SERVER"):  # mail goes nowhere: show each message (and its links) on the console
        click.echo("No mail server is configured: emails are printed here and kept in instance/outbox/.")
        mail_log = logging.getLogger("teahouse.mail")  # the send_mail job prints account emails there
        mail_log.setLevel(logging.INFO)
        if not mail_log.handlers:
            mail_log.addHandler(default_handler)
    scheduler = Scheduler(app, blocking=False)  # holds the same lease as `flask jobs run`
    scheduler.start()
    click.echo(f"Teahouse is running on http://{host}:{port}/ (Ctrl+C to stop); scheduler {scheduler.holder}")
    try:
        run_simple(host, port, app, threaded=True, use_reloader=False)
    finally:
        scheduler.shutdown()


def register(app: Flask) -> None:
    for group in (jobs_cli, export_cli, translate_cli, search_cli, backup_cli):
        app.cli.add_command(group)
    for command in (users_cli, invites_cli, demo_cli, quickstart):
        app.cli.add_command(command)

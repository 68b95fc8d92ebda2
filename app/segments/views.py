"""Members choose their own segment values on the settings page; `flask members import-attributes FILE.csv`."""
from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.core.forms import attempt
from app.extensions import db
from app.members.forms import PasswordForm, SettingsForm
from app.segments import services
from app.segments.forms import chosen_values, values_form

# The CLI commands join the `flask members ...` group.
bp = Blueprint("segments", __name__, cli_group="members")
bp.cli.help = "Members' segment attributes (age band, city tier, ...): import their values from a CSV file."


def my_segment_form():
    """The settings page's "About you" form (a Jinja global): member-editable attributes, current values."""
    editable = [a for a in services.attributes() if a.member_editable]
    return values_form(editable, services.values_of(current_user)) if editable else None


@bp.route("/settings/segments", methods=["POST"])
def my_segments():
    """Save the member's own answers to the segment questions."""
    form = my_segment_form()
    if form is None:
        return redirect(url_for("members.settings"))
    if form.validate_on_submit() and attempt(
            lambda: services.set_values(current_user, chosen_values(form), by=current_user, source="member"), form):
        flash(_("Thank you, your answers are saved."), "success")
        return redirect(url_for("members.settings"))
    return render_template("members/settings.html", form=SettingsForm(obj=current_user, formdata=None),
                           password_form=PasswordForm(formdata=None), segment_form=form)


@bp.cli.command("import-attributes", short_help="Import members' segment values from a CSV file.")
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_attributes(csv_file: Path) -> None:
    """Set members' segment values from a CSV: an email column and one column per attribute key.

    Every line is checked first; with any error (unknown email, column or value) nothing is applied and the
    command exits with status 1. Empty cells leave a member's value unchanged.
    """
    result = services.import_csv(csv_file.read_bytes(), by=None)
    if result.errors:
        db.session.rollback()
        for message in result.errors[:services.MAX_IMPORT_ERRORS]:
            click.echo(f"Error: {message}", err=True)
        if len(result.errors) > services.MAX_IMPORT_ERRORS:
            click.echo(f"... and {len(result.errors) - services.MAX_IMPORT_ERRORS} more errors.", err=True)
        click.echo("Nothing was imported.", err=True)
        sys.exit(1)
    db.session.commit()
    click.echo(f"Imported {result.rows} rows: {result.changed} values changed.")

"""`flask translate extract | update | compile | check`: keep the zh_Hans catalogue complete.

Adding a user-facing string:
  1. wrap it: `_("...")` / `_l("...")` in Python, `{{ _('...') }}` in templates;
  2. `flask --app wsgi translate update` (extracts and merges into zh_Hans/LC_MESSAGES/messages.po);
  3. translate the new empty entries in that .po file (keep %(name)s placeholders);
  4. `flask --app wsgi translate compile`, and run the tests: tests/test_i18n.py fails on anything missing.
"""
from __future__ import annotations

import io
import sys
from pathlib import Path

import click
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po
from flask.cli import AppGroup

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = Path(__file__).resolve().parent / "translations"
LOCALES = ("zh_Hans",)
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None}
METHODS = [("app/**.py", "python"), ("templates/**.html", "jinja2"), ("templates/**.txt", "jinja2")]

translate_cli = AppGroup("translate", help="Extract, merge, compile and check translations.")


def _wanted_directory(dirpath: str) -> bool:
    # Babel skips folders starting with "_" by default; our templates/_partials and _macros need reading.
    name = Path(dirpath).name
    return not name.startswith(".") and name not in {"__pycache__", "node_modules", "instance"}


def extract_catalog() -> Catalog:
    """Every translatable message in app/ and templates/."""
    catalog = Catalog(project="Teahouse", fuzzy=False)
    options = {"templates/**.html": {"extensions": "jinja2.ext.i18n"}, "templates/**.txt": {"extensions": "jinja2.ext.i18n"}}
    for filename, lineno, message, comments, context in extract_from_dir(
            str(ROOT), METHODS, options_map=options, keywords=KEYWORDS, strip_comment_tags=True,
            directory_filter=_wanted_directory):
        if not filename.startswith(("app/", "templates/")):
            continue
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalog


def po_path(locale: str) -> Path:
    return TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po"


def read_catalog(locale: str) -> Catalog:
    with po_path(locale).open("rb") as handle:
        return read_po(handle, locale=locale)


def problems(locale: str) -> list[str]:
    """Messages in the source that the locale lacks, leaves empty or marks fuzzy; and a stale .mo."""
    template, found = extract_catalog(), []
    catalog = read_catalog(locale)
    for message in template:
        if not message.id:
            continue
        translated = catalog.get(message.id)
        strings = translated and (translated.string if isinstance(translated.string, (list, tuple))
                                  else [translated.string])
        if translated is None or not all(strings):
            found.append(f"missing: {message.id!r}")
        elif translated.fuzzy:
            found.append(f"fuzzy: {message.id!r}")
    mo = po_path(locale).with_suffix(".mo")
    if not mo.exists() or mo.read_bytes() != compiled(catalog):
        found.append(f"{mo.relative_to(ROOT)} is out of date: run `flask --app wsgi translate compile`")
    return found


def compiled(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


@translate_cli.command("extract")
def extract() -> None:
    """Write app/translations/messages.pot."""
    with (TRANSLATIONS / "messages.pot").open("wb") as handle:
        write_po(handle, extract_catalog(), omit_header=True, sort_output=True, no_location=True)
    click.echo("wrote app/translations/messages.pot")


@translate_cli.command("update")
def update() -> None:
    """Merge the source's messages into every locale's .po (new entries come in empty)."""
    template = extract_catalog()
    for locale in LOCALES:
        path = po_path(locale)
        path.parent.mkdir(parents=True, exist_ok=True)
        catalog = read_catalog(locale) if path.exists() else Catalog(locale=locale)
        catalog.update(template, no_fuzzy_matching=True)
        with path.open("wb") as handle:
            write_po(handle, catalog, sort_output=True, no_location=True, ignore_obsolete=True)
        empty = sum(1 for m in catalog if m.id and not m.string)
        click.echo(f"{locale}: {len(catalog)} messages, {empty} to translate")


@translate_cli.command("compile")
def compile_() -> None:
    """Compile every locale's .po to .mo."""
    for locale in LOCALES:
        po_path(locale).with_suffix(".mo").write_bytes(compiled(read_catalog(locale)))
        click.echo(f"{locale}: compiled")


@translate_cli.command("check")
def check() -> None:
    """Exit non-zero listing anything untranslated, fuzzy or not compiled."""
    failures = [f"{locale}: {p}" for locale in LOCALES for p in problems(locale)]
    for line in failures:
        click.echo(line, err=True)
    if failures:
        sys.exit(1)
    click.echo("translations complete")

"""The search page: full-text over posts members can see, with filters and highlighted snippets."""
from __future__ import annotations

import click
from flask import Blueprint, current_app, render_template, request
from flask.cli import AppGroup
from flask_babel import lazy_gettext as _l

from app.core.fragments import LRU, fragment
from app.core.params import day_arg, id_arg
from app.extensions import db, limiter
from app.forum.queries import category_names
from app.search import services
from app.search.index import reindex

bp = Blueprint("search", __name__)
_kept = LRU(1024)
ORDER_LABELS = {services.NEWEST: _l("Newest first"), services.BEST: _l("Best match")}
search_cli = AppGroup("search", help="The full-text index.")


def _search_limit() -> str:
    return current_app.config["SEARCH_RATE_LIMIT"]


@bp.route("/search")
@limiter.limit(_search_limit)
def results():
    """Search titles and posts; every word must match (Chinese words are found inside sentences)."""
    q = (request.args.get("q") or "").strip()[:200]
    page = services.page_in_range(request.args.get("page", type=int))
    category = id_arg("category")
    author = (request.args.get("author") or "").strip()[:40]
    order = request.args.get("order") if request.args.get("order") in services.ORDERS else services.NEWEST
    hits, more = (services.search(q, category_id=category, author=author or None, start=day_arg("from"),
                                  end=day_arg("to", end=True), page=page, order=order) if q else ([], False))
    categories = category_names()
    orders = [(value, str(label)) for value, label in ORDER_LABELS.items()]
    # The form and the hits are the same for every member (published posts only): rendered once per what they show.
    shown = (q, category, author, order, request.args.get("from", ""), request.args.get("to", ""),
             tuple(categories), tuple(orders))
    form_html = fragment("search/_form.html", shown, kept_in=_kept, q=q, categories=categories, category=category,
                         author=author, orders=orders, order=order, request=request)
    hits_html = fragment("search/_hits.html", (q, tuple(hits)), kept_in=_kept, q=q, hits=hits) if q else ""
    return render_template("search/results.html", q=q, hits=hits, hits_html=hits_html, form_html=form_html,
                           more=more, page=page, last_page=services.LAST_PAGE)


@search_cli.command("reindex")
def reindex_command() -> None:
    """Rebuild the full-text index from every post."""
    total = reindex(progress=lambda done: click.echo(f"\r{done} posts", nl=False, err=True))
    db.session.commit()
    click.echo(f"\nIndexed {total} posts.")

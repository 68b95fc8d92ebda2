"""The researchers' area (observers): an overview of what the community has said so far."""
from __future__ import annotations

from flask import Blueprint, Response, abort, flash, jsonify, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from app import audit
from app.core.exceptions import DomainError
from app.core.forms import ConfirmForm, attempt, choices, show_domain_error
from app.core.params import day_arg, id_arg
from app.db import utcnow
from app.extensions import db, limiter, member_key
from app.forum.models import Post
from app.forum.queries import categories_in_order
from app.polls.crosstabs import crosstab_csv
from app.polls.crosstabs import poll_crosstab as crosstab
from app.polls.models import Poll
from app.research import code_tables, coding, exports, queries, refi_qda, term_dictionary, terms
from app.research.forms import ApplyCodeForm, CodeForm, ExportForm, MergeTermsForm, StopWordForm, TermForm
from app.research.influence import PERIODS, koc_shortlist, period_days
from app.research.models import Code, CodedExcerpt, ExportRun, Term
from app.research.transcript_filter import TranscriptFilter, parse_segment_options
from app.research.writers import FORMATS
from app.security.guards import guard_area
from app.security.roles import Permission
from app.segments.services import attributes
from app.text.markup import html_to_text

bp = Blueprint("research", __name__, url_prefix="/research")
guard_area(bp, Permission.RESEARCH)


@bp.route("/")
def overview():
    """Per-category volumes and the members who consented to research."""
    return render_template("research/overview.html", rows=queries.category_volumes(),
                           consenting=queries.consenting_count())


def _export_form():
    form = ExportForm()
    form.categories.choices = choices((c.id, c.name) for c in categories_in_order())
    form.segments.choices = [SelectChoice(f"{a.key}={v.value}", v.value, optgroup=a.label)
                             for a in attributes() for v in a.values]
    form.code_ids.choices = choices((c.id, c.name) for c in queries.codes_by_name())
    return form


def _spec_from_form(form):
    """The export filter the researcher chose (segment values are "key=value" choices)."""
    return TranscriptFilter(
        category_ids=form.categories.data or [], thread_ids=form.thread_id_list(),
        date_from=form.date_from.data.isoformat() if form.date_from.data else None,
        date_to=form.date_to.data.isoformat() if form.date_to.data else None,
        include_posts=form.include_posts.data, include_tasks=form.include_tasks.data,
        include_polls=form.include_polls.data, include_competitions=form.include_competitions.data,
        include_hosts=form.include_hosts.data, include_moderated=form.include_moderated.data,
        identity=form.identity.data, quotes=form.quotes.data, scrub=form.scrub.data, code_ids=form.code_ids.data or [],
        segments=parse_segment_options(form.segments.data or []))


@bp.route("/exports", methods=["GET", "POST"])
@limiter.limit("20 per hour", methods=["POST"], key_func=member_key)
def export_list():
    """Start a transcript export and see earlier ones with their status."""
    form = _export_form()
    if form.validate_on_submit():
        try:
            spec = _spec_from_form(form)
            run = exports.queue_export(spec, form.format.data, by=current_user)
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
        else:
            db.session.commit()
            if run.counted_rows <= exports.SMALL_EXPORT_ROWS:
                exports.execute_export(run)  # small: done before the page loads
            return redirect(url_for("research.export_detail", run_id=run.id))
    return render_template("research/export_list.html", form=form, runs=queries.recent_exports(),
                           withdrawn=queries.withdrawn_count())


@bp.route("/exports/<int:run_id>")
def export_detail(run_id: int):
    """An export's progress (updated live by a small script) and its download link when done."""
    run = db.get_or_404(ExportRun, run_id)
    return render_template("research/export_detail.html", run=run)


@bp.route("/exports/<int:run_id>/status")
def export_status(run_id: int):
    """JSON progress for the live progress bar."""
    run = db.get_or_404(ExportRun, run_id)
    return jsonify(status=run.status, status_label=run.status_label, progress=run.progress, rows=run.row_count, total=run.total_rows,
                   error=run.error if run.status == "failed" else None,
                   download=url_for("research.export_download", run_id=run.id) if run.status == "done" else None)


@bp.route("/exports/<int:run_id>/download")
def export_download(run_id: int):
    """The export file (kept for 7 days)."""
    run = db.get_or_404(ExportRun, run_id)
    path = exports.file_path(run)
    if path is None:
        abort(404)
    audit.record(current_user, "export.download", run)
    db.session.commit()
    return send_file(path, mimetype=FORMATS[run.format], as_attachment=True,
                     download_name=f"teahouse-transcript-{run.id}.{run.format}")


def _code_choices(*, with_none: bool, exclude: int | None = None) -> list:
    pairs = [(c.id, c.name) for c in queries.active_codes() if c.id != exclude]
    return choices(([(0, "—")] if with_none else []) + pairs)


@bp.route("/codes", methods=["GET", "POST"])
@bp.route("/codes/<int:code_id>/edit", methods=["GET", "POST"])
def code_book(code_id: int | None = None):
    """The code book: every code with its excerpt count; create or edit a code."""
    code = db.get_or_404(Code, code_id) if code_id else None
    form = CodeForm(obj=code)
    form.parent_id.choices = _code_choices(with_none=True, exclude=code_id)
    if form.validate_on_submit() and attempt(lambda: coding.save_code(
            code, by=current_user, name=form.name.data or "", colour=form.colour.data,
            description=form.description.data, parent_id=form.parent_id.data or None), form):
        return redirect(url_for("research.code_book"))
    codes, counts = queries.code_book()
    return render_template("research/code_book.html", form=form, codes=codes, counts=counts, code=code)


@bp.route("/codes/<int:code_id>")
def code_excerpts(code_id: int):
    """Coded excerpts for one code, with the post they come from."""
    code = db.get_or_404(Code, code_id)
    excerpts = queries.excerpts_of(code)
    return render_template("research/code_excerpts.html", code=code, excerpts=excerpts,
                           contexts=code_tables.excerpt_contexts(excerpts, attributes()))


@bp.route("/codes/project.qdpx")
def refi_export():
    """The code book, coded excerpts and their threads' transcripts as a REFI-QDA project (audited)."""
    body = refi_qda.build_qdpx()
    audit.record(current_user, "codes.refi_export", None)
    db.session.commit()
    response = Response(body, mimetype="application/zip")
    response.headers["Content-Disposition"] = 'attachment; filename="teahouse-codes.qdpx"'
    return response


@bp.route("/codes/segments")
def code_segments():
    """Codes crossed with a segment attribute's values: excerpts and the share of members."""
    everything, attribute, unknown = _crosstab_attribute()
    table = code_tables.code_segment_table(attribute) if attribute else None
    return render_template("research/code_segments.html", attributes=everything, attribute=attribute, table=table,
                           unknown=unknown)


@bp.route("/codes/segments.csv")
def code_segments_csv():
    """The code x segment table as a formula-safe CSV download (audited)."""
    _everything, attribute, unknown = _crosstab_attribute()
    if unknown:
        abort(404)
    # Before any segment attribute exists, the download holds each code's totals only.
    body = code_tables.code_segment_csv(code_tables.code_segment_table(attribute))
    key = attribute.key if attribute is not None else "all"
    audit.record(current_user, "codes.segment_export", None, after={"attribute": key})
    db.session.commit()
    response = Response(body.encode("utf-8-sig"), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="codes-{key}.csv"'
    return response


@bp.route("/codes/<int:code_id>/archive", methods=["POST"])
def code_archive(code_id: int):
    """Archive a code (its excerpts stay)."""
    code = db.get_or_404(Code, code_id)
    if ConfirmForm().validate_on_submit() and coding.archive_code(code, by=current_user):
        db.session.commit()
    return redirect(url_for("research.code_book"))


@bp.route("/posts/<int:post_id>/code", methods=["GET", "POST"])
def post_code(post_id: int):
    """Apply a code to a post or a passage of it, with a memo."""
    post = db.get_or_404(Post, post_id)
    form = ApplyCodeForm()
    form.code_id.choices = _code_choices(with_none=False)
    if not form.is_submitted():
        form.excerpt.data = html_to_text(post.body_html)
    if form.validate_on_submit():
        code = db.session.get(Code, form.code_id.data)

        def apply_chosen_code() -> None:
            if code is None:
                raise DomainError(_("Choose a code."), "code_id")
            coding.apply_code(post, code, by=current_user, excerpt=form.excerpt.data, memo=form.memo.data)

        if attempt(apply_chosen_code, form):
            return redirect(url_for("research.post_code", post_id=post.id))
    return render_template("research/post_code.html", post=post, form=form, existing=queries.excerpts_of_post(post))


@bp.route("/excerpts/<int:excerpt_id>/delete", methods=["POST"])
def excerpt_delete(excerpt_id: int):
    """Remove a coded excerpt (audited)."""
    coded = db.get_or_404(CodedExcerpt, excerpt_id)
    post_id = coded.post_id
    if ConfirmForm().validate_on_submit():
        coding.remove_excerpt(coded, by=current_user)
        db.session.commit()
    return redirect(url_for("research.post_code", post_id=post_id))


@bp.route("/koc")
def koc():
    """The KOC shortlist: who starts and carries conversations."""
    days = period_days(request.args.get("days", type=int))
    return render_template("research/koc.html", ranking=koc_shortlist(utcnow(), days=days), days=days,
                           periods=PERIODS, koc_endpoint="research.koc")


@bp.route("/words")
def words():
    """Word frequency (posts and distinct authors, with a word cloud) and the emerging terms of the last days."""
    category = id_arg("category")
    days = request.args.get("days", 7, type=int)
    days = days if days in (3, 7, 14, 30) else 7
    filters = {"category_ids": [category] if category else None}
    counts, posts = terms.term_counts(start=day_arg("from"), end=day_arg("to", end=True), **filters)
    report = terms.emerging_report(utcnow(), days=days, **filters)
    return render_template("research/words.html", counts=counts[:100], posts=posts, report=report,
                           cloud=terms.word_cloud([(c.term, c.authors) for c in counts[:100]]),
                           sparkline=terms.sparkline, categories=categories_in_order(), category=category, days=days,
                           max_posts=term_dictionary.MAX_POSTS)


def _terms_page(**forms):
    status = request.args.get("status")
    words, edits = term_dictionary.stop_word_view()
    forms = {"term_form": TermForm(prefix="add"), "merge_form": MergeTermsForm(prefix="merge"),
             "stop_form": StopWordForm(prefix="stop"), **forms}
    return render_template("research/terms.html", terms=term_dictionary.dictionary_terms(status), status=status,
                           statuses=term_dictionary.STATUSES, stop_words=words, edits=edits, **forms)


@bp.route("/terms")
def term_list():
    """The community's term dictionary and the stop words: add, merge, block; discover now."""
    return _terms_page()


@bp.route("/terms/add", methods=["POST"])
def term_add():
    """Add a term (audited)."""
    form = TermForm(prefix="add")
    if form.validate_on_submit() and attempt(lambda: term_dictionary.add_term(form.term.data or "", by=current_user),
                                             form):
        return redirect(url_for("research.term_list"))
    return _terms_page(term_form=form), 400


@bp.route("/terms/merge", methods=["POST"])
def term_merge():
    """Count one term as another (audited)."""
    form = MergeTermsForm(prefix="merge")
    if form.validate_on_submit() and attempt(lambda: term_dictionary.merge_by_text(
            form.variant.data or "", form.into.data or "", by=current_user), form):
        return redirect(url_for("research.term_list"))
    return _terms_page(merge_form=form), 400


@bp.route("/terms/<int:term_id>/block", methods=["POST"])
@bp.route("/terms/<int:term_id>/unblock", methods=["POST"], endpoint="term_unblock")
def term_block(term_id: int):
    """Block a term, or unblock it (audited)."""
    term = db.get_or_404(Term, term_id)
    blocked = request.endpoint == "research.term_block"
    if ConfirmForm().validate_on_submit():
        attempt(lambda: term_dictionary.set_blocked(term, blocked, by=current_user))
    return redirect(url_for("research.term_list"))


@bp.route("/terms/discover", methods=["POST"])
def term_discover():
    """Run the discovery now instead of waiting for the scheduled job (audited)."""
    if ConfirmForm().validate_on_submit():
        outcome = attempt(lambda: term_dictionary.discover_now(utcnow(), by=current_user))
        if outcome:
            flash(_("Discovery finished."), "success")
    return redirect(url_for("research.term_list"))


@bp.route("/stop-words", methods=["POST"])
def stop_word_edit():
    """Add a stop word or take one out (audited)."""
    form = StopWordForm(prefix="stop")
    if form.validate_on_submit() and attempt(lambda: term_dictionary.set_stop_word(
            form.word.data or "", form.action.data == "add", by=current_user), form):
        return redirect(url_for("research.term_list"))
    return _terms_page(stop_form=form), 400


@bp.route("/polls")
def poll_list():
    """Published polls with their voters, each leading to its crosstab."""
    return render_template("research/poll_list.html", polls=queries.published_polls())


def _crosstab_attribute():
    """Every segment attribute, the one named by ?attribute= (else the first), and whether the named one is unknown."""
    everything = attributes()
    chosen = request.args.get("attribute", type=int)
    attribute = next((a for a in everything if a.id == chosen), None)
    unknown = "attribute" in request.args and attribute is None
    return everything, attribute or (everything[0] if everything else None), unknown


@bp.route("/polls/<int:poll_id>")
def poll_crosstab(poll_id: int):
    """A poll's options crossed with a segment attribute's values: counts, column percentages and totals."""
    poll = db.get_or_404(Poll, poll_id)
    everything, attribute, unknown = _crosstab_attribute()
    table = crosstab(poll, attribute) if attribute else None
    return render_template("research/poll_crosstab.html", poll=poll, attributes=everything, attribute=attribute,
                           table=table, unknown=unknown)


@bp.route("/polls/<int:poll_id>/crosstab.csv")
def poll_crosstab_csv(poll_id: int):
    """The crosstab as a formula-safe CSV download (audited)."""
    poll = db.get_or_404(Poll, poll_id)
    _everything, attribute, unknown = _crosstab_attribute()
    if attribute is None or unknown:
        abort(404)
    body = crosstab_csv(crosstab(poll, attribute))
    audit.record(current_user, "poll.crosstab_export", poll, after={"attribute": attribute.key})
    db.session.commit()
    response = Response(body.encode("utf-8-sig"), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="poll-{poll.id}-{attribute.key}.csv"'
    return response

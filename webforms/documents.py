"""Pages shared by every document kind: list, create, view, edit, act, download.

Views are thin: the form schema validates, ``workflows.documents`` acts, the one loader
``document_or_404`` scopes every lookup to the user's organization.
"""

from __future__ import annotations

from datetime import date

from flask import (
    Blueprint,
    Flask,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from sqlalchemy import select

from signatures import simple
from storage.archive import files_of
from storage.blobs import blobs
from storage.db import db_session
from storage.models import AuditEntry, Document, StoredFile
from webforms import create_tokens, display, forms, references
from webforms.access import (
    check_may_author,
    document_or_404,
    people_choices,
    visible_documents,
)
from webforms.auth import current_org_id, current_roles, local_path, user
from webforms.converters import form_version
from webforms.filenames import send_download
from webforms.input_guard import checks_own_fields
from workflows import documents, jobs, routes
from workflows.errors import NastavnikError, QueueUnavailable, RuleViolation, ValidationError
from workflows.filing import file_name
from workflows.kinds import all_kinds, get_kind
from workflows.lifecycle import AUTHORS, TRANSITIONS
from workflows.rendering import render_document
from workflows.states import EDITABLE_STATES, DocState

bp = Blueprint("documents", __name__)


@bp.get("/")
def index():
    state = request.args.get("state", "")
    states = [DocState(state)] if state in DocState.__members__.values() else []
    docs = visible_documents(states=states)
    return render_template("documents/index.html", docs=docs, state=state, DocState=DocState)


@bp.get("/documents/new")
def choose_kind():
    check_may_author()
    kinds = [k for k in all_kinds() if k.name in forms.FORMS]
    return render_template("documents/choose.html", kinds=kinds)


@bp.route("/documents/new/<kind>", methods=["GET", "POST"])
@checks_own_fields
def create(kind: str):
    k = get_kind(kind)
    check_may_author()
    schema = forms.form_for(kind)
    values = _defaults(schema)
    errors: dict[str, list[str]] = {}
    status = 200
    token = create_tokens.new_token()
    if request.method == "POST":
        values = forms.from_request_form(kind, request.form)
        token = create_tokens.form_token() or token
        try:
            data = forms.validate(kind, values)
            check_may_author(data)
            doc, created = create_tokens.create_once(
                db_session(), token=token, organization_id=current_org_id(), kind=kind,
                data=data, author=user())
            flash("Черновик документа создан." if created else
                  "Форма отправлена повторно: черновик уже создан, вот он.", "success")
            return redirect(url_for("documents.show", doc_id=doc.id))
        except NastavnikError as exc:  # any refusal: the form again, with what was typed
            db_session().rollback()
            errors, status = _refusal(exc)
    return _form_page(k, schema, values, errors, doc=None, create_token=token, status=status)


@bp.route("/documents/<int:doc_id>/edit", methods=["GET", "POST"])
@checks_own_fields
def edit(doc_id: int):
    doc = document_or_404(doc_id)
    check_may_author(doc.data)
    k = get_kind(doc.kind)
    schema = forms.form_for(doc.kind)
    if doc.state not in EDITABLE_STATES:
        flash("Этот документ уже нельзя изменить.", "error")
        return redirect(url_for("documents.show", doc_id=doc.id))
    values = {k_: v for k_, v in doc.data.items() if not k_.startswith("_")}
    errors: dict[str, list[str]] = {}
    status = 200
    if request.method == "POST":
        values = forms.from_request_form(doc.kind, request.form)
        try:
            data = forms.validate(doc.kind, values)
            check_may_author(data)
            documents.update(db_session(), doc, data=data, actor=user(),
                             expected_version=form_version())
            db_session().commit()
            flash("Изменения сохранены.", "success")
            return redirect(url_for("documents.show", doc_id=doc.id))
        except NastavnikError as exc:  # any refusal: the form again, with what was typed
            db_session().rollback()
            errors, status = _refusal(exc)
    return _form_page(k, schema, values, errors, doc=doc, status=status)


@bp.get("/documents/<int:doc_id>")
def show(doc_id: int):
    doc = document_or_404(doc_id)
    history = db_session().scalars(select(AuditEntry).where(AuditEntry.document_id == doc.id)
                                   .order_by(AuditEntry.id)).all()
    actions = documents.available(db_session(), doc, user(), current_roles())
    files = files_of(db_session(), doc)
    checks = None
    if doc.state == DocState.SIGNED:  # what an inspector wants to know of a signed copy
        checks = {"signature": simple.verify(doc), "signature_status": simple.status(doc),
                  "files": all(blobs().intact(f.sha256) for f in files)}
    route = routes.configured_route(db_session(), doc)
    successors = db_session().scalars(select(Document).where(
        Document.supersedes_id == doc.id, Document.organization_id == doc.organization_id)).all()
    given = routes.visas_of(db_session(), doc)
    return render_template("documents/show.html", doc=doc, kind=get_kind(doc.kind),
                           route=route, visas=given, successors=successors,
                           visa_labels={c: v.label for c, v in routes.VISAS.items()},
                           content=display.document_fields(doc),
                           waiting=routes.pending(db_session(), doc)
                           if doc.state == DocState.IN_APPROVAL else [],
                           history=history, actions=actions, files=files, checks=checks,
                           may_write=bool(current_roles() & AUTHORS),
                           editable=doc.state in EDITABLE_STATES)


@bp.post("/documents/<int:doc_id>/act/<action>")
def act(doc_id: int, action: str):
    doc = document_or_404(doc_id)
    t = TRANSITIONS.get(action)
    if t is None:
        abort(404)
    if t.needs_password:
        db_session().commit()  # end the read: the password check (~0.1 s) holds no lock
        simple.require_reauthentication(user(), request.form.get("password", ""))
    try:
        documents.transition(db_session(), doc, action, actor=user(), roles=current_roles(),
                             comment=request.form.get("comment", ""),
                             expected_version=form_version())
        db_session().commit()
    except NastavnikError:
        db_session().rollback()
        raise
    flash(f"Готово: {t.label.lower()}.", "success")
    if action == "sign":
        _make_pdf(doc)
    target = local_path(request.form.get("next"))
    if target:
        return redirect(target)
    return redirect(url_for("documents.show", doc_id=doc.id))


@bp.post("/documents/<int:doc_id>/supersede")
def supersede(doc_id: int):
    doc = document_or_404(doc_id)
    check_may_author(doc.data)
    new = documents.supersede(db_session(), doc, author=user())
    db_session().commit()
    flash("Создан черновик новой редакции. Подписанный документ остаётся в архиве без "
          "изменений.", "success")
    return redirect(url_for("documents.edit", doc_id=new.id))


@bp.post("/documents/<int:doc_id>/pdf")
def retry_pdf(doc_id: int):
    """Make (again) the PDF/A copy of a signed document whose conversion failed."""
    doc = document_or_404(doc_id)
    if doc.state != DocState.SIGNED:
        raise RuleViolation("PDF-копию архива создают для подписанного документа.")
    outcome = _make_pdf(doc, asked=True)
    if outcome.state == "done":
        flash("PDF/A-копия готова.", "success")
    elif outcome.state == "queued":
        flash("PDF/A-копия готовится; обновите страницу через минуту.", "success")
    return redirect(url_for("documents.show", doc_id=doc.id))


def _make_pdf(doc, *, asked: bool = False) -> jobs.Outcome:
    """Start the PDF/A conversion of a signed document; flash why it failed, if it did.

    With the queue unreachable the signature stands and the page says the copy comes
    later; when the copy was ``asked`` for (the button) that is a 503 instead.
    """
    outcome = jobs.enqueue("convert_signed_to_pdf", doc.id, user().id)  # the real actor
    if outcome.state == "pending":
        if asked:
            raise QueueUnavailable(jobs.QUEUE_DOWN)
        flash(outcome.message, "info")
    elif outcome.state == "failed":
        flash(f"Документ подписан, его DOCX сохранён в архиве, но PDF-копия не создана: "
              f"{outcome.message} Нажмите «Создать PDF-копию», чтобы повторить.", "error")
    return outcome


@bp.get("/documents/<int:doc_id>/preview.docx")
def preview(doc_id: int):
    """The document as it reads now: a draft marked ПРОЕКТ (never a number)."""
    doc = document_or_404(doc_id)
    data = render_document(db_session(), doc, final=False)
    return _send(data, file_name(doc, "docx").replace(".docx", " — проект.docx"), "docx")


@bp.get("/documents/<int:doc_id>/files/<int:file_id>")
def download(doc_id: int, file_id: int):
    doc = document_or_404(doc_id)
    stored = db_session().get(StoredFile, file_id) if file_id < 2**31 else None
    if stored is None or stored.document_id != doc.id:
        abort(404)
    return _send(blobs().get(stored.sha256), stored.filename, stored.media_type)


def _send(data: bytes, filename: str, media_type: str) -> Response:
    mimetype = {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml"
                        ".document", "pdf": "application/pdf"}.get(media_type, media_type)
    return send_download(data, filename, mimetype)


def _defaults(schema) -> dict[str, str]:
    values = {}
    for name, field in schema.fields.items():
        if field.metadata.get("default_text"):
            values[name] = field.metadata["default_text"]
        elif field.metadata.get("widget") == "date":
            values[name] = date.today().isoformat()
    return values


def _refusal(exc: NastavnikError) -> tuple[dict[str, list[str]], int]:
    """Messages by field and the status of a refused save."""
    if isinstance(exc, ValidationError) and exc.fields:
        return exc.fields, exc.status
    return {exc.field or "_": [exc.message]}, exc.status


def _form_page(kind, schema, values, errors, *, doc, create_token=None, status=200):
    return render_template("documents/form.html", kind=kind, schema=schema, values=values,
                           errors=errors, doc=doc, people=people_choices(),
                           references=references.options_for(schema),
                           create_token=create_token), status


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)

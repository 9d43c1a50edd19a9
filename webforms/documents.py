"""Pages shared by every document kind: create, view, edit, act, download (the list:
``webforms.document_list``).

Views are thin: the form schema validates, ``workflows.documents`` creates, edits, acts and
names the follow-up jobs; a view commits, then starts the jobs. The loaders of
``webforms.access`` scope every lookup to the user's organization.
"""

from __future__ import annotations

from flask import Blueprint, Flask, Response, flash, redirect, render_template, request, url_for

from signatures import agreement
from storage.blobs import blobs
from storage.db import db_session
from webforms import create_tokens, display, forms, references
from webforms.access import (
    check_may_author,
    document_or_404,
    people_choices,
    stored_file_or_404,
)
from webforms.auth import current_org_id, current_roles, local_path, user
from webforms.converters import form_version
from webforms.filenames import send_download
from webforms.input_guard import checks_own_fields
from workflows import approval_routes, documents, jobs, signatories
from workflows.calendar import due_default
from workflows.errors import NastavnikError, QueueUnavailable, ValidationError
from workflows.filing import file_name
from workflows.kinds import all_kinds, get_kind
from workflows.lifecycle import TRANSITIONS
from workflows.rendering import render_document

bp = Blueprint("documents", __name__)


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
    posted = create_tokens.form_token() if request.method == "POST" else None
    token = posted or create_tokens.new_token()

    def save(data):
        doc, created = documents.create_once(
            db_session(), token=token, organization_id=current_org_id(), kind=kind,
            data=data, author=user())
        db_session().commit()
        return doc, ("Черновик документа создан." if created else
                     "Форма отправлена повторно: черновик уже создан, вот он.")
    return _form(k, _defaults(forms.form_for(kind)), save, doc=None, create_token=token)


@bp.route("/documents/<int:doc_id>/edit", methods=["GET", "POST"])
@checks_own_fields
def edit(doc_id: int):
    doc = document_or_404(doc_id)
    check_may_author(doc.data)
    if doc.state not in TRANSITIONS["edit"].sources:
        flash("Этот документ уже нельзя изменить.", "error")
        return redirect(url_for("documents.show", doc_id=doc.id))

    def save(data):
        documents.update(db_session(), doc, data=data, actor=user(), roles=current_roles(),
                         expected_version=form_version())
        db_session().commit()
        return doc, "Изменения сохранены."
    values = {k_: v for k_, v in doc.data.items() if not k_.startswith("_")}
    return _form(get_kind(doc.kind), values, save, doc=doc)


@bp.get("/documents/<int:doc_id>")
def show(doc_id: int):
    doc = document_or_404(doc_id)
    page = documents.page(db_session(), doc, user(), current_roles())
    return render_template("documents/show.html", **vars(page),
                           visa_labels={c: v.label for c, v in approval_routes.VISAS.items()},
                           method_labels=signatories.METHOD_LABELS, esign_page=agreement.PAGE,
                           content=display.document_fields(doc))


@bp.post("/documents/<int:doc_id>/act/<action>")
def act(doc_id: int, action: str):
    outcome = documents.act(
        db_session(), document_or_404(doc_id), action, actor=user(), roles=current_roles(),
        comment=request.form.get("comment", ""), password=request.form.get("password", ""),
        expected_version=form_version())
    db_session().commit()
    flash(f"Готово: {outcome.transition.label.lower()}.", "success")
    _report_pdf(documents.start_jobs(outcome.jobs))
    return redirect(local_path(request.form.get("next"))
                    or url_for("documents.show", doc_id=doc_id))


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
    follow_ups = documents.pdf_again(document_or_404(doc_id), user())
    db_session().commit()  # end the read: an in-process job opens its own session
    outcome = _report_pdf(documents.start_jobs(follow_ups), asked=True)
    if outcome.state == "done":
        flash("PDF/A-копия готова.", "success")
    elif outcome.state == "queued":
        flash("PDF/A-копия готовится; обновите страницу через минуту.", "success")
    return redirect(url_for("documents.show", doc_id=doc_id))


def _report_pdf(started: dict[str, jobs.Outcome], *, asked: bool = False
                ) -> jobs.Outcome | None:
    """Flash why the PDF/A conversion of a signed document failed, if it was asked and did.

    With the queue unreachable the signature stands and the page says the copy comes
    later; when the copy was ``asked`` for (the button) that is a 503 instead.
    """
    outcome = started.get("convert_signed_to_pdf")
    if outcome is None:
        return None
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
    stored = stored_file_or_404(document_or_404(doc_id), file_id)
    return _send(blobs().get(stored.sha256), stored.filename, stored.media_type)


def _send(data: bytes, filename: str, media_type: str) -> Response:
    mimetype = {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml"
                        ".document", "pdf": "application/pdf"}.get(media_type, media_type)
    return send_download(data, filename, mimetype)


def _defaults(schema) -> dict[str, str]:
    values = {}
    for name, field in schema.fields.items():
        if field.metadata.get("default_text"):  # a callable: counted when the form opens
            text = field.metadata["default_text"]
            values[name] = text() if callable(text) else text
        elif field.metadata.get("widget") == "date":  # a deadline: ``due_in`` from today
            values[name] = due_default(field.metadata.get("due_in")).isoformat()
    return values


def _refusal(exc: NastavnikError) -> tuple[dict[str, list[str]], int]:
    """Messages by field and the status of a refused save."""
    if isinstance(exc, ValidationError) and exc.fields:
        return exc.fields, exc.status
    return {exc.field or "_": [exc.message]}, exc.status


def _form(kind, values, save, *, doc, create_token=None):
    """The form of ``kind``; when sent, validated and given to ``save(data) -> (document,
    message)``, then the document's page. Any refusal: the form again, with what was
    typed and the messages by field."""
    schema, errors, status = forms.form_for(kind.name), {}, 200
    if request.method == "POST":
        values = forms.from_request_form(kind.name, request.form)
        try:
            data = forms.validate(kind.name, values)
            check_may_author(data)
            saved, message = save(data)
            flash(message, "success")
            return redirect(url_for("documents.show", doc_id=saved.id))
        except NastavnikError as exc:
            db_session().rollback()
            errors, status = _refusal(exc)
    return render_template("documents/form.html", kind=kind, schema=schema, values=values,
                           errors=errors, doc=doc, people=people_choices(),
                           references=references.options_for(schema),
                           create_token=create_token), status


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)

"""Pages of uploaded templates: list, upload (checked), preview as PDF, activate, download.

Only the director, the administrator and the clerk manage templates (``MANAGERS``, the
same set ``webforms.writers`` declares for uploading and activating). Every lookup of a
version goes through ``webforms.access.template_version_or_404``, scoped to the user's
organization.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    Flask,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)

from doc_templates import pdf, versions
from doc_templates.render import render_file, template_path
from doc_templates.uploads import MAX_BYTES
from storage.blobs import blobs
from storage.db import db_session
from webforms.access import template_version_or_404
from webforms.auth import current_org, current_org_id, current_roles, user
from webforms.converters import form_id, parse_id
from webforms.filenames import clean_filename, send_download
from webforms.samples import add_version, sample_context
from webforms.writers import TEMPLATE_MANAGERS
from workflows.errors import ConversionFailed, NotAllowed, NotFound, TemplateProblem
from workflows.kinds import all_kinds, get_kind

bp = Blueprint("templates_admin", __name__, url_prefix="/templates")
MANAGERS = TEMPLATE_MANAGERS
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@bp.before_request
def _require_manager() -> None:
    if not current_roles() & MANAGERS:
        raise NotAllowed("Шаблоны документов загружает руководитель, администратор или "
                         "делопроизводитель.")


@bp.get("/")
def index():
    rows = []
    uploaded = versions.versions_of(db_session(), current_org_id())
    for kind in all_kinds():
        own = [v for v in uploaded if v.kind == kind.name]
        rows.append((kind, template_path(kind.name).exists(), own,
                     next((v for v in own if v.is_active), None)))
    return render_template("templates_admin/index.html", rows=rows,
                           max_mb=MAX_BYTES // (1024 * 1024))


@bp.post("/<kind>/upload")
def upload(kind: str):
    k = get_kind(kind)
    file = request.files.get("file")
    if file is None or not file.filename:
        flash("Выберите файл шаблона DOCX.", "error")
        return index(), 422
    filename = clean_filename(file.filename, default=f"{k.name}.docx")
    data = file.read(MAX_BYTES + 1)
    if not data:
        flash(f"Файл «{filename}» пуст (0 байт): шаблон не принят.", "error")
        return index(), 422
    organization_id, uploader = current_org_id(), user()
    _release_database()  # the check takes up to TEMPLATE_RENDER_TIMEOUT seconds
    try:
        version = add_version(db_session(), organization_id, k.name, data,
                              filename=filename, uploaded_by=uploader,
                              notes=request.form.get("notes", ""))
        if request.form.get("activate"):
            versions.activate(db_session(), current_org_id(), k.name, version)
        db_session().commit()
    except TemplateProblem as exc:
        db_session().rollback()
        flash(f"Шаблон «{filename}» не принят: {exc.message}", "error")
        return index(), 422
    state = "и сделана действующей" if version.is_active else \
        "; проверьте предпросмотр и сделайте её действующей"
    flash(f"Версия {version.version} шаблона «{k.title}» загружена {state}.", "success")
    return redirect(url_for("templates_admin.index"))


@bp.post("/<kind>/activate")
def activate(kind: str):
    k = get_kind(kind)
    version_id = form_id("version_id", message="Версия шаблона не найдена.")
    version = template_version_or_404(version_id, k.name) if version_id else None
    versions.activate(db_session(), current_org_id(), k.name, version)
    db_session().commit()
    flash(f"Для «{k.title}» теперь используется "
          f"{f'версия {version.version}' if version else 'встроенный шаблон'}.", "success")
    return redirect(url_for("templates_admin.index"))


@bp.get("/<kind>/builtin.docx")
def builtin(kind: str):
    k = get_kind(kind)
    path = template_path(k.name)
    if not path.exists():
        raise NotFound("Встроенного шаблона для этого вида документа нет.")
    return send_download(path, f"{k.name} (встроенный шаблон).docx", DOCX)


@bp.get("/versions/<int:version_id>.docx")
def download(version_id: int):
    version = template_version_or_404(version_id)
    return send_download(blobs().get(version.sha256), version.filename, DOCX)


@bp.get("/<kind>/preview.<fmt>")
def preview(kind: str, fmt: str):
    """The template filled with sample data: ``?version=ID`` (else built-in), PDF or DOCX."""
    k = get_kind(kind)
    raw_version = request.args.get("version", "")
    version_id = parse_id(raw_version)
    if raw_version and version_id is None:
        raise NotFound("Версия шаблона не найдена.")
    if version_id:
        version = template_version_or_404(version_id, k.name)
        template, label = blobs().get(version.sha256), f"версия {version.version}"
    else:
        template, label = template_path(k.name), "встроенный"
    context = sample_context(k.name, db_session(), current_org())
    _release_database()  # an uploaded template renders for up to TEMPLATE_RENDER_TIMEOUT
    docx = render_file(template, context, uploaded=bool(version_id))
    name = f"Предпросмотр {k.name} ({label})"
    if fmt == "docx":
        return send_download(docx, f"{name}.docx", DOCX, attachment=False)
    if fmt != "pdf":
        raise NotFound("Неизвестный формат предпросмотра.")
    if not current_app.config["PDF_ENABLED"]:
        raise ConversionFailed("Преобразование в PDF отключено на этом сервере; откройте "
                               "предпросмотр в формате DOCX.")
    return send_download(pdf.convert(docx, pdfa=False), f"{name}.pdf", "application/pdf",
                         attachment=False)


def _release_database() -> None:
    """End the request's transaction before a long check or render of a template.

    On SQLite every transaction begins with BEGIN IMMEDIATE and so holds the write lock:
    left open during an uploaded template's seconds in its process, it would stall every
    other user's write. What the request wrote so far is committed; the session opens a
    new transaction on its next use.
    """
    db_session().commit()


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)

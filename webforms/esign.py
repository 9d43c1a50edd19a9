"""Pages of the regulation on simple electronic signatures, at ``/esign``.

Every user reads the regulation in force (its version), downloads it (DOCX, PDF when PDF is
enabled), accepts it by entering her password again, sees her acceptance and withdraws it;
the head (director) and the inspector see who of the organization accepted which version
when, and who has not. The rules are ``signatures.agreement``'s, the audit rows
``workflows.esign_acceptance``'s; the gate itself (``agreement.require_accepted``) is called
by the signing flow.
"""

from __future__ import annotations

from flask import Blueprint, Flask, current_app, flash, redirect, render_template, request, url_for

from doc_templates import esign_regulation as printable
from doc_templates import pdf
from signatures import agreement, esign_regulation
from storage.db import db_session
from storage.roles import Role
from webforms.auth import current_org, current_org_id, current_roles, user
from webforms.filenames import send_download
from webforms.writers import may_use
from workflows import esign_acceptance
from workflows.errors import ConversionFailed, NastavnikError, NotAllowed

bp = Blueprint("esign", __name__, url_prefix=agreement.PAGE)
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# the head sees the organization's acceptances, and the inspector who relies on its signatures
LIST_READERS = frozenset({Role.DIRECTOR, Role.INSPECTOR})


def _page(status: int = 200, error: str = ""):
    session, org_id = db_session(), current_org_id()
    latest = agreement.latest(session, user(), org_id)
    return render_template(
        "esign/index.html", text=esign_regulation.current(), latest=latest,
        in_force=agreement.counts(latest), error=error,
        may_accept=may_use("esign.accept"), pdf_enabled=current_app.config["PDF_ENABLED"],
        may_list=bool(current_roles() & LIST_READERS)), status


@bp.get("")
def index():
    return _page()


@bp.post("/accept")
def accept():
    try:
        esign_acceptance.accept(db_session(), user(), current_org_id(),
                                request.form.get("password", ""))
    except NastavnikError as exc:
        db_session().rollback()
        return _page(exc.status, exc.message)
    db_session().commit()
    flash("Присоединение к Положению о простой электронной подписи записано: теперь вы "
          "можете подписывать документы простой электронной подписью.", "success")
    return redirect(url_for("esign.index"))


@bp.post("/withdraw")
def withdraw():
    esign_acceptance.withdraw(db_session(), user(), current_org_id())
    db_session().commit()
    flash("Отказ от простой электронной подписи записан: документы вы теперь подписываете "
          "на бумаге, пока снова не присоединитесь к Положению.", "success")
    return redirect(url_for("esign.index"))


def _file_name(extension: str) -> str:
    text = esign_regulation.current()
    return f"{text.title}, редакция {text.version}.{extension}"


def _docx() -> bytes:
    return printable.docx_bytes(esign_regulation.current(), current_org().full_name)


@bp.get("/regulation.docx")
def download_docx():
    return send_download(_docx(), _file_name("docx"), DOCX)


@bp.get("/regulation.pdf")
def download_pdf():
    if not current_app.config["PDF_ENABLED"]:
        raise ConversionFailed("Преобразование в PDF отключено на этом сервере: скачайте "
                               "Положение в формате DOCX.")
    docx = _docx()
    db_session().rollback()  # the conversion may take a while: hold no transaction
    try:
        data = pdf.convert(docx, pdfa=False)
    except ConversionFailed as exc:
        raise ConversionFailed(f"{exc.message} Скачайте Положение в формате DOCX.") from None
    return send_download(data, _file_name("pdf"), "application/pdf")


@bp.get("/users")
def users():
    if not current_roles() & LIST_READERS:
        raise NotAllowed("Список присоединившихся к Положению о простой электронной подписи "
                         "видят только руководитель и проверяющий.")
    rows = esign_acceptance.rows(db_session(), current_org_id())
    return render_template("esign/users.html", rows=rows, text=esign_regulation.current(),
                           signers=sum(r.signs for r in rows),
                           missing=sum(r.signs and not r.in_force for r in rows))


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)

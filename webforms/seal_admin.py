"""The page «Печать организации»: the active seal certificate, the ones before it, and the
upload of a PKCS#12 by the head.

Only the head (the director) sees and replaces the certificate (``SEAL_MANAGERS``, declared
in ``webforms.writers``): its key seals the organization's archive. Everything is scoped to
the current organization; a certificate of another one is not found (404,
``webforms.access.seal_certificate_or_404``). A file that cannot seal — no PKCS#12, a wrong
password, an expired certificate, one without a signing key usage — is refused with 400 and
the reason in Russian, the page shown again.

Also here: the ``seal_report`` the document page's partial calls (``documents/_seal.html``).
"""

from __future__ import annotations

from flask import Blueprint, Flask, flash, redirect, render_template, request, url_for

from signatures.seal_certificates import MAX_PKCS12_BYTES
from storage.archive import files_of
from storage.db import db_session
from storage.models import Document
from webforms.access import seal_certificate_or_404
from webforms.auth import current_org_id, current_roles, user
from webforms.filenames import send_download
from webforms.writers import SEAL_MANAGERS
from workflows import sealing
from workflows.errors import NastavnikError, NotAllowed

bp = Blueprint("seal_admin", __name__, url_prefix="/settings/seal")


@bp.before_request
def _require_head() -> None:
    if not current_roles() & SEAL_MANAGERS:
        raise NotAllowed("Сертификат печати организации видит и загружает только "
                         "руководитель.")


@bp.get("/")
def index():
    session, org_id = db_session(), current_org_id()
    active = sealing.active(session, org_id)
    return render_template("seal_admin/index.html", active=active,
                           expired=active is not None and sealing.expired(active),
                           rows=sealing.certificates(session, org_id),
                           sources=sealing.SOURCES, max_kb=MAX_PKCS12_BYTES // 1024)


@bp.post("/upload")
def upload():
    file = request.files.get("file")
    if file is None or not file.filename:
        return _refused("выберите файл PKCS#12 (.p12 или .pfx).")
    data = file.read(MAX_PKCS12_BYTES + 1)
    try:
        row = sealing.upload(db_session(), current_org_id(), data,
                             request.form.get("password", ""), actor=user())
        db_session().commit()
    except NastavnikError as exc:
        db_session().rollback()
        return _refused(exc.message)
    flash(f"Сертификат печати загружен и действует: {row.subject}, серийный номер "
          f"{row.serial}. Им заверяются PDF, которые попадут в архив с этого момента.",
          "success")
    return redirect(url_for("seal_admin.index"))


def _refused(why: str):
    flash(f"Сертификат не принят: {why}", "error")
    return index(), 400


@bp.get("/<int:certificate_id>/chain.pem")
def chain(certificate_id: int):
    """The certificates a verifier outside the service trusts (e.g. imports into a PDF
    viewer) to check this certificate's seal."""
    row = seal_certificate_or_404(certificate_id)
    return send_download(row.chain_pem.encode(), f"Цепочка сертификата печати {row.serial}.pem",
                         "application/x-pem-file")


def seal_report(doc: Document) -> dict:
    """What the document page says of the seal: each archived PDF of ``doc`` with its
    check, and whether the organization has a certificate at all."""
    session = db_session()
    pdfs = [f for f in files_of(session, doc) if sealing.is_archived_pdf(f)]
    roots = sealing.trust_roots(session, doc.organization_id) if pdfs else []
    return {"files": [(f, sealing.examine_file(session, f, roots)) for f in pdfs],
            "active": sealing.active(session, doc.organization_id),
            "how_to": sealing.HOW_TO_SEAL,
            "may_manage": bool(current_roles() & SEAL_MANAGERS)}


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.add_template_global(seal_report)

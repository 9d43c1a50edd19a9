"""Pages of acknowledgment (ознакомление, ТК РФ ст. 22, 68): what waits for me, the reading
page that records that I opened a document, my «Ознакомлен(а)», the clerk's record of a
paper acknowledgment, and the sheet for printing.

Opening is a write (``Acknowledgment.opened_at``), so it has a page of its own, declared in
``webforms.writers`` like every write, rather than the document page, which everyone, the
inspector too, reads without writing. The document page shows the panel
``documents/_acknowledgments.html`` (``acknowledgment_panel``): who has acknowledged and who
has not, to staff; my own line and button, to me.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, Flask, flash, redirect, render_template, request, url_for
from marshmallow import ValidationError as SchemaError

from storage.db import db_session
from storage.models import Document, Person
from webforms.access import document_or_404, is_staff, person_or_404
from webforms.auth import current_org_id, local_path, user
from webforms.converters import form_ids
from webforms.filenames import send_download
from webforms.forms.base import FormSchema, clean_blanks, day
from webforms.writers import may_use
from workflows import acknowledgments
from workflows.acknowledgments import METHODS, AckStatus
from workflows.errors import ConversionFailed, NotAllowed, NotFound, ValidationError
from workflows.filing import file_name
from workflows.kinds import get_kind
from workflows.people import person_of
from workflows.states import DocState

bp = Blueprint("acknowledgments", __name__)
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class PaperForm(FormSchema):
    on = day("Дата ознакомления, записанная на листе")


@dataclass(frozen=True)
class Panel:
    """What the document page shows of acknowledgment to the current user."""

    lines: list[AckStatus]  # everyone, for staff; empty for a teacher
    mine: AckStatus | None  # the user's own line, if she is on the list
    done: int
    total: int
    may_record_paper: bool
    scans: dict[int, int]  # person id → the stored scan of her paper acknowledgment

    @property
    def pending(self) -> list[Person]:
        return [line.person for line in self.lines if line.acknowledged_at is None]


def _me(doc: Document) -> Person | None:
    return person_of(db_session(), doc.organization_id, user().person_id)


def panel(doc: Document) -> Panel | None:
    """The panel of ``doc`` for this user, or None if the document asks nobody."""
    if doc.state != DocState.SIGNED or get_kind(doc.kind).acknowledgers is None:
        return None
    session, me = db_session(), user().person_id
    lines = acknowledgments.status(session, doc)
    mine = next((line for line in lines if line.person.id == me), None)
    scans = {pid: row.file_id for pid, row in acknowledgments.records(session, doc).items()
             if row.file_id}
    return Panel(lines=lines if is_staff() else [], mine=mine,
                 done=sum(1 for line in lines if line.acknowledged_at), total=len(lines),
                 may_record_paper=may_use("acknowledgments.paper"),
                 scans=scans if is_staff() else {})


def waiting() -> list[Document]:
    """The signed documents waiting for the current user's acknowledgment (for the queue)."""
    return [doc for doc, line in acknowledgments.waiting_for(
        db_session(), current_org_id(), user().person_id) if line.acknowledged_at is None]


@bp.get("/acknowledgments")
def index():
    """The documents waiting for my acknowledgment (and those I acknowledged); for staff
    also every signed document that asks for acknowledgment, with how many have given it."""
    session = db_session()
    waiting, done, overview = [], [], []
    for doc, line in acknowledgments.waiting_for(session, current_org_id(), user().person_id):
        if line.acknowledged_at is None:
            read_url = url_for("acknowledgments.read", doc_id=doc.id)
            waiting.append((doc, read_url, [{"href": read_url,
                                             "text": "Открыть и ознакомиться"}]))
        else:
            done.append((doc, url_for("documents.show", doc_id=doc.id),
                         [_local(line.acknowledged_at), METHODS[line.method]]))
    if is_staff():
        docs = acknowledgments.asking(session, current_org_id())
        for doc, lines in zip(docs, acknowledgments.status_of(session, docs).values(),
                              strict=True):
            given = sum(1 for s in lines if s.acknowledged_at)
            left = f" — не ознакомлены: {len(lines) - given}" if given < len(lines) else ""
            overview.append((doc, url_for("documents.show", doc_id=doc.id) +
                             "#acknowledgments", [f"{given} из {len(lines)}{left}"]))
    return render_template("acknowledgments/index.html", waiting_rows=waiting,
                           done_rows=done, overview_rows=overview)


def _local(at) -> str:
    return acknowledgments.local_time(at).strftime("%d.%m.%Y %H:%M")


@bp.get("/documents/<int:doc_id>/acknowledgment")
def read(doc_id: int):
    """The document to read before acknowledging it: opening this page records it."""
    doc = document_or_404(doc_id)
    me = _me(doc)
    if me is None or not acknowledgments.must_acknowledge(db_session(), doc, me.id):
        flash("Вам не нужно знакомиться с этим документом под подпись.", "info")
        return redirect(url_for("documents.show", doc_id=doc.id))
    db_session().rollback()  # end the read: the opening is written in a session of its own
    acknowledgments.record_opening(doc, me)
    record = acknowledgments.record_of(db_session(), doc, me)
    files = [f for f in doc.files if f.role in ("signed_pdf", "signed_docx")]
    return render_template("acknowledgments/read.html", doc=doc, kind=get_kind(doc.kind),
                           files=files, record=record)


@bp.post("/documents/<int:doc_id>/acknowledge")
def acknowledge(doc_id: int):
    """«Ознакомлен(а)»: my acknowledgment, after I opened the document."""
    doc = document_or_404(doc_id)
    me = _me(doc)
    if me is None:
        raise NotAllowed("Ваша учётная запись не связана с педагогом этой организации: "
                         "отметить ознакомление нельзя.")
    acknowledgments.acknowledge(db_session(), doc, me, actor=user(), method="click")
    db_session().commit()
    flash("Ознакомление с документом отмечено.", "success")
    _sheet_pdf(doc)
    return redirect(local_path(request.form.get("next"))
                    or url_for("documents.show", doc_id=doc.id))


@bp.post("/documents/<int:doc_id>/acknowledgments/paper")
def paper(doc_id: int):
    """The clerk records acknowledgments signed by hand on the paper sheet: who, the date
    they wrote, and (optionally) the scan of the signed sheet."""
    doc = document_or_404(doc_id)
    ids = form_ids("person_id", message="Неверный номер работника. Обновите страницу.")
    if not ids:
        raise ValidationError("Отметьте, кто ознакомился на бумаге.",
                              {"person_id": ["Отметьте хотя бы одного работника."]})
    people = [person_or_404(pid) for pid in dict.fromkeys(ids)]
    on = _paper_date()
    upload = request.files.get("file")
    data = upload.read() if upload is not None and upload.filename else None
    for person in people:
        acknowledgments.acknowledge(db_session(), doc, person, actor=user(), method="paper",
                                    file=data, filename=upload.filename if upload else "",
                                    on=on)
    db_session().commit()
    flash(f"Ознакомление на бумаге внесено: {', '.join(p.full_name for p in people)}.",
          "success")
    _sheet_pdf(doc)
    return redirect(url_for("documents.show", doc_id=doc.id) + "#acknowledgments")


def _paper_date():
    try:
        return PaperForm().load(clean_blanks({"on": request.form.get("on", "")}))["on"]
    except SchemaError as exc:
        message = f"Дата ознакомления: {' '.join(exc.messages['on'])}"
        raise ValidationError(message, {"on": [message]}) from None


def _sheet_pdf(doc: Document) -> None:
    """The PDF/A of the new sheet, after the commit; if it fails, the DOCX stays filed."""
    try:
        acknowledgments.file_sheet_pdf(doc, user().id)
    except ConversionFailed as exc:
        flash(f"Лист ознакомления сохранён в DOCX, PDF-копия не создана: {exc.message}",
              "error")


@bp.get("/documents/<int:doc_id>/acknowledgment-sheet.docx")
def sheet(doc_id: int):
    """The sheet as it stands, to print and sign by hand (staff only: it lists everyone)."""
    doc = document_or_404(doc_id)
    if not is_staff():
        raise NotFound("Лист ознакомления доступен делопроизводителю и руководителю.")
    if doc.state != DocState.SIGNED or get_kind(doc.kind).acknowledgers is None:
        raise NotFound("У этого документа нет листа ознакомления.")
    data = acknowledgments.sheet_docx(db_session(), doc)
    name = f"Лист ознакомления — {file_name(doc, 'docx')}"
    return send_download(data, name, DOCX)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.jinja_env.globals["acknowledgment_panel"] = panel
    app.jinja_env.globals["acknowledgments_waiting"] = waiting

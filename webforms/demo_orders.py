"""Demo orders and plans of the Положение: the part of ``flask demo`` for regulation_order,
roadmap, curator_order and final_report, in several states.

The order approving the Положение and the curator's appointment are signed (numbers of the
main journal), the Положение's order acknowledged by some pedagogues (two in one click after
opening it, the new hire on the paper sheet, its scan filed) and awaited from the others,
this year's roadmap waits for the head's signature, next year's was returned
to the curator, and the curator's report for the school year so far (to today) waits for
approval. Everything goes through ``workflows.documents``, so the guards hold and the audit
log has the history.
"""

from __future__ import annotations

from datetime import date

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from doc_templates import pdf
from storage.db import db_session
from storage.models import Document, Organization, Person, StoredFile, User
from webforms import demo_scans
from webforms.demo import act, create
from workflows import acknowledgments
from workflows.calendar import deadline_after
from workflows.errors import ConversionFailed
from workflows.roadmap import current_school_year, default_rows

CLICKED = ("ivanova", "shevchuk")  # acknowledge the Положение's order in the service
ON_PAPER = ("vodkina",)  # the new hire, without ПЭП yet: on the paper sheet


def seed(session: Session, org: Organization, users: dict[str, User]) -> None:
    director, clerk, curator = users["director"], users["clerk"], users["curator"]
    year = current_school_year()
    today = date.today()
    rows = [{**r, "responsible_id": curator.person_id} for r in default_rows(year)]
    rows[6]["responsible_id"] = clerk.person_id  # the site: the secretary
    # the order's Приложение 2 counts its stages from its date: none over when it is signed
    order_rows = [{**r, "responsible_id": curator.person_id}
                  for r in default_rows(from_day=today)]
    order_rows[6]["responsible_id"] = clerk.person_id
    regulation = create(session, org, clerk, "regulation_order", {
        "effective_date": today.isoformat(), "site_person_id": clerk.person_id,
        "site_date": deadline_after(today, days=10).day.isoformat(),
        "control_person_id": curator.person_id, "rows": order_rows})
    act(session, regulation, clerk, "submit")
    act(session, regulation, director, "sign")  # no visa of his own: he signs it
    acknowledge(session, regulation, users)

    appointment = create(session, org, clerk, "curator_order", {
        "person_id": curator.person_id,
        "position_genitive": "заместителя директора по учебно-воспитательной работе",
        "start_date": today.isoformat(),
        "roadmap_due_date": deadline_after(today, days=14).day.isoformat(),
        "bank_due_date": deadline_after(today, days=30).day.isoformat(),
        "report_due_date": date(year + 1, 6, 30).isoformat()})
    act(session, appointment, clerk, "submit")
    act(session, appointment, director, "sign")  # no visa of his own: he signs it

    roadmap = create(session, org, curator, "roadmap",
                      {"school_year": year, "rows": rows, "notes": ""})
    act(session, roadmap, curator, "submit")  # no visa: the curator wrote it, the head signs

    next_rows = [{**r, "responsible_id": curator.person_id} for r in default_rows(year + 1)]
    next_year = create(session, org, curator, "roadmap",
                        {"school_year": year + 1, "rows": next_rows, "notes": ""})
    act(session, next_year, curator, "submit")
    act(session, next_year, director, "return",
         comment="Добавьте в этап 4 обучение наставников на базе ЦНППМ.")



def seed_report(session: Session, org: Organization, users: dict[str, User]) -> None:
    """The curator's report, made last so that its figures count the demo's pairs."""
    curator = users["curator"]
    today = date.today()
    first_day = date(current_school_year(), 9, 1)
    report = create(session, org, curator, "final_report", {
        "start_date": first_day.isoformat(), "end_date": today.isoformat(),
        "conclusions": "Наставнические пары и группы сформированы на добровольной основе; "
                       "персонализированные программы реализуются по плану.",
        "proposals": "Организовать «установочную сессию» наставников и школьный семинар "
                     "по итогам первого полугодия."})
    act(session, report, curator, "submit")


def acknowledge(session: Session, doc: Document, users: dict[str, User]) -> None:
    """Some of those ``doc`` asks acknowledge it: ``CLICKED`` after opening it, ``ON_PAPER``
    on the printed sheet, filed by the clerk with the sheet's scan; the rest are awaited."""
    for login in CLICKED:
        person = session.get(Person, users[login].person_id)
        acknowledgments.opened(session, doc, person)
        acknowledgments.acknowledge(session, doc, person, actor=users[login])
    for login in ON_PAPER:
        person = session.get(Person, users[login].person_id)
        data = demo_scans.scan(_printed_sheet(session, doc), [person.last_name],
                               seed=f"ack:{doc.id}:{person.id}")
        acknowledgments.acknowledge(session, doc, person, actor=users["clerk"],
                                    method="paper", file=data, filename="лист.pdf")


def _printed_sheet(session: Session, doc: Document) -> bytes | None:
    """The sheet as printed for the hand signatures, as a PDF (None without LibreOffice)."""
    if not current_app.config.get("PDF_ENABLED"):
        return None
    try:
        return pdf.convert(acknowledgments.sheet_docx(session, doc), pdfa=False)
    except ConversionFailed:
        return None


def sheet_pdfs() -> list[str]:
    """File the PDF/A (sealed) of the newest лист ознакомления of each document that has
    one; return the reasons of those that failed (their DOCX stays)."""
    session = db_session()
    ids = sorted(set(session.scalars(select(StoredFile.document_id).where(
        StoredFile.role.like("ack_sheet_docx:%")))))
    docs = list(session.scalars(select(Document).where(Document.id.in_(ids))))
    session.commit()  # end the read: each PDF is filed in a session of its own
    failed = []
    for doc in docs:
        try:
            acknowledgments.file_sheet_pdf(doc)
        except ConversionFailed as exc:
            failed.append(f"{doc.title}: {exc.message}")
    return failed

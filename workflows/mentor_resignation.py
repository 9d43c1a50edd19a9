"""A mentor's statement asking to be relieved of the duties of mentor (П1 §4.1).

The mentor may address the curator and the head «с просьбой о сложении с него обязанностей
наставника»; under ТК РФ ст. 351.8 he ends mentoring early with at least three working
days' written notice. The signed statement is the ground for a new pairing order.
Route: the curator's visa, then the head's resolution (signature).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from storage.models import Document
from workflows.calendar import as_date, notice_end, working_days_between
from workflows.consents import latest_signed, signed_of
from workflows.errors import RuleViolation
from workflows.guards import person_in_organization, takes_part
from workflows.kinds import DocumentKind
from workflows.people import person_of
from workflows.programs import groups_of_mentor
from workflows.signatories import BASIS_STATEMENT, PEN, Signatory, from_data

NAME = "mentor_resignation"
NOTICE_WORKING_DAYS = 3


def notice_of_three_working_days(session: Session, doc: Document) -> None:
    """The date of leaving is at least 3 working days after the statement (ТК РФ ст. 351.8)."""
    given, leaving = as_date(doc.data.get("statement_date")), as_date(doc.data.get("desired_date"))
    if given is None or leaving is None:
        raise RuleViolation("Укажите дату заявления и дату сложения обязанностей.",
                            field="desired_date")
    if working_days_between(given, leaving) < NOTICE_WORKING_DAYS:
        earliest = notice_end(given, NOTICE_WORKING_DAYS)
        raise RuleViolation(
            f"Дата сложения обязанностей — не ранее чем через три рабочих дня после подачи "
            f"заявления (ст. 351.8 ТК РФ): не ранее {earliest.day:%d.%m.%Y}. Счёт: "
            f"{earliest.how}.", field="desired_date")


def mentees_context(session: Session, doc: Document) -> dict[str, Any]:
    """``extra.mentees``: mentees of the mentor's active groups, else of his agreement;
    ``extra.curator``: the curator the statement is addressed to (or None)."""
    order = latest_signed(session, doc.organization_id, "curator_order")
    curator = person_of(session, doc.organization_id, order.person_id) if order else None
    person = person_of(session, doc.organization_id, doc.data.get("person_id"))
    if person is None:
        return {"mentees": [], "curator": curator.as_context() if curator else None}
    groups = groups_of_mentor(session, person.organization_id, person.id)
    ids = [m.mentee_id for g in groups for m in g.members]
    if not ids:
        agreement = signed_of(session, person, "mentoring_agreement")
        ids = list(agreement.data.get("mentee_ids") or []) if agreement else []
    people = [person_of(session, doc.organization_id, i) for i in dict.fromkeys(ids)]
    return {"mentees": [p.as_context() for p in people if p is not None],
            "curator": curator.as_context() if curator else None}


def _title(data: dict[str, Any]) -> str:
    return f"Заявление о сложении обязанностей наставника: {data.get('person_name', '')}"\
        .strip()


KIND = DocumentKind(
    name=NAME,
    title="Заявление наставника о сложении обязанностей",
    heading="ЗАЯВЛЕНИЕ",
    journal="statements",
    make_title=_title,
    signatories=(Signatory("author", "Наставник, подавший заявление", PEN,
                           BASIS_STATEMENT, from_data("person_id")),),
    subject="person_id",
    route=("curator", "head"),
    rules=(person_in_organization("person_id", who="Педагог, подающий заявление",
                                  clause="П1 §4.1", name="person_belongs_to_organization"),
           takes_part("person_id", as_who="наставником", groups=groups_of_mentor,
                      paper="mentoring_agreement", name="is_a_mentor",
                      paper_words="дополнительного соглашения о наставничестве"),
           notice_of_three_working_days),
    context=mentees_context,
)

"""Extension or correction of a personalized program (П1 §7.2; §1.3).

By mutual consent of the mentor and the mentee(s) a program's term may be extended or its
content corrected (the plan of activities, the form of mentoring). The record names the
program; when it is sent for approval the program's mentor and mentees are copied into it
(``mentor_id``, ``mentee_ids``) and each of them must give a visa — their agreement —
before the curator's; the director then signs, and the program changes.

An extension keeps the whole program within one year of its start (§1.3: a program lasts
from 3 months to 1 year); a longer mentoring needs a new program.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from doc_templates.russian import date_long
from signatures.content import content_hash
from storage.models import Document
from workflows.acknowledgments import named_in
from workflows.approval_routes import visas_of
from workflows.calendar import as_date, last_day
from workflows.errors import RuleViolation
from workflows.kinds import DocumentKind
from workflows.people import person_of
from workflows.programs import (
    check_plan_inside,
    mentee_ids,
    program_context,
    program_is_running,
    program_of,
)
from workflows.signatories import head

NAME = "program_change"
EXTENSION = "продление срока реализации программы"
PLAN = "корректировка плана мероприятий"
FORM = "изменение формы наставничества"
CHANGE_TYPES = (EXTENSION, PLAN, FORM)
TITLES = {
    EXTENSION: "О продлении срока реализации персонализированной программы наставничества",
    PLAN: "О корректировке плана мероприятий персонализированной программы наставничества",
    FORM: "Об изменении формы наставничества в персонализированной программе наставничества",
}


def _program(session: Session, doc: Document):
    return program_of(session, doc.organization_id, doc.data.get("program_id"))


def change_is_stated(session: Session, doc: Document) -> None:
    """The record says what changes: a new end date, a new plan or new forms (П1 §7.2)."""
    kind = doc.data.get("change_type")
    if kind not in CHANGE_TYPES:
        raise RuleViolation("Укажите вид изменения: продление срока, корректировка плана или "
                            "изменение формы наставничества.", field="change_type")
    needs = {EXTENSION: ("new_end_date", "новую дату окончания программы"),
             PLAN: ("new_plan", "новый план мероприятий"),
             FORM: ("new_forms", "новые формы наставничества")}[kind]
    if not doc.data.get(needs[0]):
        raise RuleViolation(f"Для изменения «{kind}» укажите {needs[1]}.", field=needs[0])


def extension_moves_the_end_within_a_year(session: Session, doc: Document) -> None:
    """An extension ends later than now, and within one year of the start (§1.3, П1 §7.2)."""
    program, new_end = _program(session, doc), as_date(doc.data.get("new_end_date"))
    if program is None or new_end is None:
        return
    if doc.data.get("change_type") == EXTENSION and new_end <= program.end_date:
        raise RuleViolation(
            f"Продление: новая дата окончания {new_end:%d.%m.%Y} должна быть позже текущей "
            f"даты окончания программы {program.end_date:%d.%m.%Y}.", field="new_end_date")
    if new_end <= program.start_date:
        raise RuleViolation(f"Новая дата окончания {new_end:%d.%m.%Y} раньше начала программы "
                            f"{program.start_date:%d.%m.%Y}.", field="new_end_date")
    limit = last_day(program.start_date, years=1)
    if new_end > limit:
        raise RuleViolation(
            f"Программа не может длиться больше одного года (п. 1.3 Положения): начало "
            f"{program.start_date:%d.%m.%Y}, поэтому окончание не позднее {limit:%d.%m.%Y}, "
            f"а указано {new_end:%d.%m.%Y}. Для дальнейшей работы составьте новую программу.",
            field="new_end_date")


def new_plan_inside_term(session: Session, doc: Document) -> None:
    """The corrected plan's activities lie inside the (possibly extended) term (§1.3)."""
    program = _program(session, doc)
    if program is None or not doc.data.get("new_plan"):
        return
    end = as_date(doc.data.get("new_end_date")) or program.end_date
    check_plan_inside(doc.data["new_plan"], program.start_date, end, field="new_plan")


def copy_participants(session: Session, doc: Document) -> None:
    """On submission: the program's mentor and mentees become the people whose visas the
    route asks for (``approval_routes.VISAS['participants']``)."""
    program = _program(session, doc)
    doc.data = {**doc.data, "mentor_id": program.group.mentor_id,
                "mentee_ids": mentee_ids(program.group)}
    doc.content_hash = content_hash(doc)


def all_participants_agreed(session: Session, doc: Document) -> None:
    """The mentor and every mentee agreed in this round of approval (П1 §7.2)."""
    program = _program(session, doc)
    if program is None:
        return
    agreed = {v.person_id for v in visas_of(session, doc) if v.step == "participants"}
    need = [program.group.mentor_id, *mentee_ids(program.group)]
    missing = [person_of(session, doc.organization_id, pid) for pid in need
               if pid not in agreed]
    if missing:
        names = ", ".join(p.full_name for p in missing if p is not None)
        raise RuleViolation(f"Изменение программы возможно только по обоюдному согласию "
                            f"наставника и наставляемых (п. 7.2 Положения): не дали согласия — "
                            f"{names}.", field="mentee_ids")


def apply_change(session: Session, doc: Document) -> None:
    """On signing: the program takes the new end, plan or forms; an extension is counted."""
    program = _program(session, doc)
    new_end = as_date(doc.data.get("new_end_date"))
    if new_end is not None:
        program.end_date = new_end
    if doc.data.get("new_plan"):
        program.plan = {**program.plan, "items": list(doc.data["new_plan"])}
    if doc.data.get("new_forms"):
        program.forms = {**program.forms, "forms": list(doc.data["new_forms"])}
    if doc.data.get("change_type") == EXTENSION:
        program.extended_times = (program.extended_times or 0) + 1
    session.flush()


def change_points(data: dict[str, Any], extended_times: int) -> list[str]:
    """The numbered points of the record, in the words of the document."""
    points = []
    new_end = as_date(data.get("new_end_date"))
    if new_end is not None:
        points.append(
            f"Продлить срок реализации программы до {date_long(new_end)} (продление "
            f"№ {extended_times + 1})." if data.get("change_type") == EXTENSION else
            f"Установить дату окончания реализации программы {date_long(new_end)}"
            .rstrip(".") + ".")
    if data.get("new_forms"):
        points.append(f"Установить формы наставничества: {'; '.join(data['new_forms'])}.")
    if data.get("new_plan"):
        points.append("Изложить план мероприятий программы в новой редакции (ниже).")
    points.append("Остальные положения программы оставить без изменений.")
    return points


def change_context(session: Session, doc: Document) -> dict[str, Any]:
    """``extra.program`` (the program before the change), ``extra.mentor``, ``extra.mentees``,
    ``extra.participants``, ``extra.heading_title`` («О продлении …»), ``extra.points``."""
    program = _program(session, doc)
    return {**program_context(session, program),
            "heading_title": TITLES.get(doc.data.get("change_type"), TITLES[PLAN]),
            "points": change_points(doc.data, program.extended_times if program else 0)}


def _title(data: dict[str, Any]) -> str:
    return f"{TITLES.get(data.get('change_type'), 'Об изменении программы')} " \
           f"(программа № {data.get('program_id')})"


KIND = DocumentKind(
    name=NAME,
    title="Продление или корректировка программы наставничества",
    heading="ЛИСТ ИЗМЕНЕНИЙ",
    journal="programs",
    make_title=_title,
    signatories=(head(),),
    route=("participants", "curator"),
    rules=(program_is_running, change_is_stated, extension_moves_the_end_within_a_year,
           new_plan_inside_term),
    sign_rules=(all_participants_agreed,),
    effects={"submit": (copy_participants,), "sign": (apply_change,)},
    context=change_context,
    acknowledgers=named_in("participants"),
)

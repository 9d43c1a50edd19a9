"""Demo pairs, groups and programs: the part of ``flask demo`` after the bank of people.

Built from what the demo school already has on file (``webforms.demo_people`` signs the
consents and the supplementary agreements): each signed mentoring agreement whose mentor
and mentees have their consents becomes a row of a signed pairing order; then programs in
several states — running, extended on the participants' agreement (awaiting visas), ended
early with results published, awaiting the curator's visa. Every step goes through
``workflows.documents``, so the guards hold and the audit log has the history.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from dateutil.relativedelta import relativedelta
from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Document, MentoringGroup, Organization, Person, Program, User
from webforms.demo import act, create
from workflows.calendar import as_date, deadline_after
from workflows.consents import MENTEE_PAPERS, MENTOR_PAPERS, signed_of
from workflows.program_change import EXTENSION
from workflows.program_termination import BOTH
from workflows.programs import program_of
from workflows.vocabulary import GROUND_PARTICIPANT, MENTORING_FORMS, ROLE_FORMS


def _has(session: Session, person: Person | None, papers: tuple[str, ...]) -> bool:
    return person is not None and all(signed_of(session, person, k) for k in papers)


def _pairs(session: Session, org: Organization) -> list[dict[str, Any]]:
    """Rows of the pairing order, one per signed agreement whose people have their papers."""
    rows, taken = [], set()
    agreements = session.scalars(select(Document).where(
        Document.organization_id == org.id, Document.kind == "mentoring_agreement",
        Document.state == "signed").order_by(Document.id))
    for agreement in agreements:
        data = agreement.data
        mentor = session.get(Person, data.get("person_id"))
        mentees = [pid for pid in data.get("mentee_ids") or ()
                   if pid not in taken and pid != data.get("person_id")
                   and _has(session, session.get(Person, pid), MENTEE_PAPERS)]
        start, end = as_date(data.get("start_date")), as_date(data.get("end_date"))
        if not mentees or not _has(session, mentor, MENTOR_PAPERS) or not start or not end \
                or end <= start:
            continue
        form = data.get("form") if data.get("form") in MENTORING_FORMS + ROLE_FORMS \
            else "традиционная форма наставничества"
        if form == "наставничество в группе" and len(mentees) < 2:
            form = "традиционная форма наставничества"
        taken.update(mentees)
        rows.append({"mentor_id": mentor.id, "mentee_ids": mentees, "form": form,
                     "start_date": start.isoformat(), "end_date": end.isoformat(),
                     "pay": str(data.get("pay") or "0")})
    return rows


def _program_data(group: MentoringGroup, months: int = 6) -> dict[str, Any]:
    start = group.start_date
    end = start + relativedelta(months=months)

    def on(m: int, d: int = 0) -> str:
        return (start + relativedelta(months=m, days=d)).isoformat()

    return {
        "group_id": group.id, "start_date": start.isoformat(), "end_date": end.isoformat(),
        "forms": [group.form], "directions": ["методика обучения и преподавания",
                                              "организация урочной и внеурочной деятельности"],
        "difficulties": "планирование уроков по обновлённым ФГОС; организация групповой работы "
                        "обучающихся; работа с родителями",
        "plan": [
            {"activity": "Диагностика профессиональных затруднений, составление "
                         "индивидуального маршрута", "start_date": on(0),
             "end_date": on(0, 14), "responsible": "наставник",
             "result": "перечень затруднений и целей"},
            {"activity": "Взаимопосещение уроков и их разбор", "start_date": on(1),
             "end_date": on(months - 1), "responsible": "наставник, наставляемый",
             "result": "не менее 10 посещённых и разобранных уроков"},
            {"activity": "Открытый урок наставляемого", "start_date": on(months, -10),
             "responsible": "наставляемый", "result": "открытый урок, самоанализ"},
        ],
        "expected_results": "наставляемый самостоятельно планирует и проводит уроки, "
                            "применяет приёмы групповой работы",
    }


def seed(session: Session, org: Organization, users: dict[str, User]) -> None:
    """Create the demo pairs and programs of ``org`` unless a pairing order exists already.

    ``users`` are the demo accounts by login («clerk», «curator», «director», teachers'
    logins). Does nothing when no mentor has his consents and agreement on file.
    """
    if session.scalars(select(Document.id).where(Document.organization_id == org.id,
                                                 Document.kind == "pairing_order")).first():
        return
    rows = _pairs(session, org)
    if not rows:
        return
    clerk, curator, director = users["clerk"], users["curator"], users["director"]
    by_person = {u.person_id: u for u in session.scalars(select(User).where(
        User.person_id.is_not(None)))}

    order = create(session, org, clerk, "pairing_order", {
        "pairs": rows, "curator_id": curator.person_id,
        "programs_due_date": deadline_after(date.today(), days=14).day.isoformat(),
        "replaces_order_id": None})
    act(session, order, clerk, "submit")
    act(session, order, curator, "approve")
    act(session, order, director, "sign")
    groups = list(session.scalars(select(MentoringGroup).where(
        MentoringGroup.order_id == order.id).order_by(MentoringGroup.id)))

    # 1: a running program, its extension agreed by the mentor, awaiting the mentees
    first = create(session, org, curator, "mentoring_program", _program_data(groups[0]))
    act(session, first, curator, "submit")  # her own: no visa of hers
    act(session, first, director, "sign")  # the mentor and mentees, then the head
    program = program_of(session, org.id, _program_id(session, first))
    extension = create(session, org, curator, "program_change", {
        "program_id": program.id, "change_type": EXTENSION,
        "new_end_date": (program.start_date + relativedelta(months=9)).isoformat(),
        "new_forms": [], "new_plan": [],
        "reason": "наставляемый пропустил шесть недель по болезни; мероприятия плана "
                  "переносятся по обоюдному согласию участников"})
    act(session, extension, curator, "submit")
    mentor_user = by_person.get(program.group.mentor_id)
    if mentor_user is not None:
        act(session, extension, mentor_user, "approve")

    if len(groups) > 1:  # 2: a program to end early by mutual decision (results after it)
        second = create(session, org, curator, "mentoring_program", _program_data(groups[1]))
        act(session, second, curator, "submit")  # her own: no visa of hers
        act(session, second, director, "sign")  # the mentor and mentees, then the head
        ended = program_of(session, org.id, _program_id(session, second))
        stop = create(session, org, clerk, "program_termination", {
            "program_id": ended.id, "ground": GROUND_PARTICIPANT, "initiator": BOTH,
            "reason": "наставляемый переведён на другую должность",
            "end_date": (ended.start_date + relativedelta(months=4)).isoformat(),
            "results_due_date": deadline_after(ended.start_date, months=4, days=10).day
            .isoformat()})  # no results typed ahead: the order states them once they exist
        act(session, stop, clerk, "submit")
        act(session, stop, curator, "approve")
        act(session, stop, director, "sign")

    if len(groups) > 2:  # 3: a program waiting for the curator's visa
        third = create(session, org, clerk, "mentoring_program", _program_data(groups[2], 9))
        act(session, third, clerk, "submit")
    # the mentees' visas on the extension are left for the demo users to give
    session.flush()


def _program_id(session: Session, doc: Document) -> int:
    return session.scalars(select(Program.id).where(Program.document_id == doc.id)).one()

"""Demo orders and plans of the Положение: the part of ``flask demo`` for regulation_order,
roadmap, curator_order and final_report, in several states.

The order approving the Положение and the curator's appointment are signed (numbers of the
main journal), this year's roadmap waits for the head's signature, next year's was returned
to the curator, and the curator's report for the school year so far (to today) waits for
approval. Everything goes through ``workflows.documents``, so the guards hold and the audit
log has the history.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy.orm import Session

from storage.models import Organization, User
from webforms.demo import act, create
from workflows.roadmap import current_school_year, default_rows


def seed(session: Session, org: Organization, users: dict[str, User]) -> None:
    director, clerk, curator = users["director"], users["clerk"], users["curator"]
    year = current_school_year()
    rows = [{**r, "responsible_id": curator.person_id} for r in default_rows(year)]
    rows[6]["responsible_id"] = clerk.person_id  # the site: the secretary

    today = date.today()
    regulation = create(session, org, clerk, "regulation_order", {
        "effective_date": today.isoformat(), "site_person_id": clerk.person_id,
        "site_date": (today + timedelta(days=10)).isoformat(),
        "control_person_id": curator.person_id, "rows": rows})
    act(session, regulation, clerk, "submit")
    act(session, regulation, director, "sign")  # no visa of his own: he signs it

    appointment = create(session, org, clerk, "curator_order", {
        "person_id": curator.person_id,
        "position_genitive": "заместителя директора по учебно-воспитательной работе",
        "start_date": today.isoformat(),
        "roadmap_due_date": (today + timedelta(days=14)).isoformat(),
        "bank_due_date": (today + timedelta(days=30)).isoformat(),
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

"""Order approving the school's Положение on the mentoring system (П1 §3.1, П2 stage 1).

«Об утверждении положения о системе наставничества педагогических работников в
образовательной организации»: the act the whole system rests on (П1 §3.1). Its Приложение 1
is the school's Положение — the model text of the regulation's Приложение 1 with the
school's name filled in (``doc_templates/texts/model_regulation.json``); its Приложение 2
is the roadmap of П2 with dates and responsible people. Points: approve both, name those
responsible with their deadlines, publish on the school's site by a date, control.
Route: the clerk drafts, the director approves and signs; kept permanently.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from storage.models import Document, Organization
from workflows.calendar import as_date
from workflows.curator_order import MAIN_JOURNAL, is_deputy
from workflows.errors import RuleViolation
from workflows.kinds import DocumentKind, register
from workflows.people import person_of
from workflows.roadmap import ROW_GUARDS, model, responsible_people, rows_context

NAME = "regulation_order"
TITLE = ("Об утверждении положения о системе наставничества педагогических работников в "
         "образовательной организации")


def control_person_is_deputy(session: Session, doc: Document) -> None:
    """Control of the order, if not kept by the head, goes to a deputy head (П1 §3.4)."""
    if not doc.data.get("control_person_id"):
        return
    person = person_of(session, doc.organization_id, doc.data.get("control_person_id"))
    if person is None:
        raise RuleViolation("Ответственный за контроль исполнения приказа не найден в вашей "
                            "организации.", field="control_person_id")
    if not is_deputy(person):
        position = (person.position or "должность не указана").strip()
        raise RuleViolation(
            f"Контроль исполнения приказа можно возложить только на заместителя "
            f"руководителя (куратора); {person.full_name} — "
            f"{position[:1].lower()}{position[1:]}.", field="control_person_id")


def site_person_in_organization(session: Session, doc: Document) -> None:
    """The one who publishes the Положение on the site (П1 §8.1) works in this organization."""
    if person_of(session, doc.organization_id, doc.data.get("site_person_id")) is None:
        raise RuleViolation("Ответственный за размещение Положения на сайте не найден в вашей "
                            "организации.", field="site_person_id")


def site_after_effective_date(session: Session, doc: Document) -> None:
    """The Положение is published once it is in force: not before its effective date."""
    effective, site = as_date(doc.data.get("effective_date")), as_date(doc.data.get("site_date"))
    if effective and site and site < effective:
        raise RuleViolation(f"Срок размещения Положения на сайте ({site:%d.%m.%Y}) раньше "
                            f"даты введения Положения в действие ({effective:%d.%m.%Y}).",
                            field="site_date")


def not_backdated(session: Session, doc: Document) -> None:
    """The Положение takes effect on or after the day the order is signed (no order is
    issued «задним числом»)."""
    effective = as_date(doc.data.get("effective_date"))
    if effective is not None and effective < date.today():
        raise RuleViolation(f"Дата введения Положения в действие ({effective:%d.%m.%Y}) раньше "
                            f"даты подписания приказа ({date.today():%d.%m.%Y}): приказ не "
                            f"издаётся задним числом — укажите дату не ранее сегодняшней.",
                            field="effective_date")


def regulation_text(org: Organization) -> dict[str, Any]:
    """The model Положение with the school's name in its title and clause 1.1."""
    src = model()["regulation"]
    named = f"{org.full_name} ({org.short_name})"
    sections = []
    for s in src["sections"]:
        sections.append({"number": s["number"], "title": s["title"],
                         "paragraphs": [p.replace("{school}", named) for p in s["paragraphs"]]})
    return {"title": src["title"].replace("{school}", org.short_name), "sections": sections}


def order_context(session: Session, doc: Document) -> dict[str, Any]:
    """``extra.regulation`` (Приложение 1), ``extra.rows`` (Приложение 2), ``extra.control``
    and ``extra.site_person`` (people of the points), ``extra.people`` (acknowledgment)."""
    org = session.get(Organization, doc.organization_id)
    control = person_of(session, doc.organization_id, doc.data.get("control_person_id"))
    site = person_of(session, doc.organization_id, doc.data.get("site_person_id"))
    people = {p["id"]: p for p in responsible_people(session, doc)}
    for person in (site, control):
        if person is not None:
            people.setdefault(person.id, person.as_context())
    return {
        "regulation": regulation_text(org),
        "roadmap_title": model()["roadmap"]["title"].replace("{school}", org.short_name),
        "rows": rows_context(session, doc),
        "control": control.as_context() if control else None,
        "site_person": site.as_context() if site else None,
        "people": list(people.values()),
    }


GUARDS = (*ROW_GUARDS, site_person_in_organization, site_after_effective_date,
          control_person_is_deputy)

KIND = register(
    DocumentKind(
        name=NAME,
        title="Приказ об утверждении положения о системе наставничества",
        heading="ПРИКАЗ",
        journal=MAIN_JOURNAL,
        make_title=lambda data: TITLE,
        guards={"submit": GUARDS, "sign": (*GUARDS, not_backdated)},
        retention_permanent=True,
        context=order_context,
    )
)

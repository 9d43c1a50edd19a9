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

from typing import Any

from sqlalchemy.orm import Session

from doc_templates import nouns
from storage.models import Document, Organization
from workflows.acknowledgments import every_pedagogue
from workflows.calendar import as_date
from workflows.errors import RuleViolation
from workflows.guards import (
    deadlines_not_past,
    deputy_head,
    not_backdated,
    person_in_organization,
)
from workflows.kinds import DocumentKind
from workflows.people import person_of
from workflows.roadmap_table import (
    ROW_RULES,
    model,
    responsible_people,
    rows_context,
    stage_ends_not_past,
)
from workflows.signatories import head

NAME = "regulation_order"
TITLE = ("Об утверждении положения о системе наставничества педагогических работников в "
         "образовательной организации")


def site_after_effective_date(session: Session, doc: Document) -> None:
    """The Положение is published once it is in force: not before its effective date."""
    effective, site = as_date(doc.data.get("effective_date")), as_date(doc.data.get("site_date"))
    if effective and site and site < effective:
        raise RuleViolation(f"Срок размещения Положения на сайте ({site:%d.%m.%Y}) раньше "
                            f"даты введения Положения в действие ({effective:%d.%m.%Y}).",
                            field="site_date")


def regulation_text(org: Organization) -> dict[str, Any]:
    """The model Положение with the school's name in its title and clause 1.1, where it
    follows «в образовательной организации» in the prepositional: «– муниципальном
    общеобразовательном учреждении «Средняя школа № 5 …» (МОУ СШ № 5)»."""
    src = model()["regulation"]
    declined = nouns.lower_first(nouns.decline_phrase(org.full_name, "loct", animate=False))
    named = f"– {declined} ({org.short_name})"
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


KIND = DocumentKind(
    name=NAME,
    title="Приказ об утверждении положения о системе наставничества",
    heading="ПРИКАЗ",
    journal="main",
    make_title=lambda data: TITLE,
    signatories=(head(),),
    rules=(
        *ROW_RULES,
        person_in_organization("site_person_id", clause="П1 §8.1",
                               who="Ответственный за размещение Положения на сайте",
                               name="site_person_in_organization"),
        site_after_effective_date,
        # control of the order, if not kept by the head, goes to a deputy head (П1 §3.4)
        person_in_organization("control_person_id", optional=True, clause="П1 §3.4",
                               who="Ответственный за контроль исполнения приказа",
                               name="control_person_in_organization"),
        deputy_head("control_person_id", name="control_person_is_deputy",
                    refusal="Контроль исполнения приказа можно возложить только на "
                            "заместителя руководителя (куратора)"),
    ),
    # the deadline first: its refusal names the term gone by, not only the effective date
    sign_rules=(deadlines_not_past({"site_date": "Срок размещения Положения и дорожной карты "
                                                 "на сайте"}, name="site_date_not_past"),
                not_backdated("effective_date", what="Дата введения Положения в действие"),
                stage_ends_not_past),
    retention_permanent=True,
    context=order_context,
    acknowledgers=every_pedagogue,
)

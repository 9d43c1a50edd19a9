"""Roadmap (дорожная карта, план мероприятий) of putting the Положение into practice (П2).

The curator drafts it (П1 §3.4), the head approves it with the stamp «УТВЕРЖДАЮ» (П1 §3.3).
It has the seven stages of П2, each with its activities, dates and a responsible person.
The order approving the Положение carries the same table as its Приложение 2, so the
model text, the row rules and the names for the template live in
``workflows.roadmap_table`` and serve both kinds; the roadmap adds that its rows stay
inside one school year.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from storage.models import Document
from workflows.acknowledgments import named_in
from workflows.calendar import as_date
from workflows.errors import RuleViolation
from workflows.kinds import DocumentKind
from workflows.roadmap_table import (
    ROW_RULES,
    current_school_year,
    default_rows,
    model,
    responsible_people,
    rows_context,
    rows_of,
    school_year,
    stages,
)
from workflows.signatories import head

__all__ = ["KIND", "current_school_year", "default_rows", "model", "stages"]

NAME = "roadmap"


def dates_inside_school_year(session: Session, doc: Document) -> None:
    """The roadmap plans one school year (1 September – 31 August): its rows stay inside it."""
    year = doc.data.get("school_year")
    if not year:
        return
    first, last = school_year(int(year))
    for n, row in enumerate(rows_of(doc), 1):
        for key in ("start_date", "end_date"):
            d = as_date(row.get(key))
            if d is not None and not first <= d <= last:
                raise RuleViolation(
                    f"Строка {n} дорожной карты («{row.get('stage', '')}»): дата {d:%d.%m.%Y} "
                    f"вне {year}/{int(year) + 1} учебного года ({first:%d.%m.%Y} – "
                    f"{last:%d.%m.%Y}).", field="rows")


def roadmap_context(session: Session, doc: Document) -> dict[str, Any]:
    """``extra.rows`` (the table), ``extra.people`` (the acknowledgment sheet)."""
    year = int(doc.data.get("school_year") or current_school_year())
    return {"rows": rows_context(session, doc), "people": responsible_people(session, doc),
            "school_year": f"{year}/{year + 1}"}


def _title(data: dict[str, Any]) -> str:
    year = data.get("school_year")
    span = f" на {year}/{int(year) + 1} учебный год" if year else ""
    return f"Дорожная карта (план мероприятий) по реализации Положения о наставничестве{span}"


KIND = DocumentKind(
    name=NAME,
    title="Дорожная карта (план мероприятий) по реализации Положения о наставничестве",
    heading="ДОРОЖНАЯ КАРТА",
    journal="plans",
    make_title=_title,
    # the curator develops the roadmap (П1 §3.4): her visa, then the head approves it
    route=("curator", "head"),
    signatories=(head(),),
    rules=(*ROW_RULES, dates_inside_school_year),
    context=roadmap_context,
    acknowledgers=named_in("people"),
)

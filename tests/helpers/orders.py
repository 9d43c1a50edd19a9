"""Helpers for the tests of the orders and plans of the Положение: regulation_order, roadmap,
curator_order, final_report — their data, the rows of the roadmap and the school year, and
a refusal on the way to signed."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from storage.models import Document
from tests.helpers.documents import check_refused, person, walk
from workflows.roadmap import default_rows

START = date.today() + timedelta(days=7)  # an order takes effect ahead: it is not backdated
SITE = START + timedelta(days=10)  # the Положение and the roadmap are on the site by then
ROADMAP, BANK, REPORT = (START + timedelta(days=d) for d in (14, 30, 200))  # curator's dues
CURATOR_POSITION = "заместителя директора по учебно-воспитательной работе"


def roadmap_rows(year: int = 2026, responsible: str = "Сидорова",
                 from_day: date | None = None) -> list[dict[str, Any]]:
    """The seven stages of П2 for the school year ``year``/``year+1`` (or counted from
    ``from_day``, as an order's Приложение), one responsible."""
    pid = person(responsible).id
    return [{**row, "responsible_id": pid} for row in default_rows(year, from_day=from_day)]


def regulation_data(control: str | None = "Сидорова", **extra: Any) -> dict[str, Any]:
    """The order approving the Положение from ``START``, control of its execution given to
    ``control`` (None: kept by the head)."""
    return {"effective_date": START.isoformat(), "site_person_id": person("Кузнецова").id,
            "site_date": SITE.isoformat(),
            "control_person_id": person(control).id if control else None,
            "rows": roadmap_rows(from_day=START), **extra}


def curator_data(last_name: str = "Сидорова", **extra: Any) -> dict[str, Any]:
    """The order appointing ``last_name`` curator from ``START``, with the curator's dues."""
    return {"person_id": person(last_name).id, "position_genitive": CURATOR_POSITION,
            "start_date": START.isoformat(), "roadmap_due_date": ROADMAP.isoformat(),
            "bank_due_date": BANK.isoformat(), "report_due_date": REPORT.isoformat(), **extra}


def within(year: int) -> tuple[date, date]:
    return date(year, 9, 1), date(year + 1, 8, 31)


def check_refused_at(doc: Document, action: str, message: str) -> None:
    """The draft ``doc`` is refused ``action`` with exactly ``message`` and keeps its state:
    ``submit`` as a draft, ``sign`` once submitted and approved (the rule checked again)."""
    stays = "draft"
    if action == "sign":
        walk(doc, "submit")  # an order: the head signs it, no visa of his
        stays = "approved"
    check_refused(doc, message, action=action, whole=True, stays=stays)

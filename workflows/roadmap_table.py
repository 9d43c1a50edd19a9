"""The roadmap table of П2: the model text, the rules of its rows, its names for templates.

Two kinds carry the table: the roadmap itself and the order approving the Положение (its
Приложение 2). The model Положение and roadmap come from the regulation
(``doc_templates/texts/model_regulation.json``); each row is a stage of П2 with its
activities, dates and a responsible pedagogue.
"""

from __future__ import annotations

import json
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from storage.models import Document
from workflows.calendar import as_date, deadline_after, term_end
from workflows.errors import RuleViolation
from workflows.people import person_of

MODEL = Path(__file__).parent.parent / "doc_templates" / "texts" / "model_regulation.json"


@cache
def model() -> dict[str, Any]:
    """The model Положение and roadmap extracted from the regulation (see texts/extract.py)."""
    return json.loads(MODEL.read_text(encoding="utf-8"))


def stages() -> tuple[str, ...]:
    """Names of the seven stages of П2, in order."""
    return tuple(s["stage"] for s in model()["roadmap"]["stages"])


def school_year(start_year: int) -> tuple[date, date]:
    """The school year that starts on 1 September of ``start_year``."""
    return date(start_year, 9, 1), date(start_year + 1, 8, 31)


def current_school_year(today: date | None = None) -> int:
    today = today or date.today()
    return today.year if today.month >= 9 else today.year - 1


def default_rows(start_year: int | None = None, *,
                 from_day: date | None = None) -> list[dict[str, Any]]:
    """The roadmap of П2 as form rows: stage, activities; dates spread over the school year,
    or, given ``from_day`` (the order's date), counted from it: an order approving the
    roadmap sets no stage already over on its date (see ``stage_ends_not_past``), so each
    stage starts and ends the same months after that day as after 1 September, its end
    counted by ``deadline_after`` (moved off a day off, ГК РФ ст. 191–193)."""
    first, last = school_year(start_year or current_school_year())
    spans = [  # months from 1 September (or from ``from_day``): (from, to)
        (0, 1), (0, 2), (0, 2), (1, 3), (2, 11), (8, 12), (0, 12)]
    rows = []
    for s, (a, b) in zip(model()["roadmap"]["stages"], spans, strict=True):
        if from_day is not None:
            start, end = term_end(from_day, months=a), deadline_after(from_day, months=b).day
        else:
            start = _add_months(first, a)
            end = last if b == 12 else _add_months(first, b)
        rows.append({"stage": s["stage"], "content": s["content"],
                     "start_date": start.isoformat(), "end_date": end.isoformat()})
    return rows


def _add_months(d: date, months: int) -> date:
    y, m = divmod(d.month - 1 + months, 12)
    return date(d.year + y, m + 1, 1)


def rows_of(doc: Document) -> list[dict[str, Any]]:
    """The table's rows as the document holds them."""
    return list(doc.data.get("rows") or [])


# --- guards ------------------------------------------------------------------------------


def every_stage_present(session: Session, doc: Document) -> None:
    """Each of the seven stages of П2 has at least one row of activities."""
    present = {r.get("stage") for r in rows_of(doc)}
    missing = [f"{n}. {s}" for n, s in enumerate(stages(), 1) if s not in present]
    if missing:
        raise RuleViolation("В дорожной карте нет этапов, предусмотренных Приложением 2 к "
                            "Положению о наставничестве: " + "; ".join(missing) + ".",
                            field="rows")


def dates_in_order(session: Session, doc: Document) -> None:
    """Each row's term is stated and ends no earlier than it starts."""
    for n, row in enumerate(rows_of(doc), 1):
        start, end = as_date(row.get("start_date")), as_date(row.get("end_date"))
        if start is None or end is None:
            raise RuleViolation(f"Строка {n} дорожной карты («{row.get('stage', '')}»): "
                                f"укажите сроки — дату начала и дату окончания.", field="rows")
        if end < start:
            raise RuleViolation(
                f"Строка {n} дорожной карты («{row.get('stage', '')}»): дата окончания "
                f"{end:%d.%m.%Y} раньше даты начала {start:%d.%m.%Y}.", field="rows")


def responsible_in_organization(session: Session, doc: Document) -> None:
    """Every row names a responsible pedagogue of this organization (П2: «ответственные»)."""
    for n, row in enumerate(rows_of(doc), 1):
        if person_of(session, doc.organization_id, row.get("responsible_id")) is None:
            raise RuleViolation(f"Строка {n} дорожной карты («{row.get('stage', '')}»): "
                                f"ответственный не найден в вашей организации.", field="rows")


def stage_ends_not_past(session: Session, doc: Document) -> None:
    """No stage of the approved roadmap is already over on the day the order is signed
    (checked at signing): an order sets no term gone by on its date (issue 11 point 5;
    ГОСТ Р 7.0.97-2025 — a распорядительный document states its terms from its date; ГК РФ
    ст. 190), so a stage «по 01.10.2026» in an order of 04.12.2026 is refused, not printed.
    The refusal names the stage, its end and the signing date."""
    today = date.today()
    for n, row in enumerate(rows_of(doc), 1):
        end = as_date(row.get("end_date"))
        if end is not None and end < today:
            raise RuleViolation(
                f"Строка {n} дорожной карты, этап «{row.get('stage', '')}»: срок окончания "
                f"({end:%d.%m.%Y}) уже прошёл на дату подписания приказа ({today:%d.%m.%Y}): "
                f"укажите срок не ранее даты подписания.", field="rows")


ROW_RULES = (every_stage_present, dates_in_order, responsible_in_organization)


# --- names for the template ---------------------------------------------------------------


def rows_context(session: Session, doc: Document) -> list[dict[str, Any]]:
    """The rows as the template prints them, in the order of the stages of П2."""
    order = {s: i for i, s in enumerate(stages())}
    rows = sorted(rows_of(doc), key=lambda r: order.get(r.get("stage"), len(order)))
    out = []
    for n, row in enumerate(rows, 1):
        person = person_of(session, doc.organization_id, row.get("responsible_id"))
        out.append({"n": n, "stage": row.get("stage", ""), "content": row.get("content", ""),
                    "start_date": as_date(row.get("start_date")),
                    "end_date": as_date(row.get("end_date")),
                    "responsible": person.as_context() if person else None})
    return out


def responsible_people(session: Session, doc: Document) -> list[dict[str, Any]]:
    """Each responsible person once, in the order of the rows (for the acknowledgment)."""
    seen: dict[int, dict[str, Any]] = {}
    for row in rows_context(session, doc):
        if row["responsible"]:
            seen.setdefault(row["responsible"]["id"], row["responsible"])
    return list(seen.values())

"""Helpers for the tests of the orders and plans of the Положение: regulation_order, roadmap,
curator_order, final_report — the rows of the roadmap and the school year."""

from __future__ import annotations

from datetime import date
from typing import Any

from tests.helpers.documents import person
from workflows.roadmap import default_rows


def roadmap_rows(year: int = 2026, responsible: str = "Сидорова") -> list[dict[str, Any]]:
    """The seven stages of П2 for the school year ``year``/``year+1``, one responsible."""
    pid = person(responsible).id
    return [{**row, "responsible_id": pid} for row in default_rows(year)]


def within(year: int) -> tuple[date, date]:
    return date(year, 9, 1), date(year + 1, 8, 31)

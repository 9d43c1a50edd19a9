"""The лист ознакомления of a signed document as a DOCX of its own (ТК РФ ст. 22, 68).

People acknowledge an order after it is signed, so their dates cannot be in the signed copy:
the archive keeps this sheet beside it, a new version each time an acknowledgment is
recorded. A line not yet acknowledged is left blank for a hand signature and date, so the
same sheet is what the clerk prints for signing on paper. Layout as the documents' own
sheets (``doc_templates.builder.gost``: ГОСТ Р 7.0.97-2025, serif 14 pt, table 12 pt).

This module is given plain values (``Sheet``); what they are is the workflow's business.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import UTC, date, datetime

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.shared import Pt

from doc_templates.builder.gost import (
    CENTER,
    TABLE_SIZE,
    column_widths,
    new_document,
    para,
    repeat_on_every_page,
    whole_row,
)
from doc_templates.russian import date_numeric

HEADERS = ("№", "Фамилия, имя, отчество", "Должность", "Подпись (отметка об ознакомлении)",
           "Дата")
WIDTHS_MM = {True: [10, 50, 38, 47, 25], False: [10, 55, 43, 47, 25]}  # by left margin 30/20


@dataclass(frozen=True)
class SheetLine:
    """One person: ``mark`` says how she acknowledged (empty: not yet, a blank to sign)."""

    name: str
    position: str
    acknowledged_on: date | None
    mark: str = ""


@dataclass(frozen=True)
class Sheet:
    """What the sheet says: the organization, which document («с приказом … № … «О …»»),
    the people, and notes under the table (version, counts, the signed copy's hash)."""

    organization: str
    short_name: str
    subject: str
    lines: tuple[SheetLine, ...]
    notes: tuple[str, ...] = ()
    permanent: bool = False  # kept > 10 years: 30 mm left margin


def _nbsp(text: str) -> str:
    """«№» and «ст.» stay on the line of their number (a non-breaking space)."""
    return text.replace("№ ", "№\u00a0").replace("ст. ", "ст.\u00a0")


def render(sheet: Sheet) -> bytes:
    """The sheet as DOCX bytes."""
    doc = new_document(permanent=sheet.permanent)
    para(doc, _nbsp(sheet.organization), align=CENTER, bold=True)
    para(doc, _nbsp(f"({sheet.short_name})"), align=CENTER, space_after=12)
    para(doc, "ЛИСТ ОЗНАКОМЛЕНИЯ", align=CENTER, bold=True)
    para(doc, _nbsp(sheet.subject), align=CENTER, space_after=12)
    table = doc.add_table(rows=1 + len(sheet.lines), cols=len(HEADERS))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _cells(table.rows[0], HEADERS, bold=True)
    repeat_on_every_page(table.rows[0])  # on every page of a long sheet
    for n, (row, line) in enumerate(zip(table.rows[1:], sheet.lines, strict=True), 1):
        day = date_numeric(line.acknowledged_on) if line.acknowledged_on else ""
        _cells(row, (str(n), line.name, line.position, line.mark, day))
    column_widths(table, WIDTHS_MM[sheet.permanent])
    para(doc, "", space_after=6)
    for note in sheet.notes:
        para(doc, _nbsp(note), size=Pt(10))
    props = doc.core_properties
    props.title = f"Лист ознакомления {sheet.subject}"
    props.author = props.last_modified_by = sheet.short_name
    props.comments = ""
    props.created = props.modified = datetime.now(UTC).replace(tzinfo=None)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _cells(row, texts, *, bold: bool = False) -> None:
    whole_row(row)  # a line stays on a page
    for i, (cell, text) in enumerate(zip(row.cells, texts, strict=True)):
        p = cell.paragraphs[0]
        if bold or i == 0:
            p.alignment = CENTER
        run = p.add_run(text)
        run.bold, run.font.size = bold, TABLE_SIZE


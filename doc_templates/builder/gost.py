"""Layout by ГОСТ Р 7.0.97-2025 for python-docx documents that become templates.

Serif 14 pt (Times New Roman, which LibreOffice replaces by its metric twin Liberation
Serif), margins 20 mm top/bottom, 10 mm right, 20 or 30 mm left (30 for documents kept
more than 10 years), page numbers from page 2 at the top centre.
"""

from __future__ import annotations

from docx import Document as new_docx
from docx.document import Document
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph

FONT = "Times New Roman"
SIZE = Pt(14)

CENTER = WD_ALIGN_PARAGRAPH.CENTER
RIGHT = WD_ALIGN_PARAGRAPH.RIGHT
LEFT = WD_ALIGN_PARAGRAPH.LEFT
JUSTIFY = WD_ALIGN_PARAGRAPH.JUSTIFY


def new_document(*, permanent: bool) -> Document:
    doc = new_docx()
    style = doc.styles["Normal"]
    style.font.name = FONT
    style.font.size = SIZE
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    pf = style.paragraph_format
    pf.space_before = Pt(0)
    pf.space_after = Pt(0)
    pf.line_spacing = 1.0
    section = doc.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_height, section.page_width = Mm(297), Mm(210)
    section.top_margin = section.bottom_margin = Mm(20)
    section.right_margin = Mm(10)
    section.left_margin = Mm(30 if permanent else 20)
    _page_numbers_from_second_page(section)
    return doc


def _page_numbers_from_second_page(section) -> None:
    section.different_first_page_header_footer = True
    p = section.header.paragraphs[0]
    p.alignment = CENTER
    run = p.add_run()
    for tag, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if tag:
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), tag)
            run._r.append(fld)
        else:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
    run.font.size = Pt(12)


def para(doc: Document, text: str = "", *, align=LEFT, bold: bool = False,
         size: Pt | None = None, indent: bool = False, space_after: int = 0,
         keep_with_next: bool = False) -> Paragraph:
    p = doc.add_paragraph()
    p.alignment = align
    if indent:
        p.paragraph_format.first_line_indent = Mm(12.5)
    p.paragraph_format.space_after = Pt(space_after)
    p.paragraph_format.keep_with_next = keep_with_next
    if text:
        run = p.add_run(text)
        run.bold = bold
        if size:
            run.font.size = size
    return p


def tag(doc: Document, statement: str) -> Paragraph:
    """A paragraph holding only a docxtpl ``{%p … %}`` statement (removed when rendered)."""
    return para(doc, "{%p " + statement + " %}")


def organization_block(doc: Document) -> None:
    """Full name of the organization, the short one in brackets (requisite 08)."""
    para(doc, "{{ org.full_name }}", align=CENTER, bold=True)
    para(doc, "({{ org.short_name }})", align=CENTER, space_after=6)


def draft_mark(doc: Document) -> None:
    tag(doc, "if doc.is_draft")
    para(doc, "ПРОЕКТ", align=RIGHT, bold=True, size=Pt(16))
    tag(doc, "endif")


def date_number_line(doc: Document) -> None:
    """Date on the left, registration number on the right; blank lines on a draft."""
    t = doc.add_table(rows=1, cols=2)
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = t.rows[0].cells
    left.paragraphs[0].add_run(
        "{% if doc.date %}{{ doc.date|date_numeric }}{% else %}____________{% endif %}")
    right.paragraphs[0].alignment = RIGHT
    right.paragraphs[0].add_run(
        "№ {% if doc.number %}{{ doc.number }}{% else %}_______{% endif %}")
    para(doc, "{{ org.place }}", align=CENTER, space_after=12)


def esign_mark(doc: Document) -> None:
    """The electronic-signature mark (ГОСТ Р 7.0.97-2025, п. 5.23) when signed in the service."""
    tag(doc, "if esign")
    t = doc.add_table(rows=4, cols=1)
    t.style = "Table Grid"
    t.alignment = WD_TABLE_ALIGNMENT.RIGHT
    lines = (
        "ДОКУМЕНТ ПОДПИСАН ПРОСТОЙ ЭЛЕКТРОННОЙ ПОДПИСЬЮ",
        "Подписант: {{ esign.signer }}, {{ esign.position }}",
        "Идентификатор подписи: {{ esign.signature_id[:32] }}",
        "Дата подписания: {{ esign.signed_at|date_numeric }}",
    )
    for row, text in zip(t.rows, lines, strict=True):
        r = row.cells[0].paragraphs[0].add_run(text)
        r.font.size = Pt(10)
        row.cells[0].paragraphs[0].alignment = CENTER
    tag(doc, "endif")

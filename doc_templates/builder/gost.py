"""Layout by ГОСТ Р 7.0.97-2025 for python-docx documents that become templates.

Serif 14 pt (Times New Roman, which LibreOffice replaces by its metric twin Liberation
Serif), margins 20 mm top/bottom, 10 mm right, 20 or 30 mm left (30 for documents kept
more than 10 years: ``doc_templates.retention``), page numbers from page 2 at the top centre.
The text is Russian (``ru-RU`` in the styles) and hyphenated automatically (not capitals,
not centred headings); a table's header row repeats on every page it runs over and a row
never splits across pages.
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

from doc_templates import retention

FONT = "Times New Roman"
SIZE = Pt(14)

CENTER = WD_ALIGN_PARAGRAPH.CENTER
RIGHT = WD_ALIGN_PARAGRAPH.RIGHT
LEFT = WD_ALIGN_PARAGRAPH.LEFT
JUSTIFY = WD_ALIGN_PARAGRAPH.JUSTIFY


# the kinds kept permanently (``DocumentKind.retention_permanent``; tests/test_layers.py
# checks that the two agree, tests/test_every_kind.py each template's margin)
PERMANENT = retention.permanent_kinds()
LANGUAGE = "ru-RU"


def new_document_for(kind: str) -> Document:
    """A blank page laid out for ``kind``: the 30 mm left margin when its kind is kept
    longer than 10 years (``retention.of(kind).long_kept``: permanently or as a personnel
    document), 20 mm otherwise."""
    return new_document(permanent=retention.of(kind).long_kept)


def start(kind: str, *, approved: bool = False) -> Document:
    """The opening every template shares: the page, the ПРОЕКТ mark, the head's stamp of
    approval if the document is ``approved`` by him (УТВЕРЖДАЮ), the organization."""
    doc = new_document_for(kind)
    draft_mark(doc)
    if approved:
        approval_stamp(doc)
    organization_block(doc)
    return doc


def start_document(kind: str, title: str, *, approved: bool = False,
                   size: Pt | None = None) -> Document:
    """An order, a report or a plan up to its text: ``start``, then ``document_head``."""
    doc = start(kind, approved=approved)
    document_head(doc, title, size=size)
    return doc


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
    pf.widow_control = True
    _russian_hyphenated(doc)
    _no_python_docx_properties(doc)
    section = doc.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_height, section.page_width = Mm(297), Mm(210)
    section.top_margin = section.bottom_margin = Mm(20)
    section.right_margin = Mm(10)
    section.left_margin = Mm(30 if permanent else 20)
    _page_numbers_from_second_page(section)
    return doc


def _russian_hyphenated(doc: Document) -> None:
    """The language of every style is Russian (LibreOffice and Word hyphenate by it, with
    the Russian dictionary) and the document hyphenates automatically, except words in
    capitals (ПРИКАЗЫВАЮ, СОГЛАСОВАНО)."""
    styles = doc.styles.element
    for rpr in (styles.find(qn("w:docDefaults") + "/" + qn("w:rPrDefault") + "/" + qn("w:rPr")),
                doc.styles["Normal"].element.get_or_add_rPr()):
        lang = rpr.find(qn("w:lang"))
        if lang is None:
            lang = OxmlElement("w:lang")
            rpr.append(lang)
        for attr in ("w:val", "w:eastAsia"):
            lang.set(qn(attr), LANGUAGE)
    settings = doc.settings.element
    anchor = settings.find(qn("w:defaultTabStop"))  # the schema's order: right after it
    for name in ("w:doNotHyphenateCaps", "w:autoHyphenation"):
        if settings.find(qn(name)) is None:
            anchor.addnext(OxmlElement(name))


def _no_python_docx_properties(doc: Document) -> None:
    """No «python-docx» left in the template's core properties (its default author and
    comment, a date of 2013); ``render`` sets the title and the author of each document."""
    props = doc.core_properties
    props.author = props.comments = props.last_modified_by = props.title = ""
    props.revision = 1


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
    if align in (CENTER, RIGHT):  # headings and requisites are not hyphenated
        no_hyphens(p)
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


# what follows w:suppressAutoHyphens in a paragraph's properties (the schema's order)
AFTER_HYPHENS = tuple("w:" + n for n in (
    "kinsoku", "wordWrap", "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN",
    "bidi", "adjustRightInd", "snapToGrid", "spacing", "ind", "contextualSpacing",
    "mirrorIndents", "suppressOverlap", "jc", "textDirection", "textAlignment",
    "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr", "sectPr", "pPrChange"))


def no_hyphens(p: Paragraph) -> None:
    """Switch automatic hyphenation off for the paragraph ``p`` (a heading, a requisite)."""
    ppr = p._p.get_or_add_pPr()
    if ppr.find(qn("w:suppressAutoHyphens")) is None:
        ppr.insert_element_before(OxmlElement("w:suppressAutoHyphens"), *AFTER_HYPHENS)


def body(doc: Document, text: str, *, space_after: int = 0) -> Paragraph:
    """A paragraph of the text: justified, its first line indented 12.5 mm."""
    return para(doc, text, align=JUSTIFY, indent=True, space_after=space_after)


def clause(doc: Document, text: str) -> Paragraph:
    """A numbered clause of an agreement or a consent, 3 pt apart from the next."""
    return body(doc, text, space_after=3)


def section_heading(doc: Document, text: str) -> Paragraph:
    """The heading of a section (of a report, of the Положение): centred, bold, kept with
    the text that follows it, 6 pt above and below."""
    p = para(doc, text, align=CENTER, bold=True, space_after=6, keep_with_next=True)
    p.paragraph_format.space_before = Pt(6)
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


def addressee(doc: Document, *lines: str) -> None:
    """The addressee block (requisite 15) at the top right: «Директору …», «от …»."""
    for i, line in enumerate(lines):
        p = para(doc, line, align=LEFT, space_after=12 if i == len(lines) - 1 else 0)
        p.paragraph_format.left_indent = Mm(95)
        no_hyphens(p)


def command_word(doc: Document) -> None:
    """«ПРИКАЗЫВАЮ:», which opens the administrative part of an order."""
    para(doc, "ПРИКАЗЫВАЮ:", bold=True, space_after=6)


def document_head(doc: Document, title: str, *, size: Pt | None = None) -> None:
    """The head of an order, a report, a plan: its heading (ПРИКАЗ, ОТЧЁТ…), the date and
    number, the title of the text."""
    para(doc, "{{ doc.heading }}", align=CENTER, bold=True, size=size, space_after=6)
    date_number_line(doc)
    text_title(doc, title)


TABLE_SIZE = Pt(12)
# The registration date and number as a template prints them: blanks on a draft.
DOC_DATE = "{% if doc.date %}{{ doc.date|date_numeric }}{% else %}__________{% endif %}"
DOC_NUMBER = "{% if doc.number %}{{ doc.number }}{% else %}_____{% endif %}"


def registered(what: str, title: str, *, of_organization: bool = False) -> str:
    """Words naming the document being built by its registration, for its acknowledgment
    sheet: «с приказом [МОУ СШ № 1] от 01.09.2026 № 15 «О…»» (``what`` is «с приказом»)."""
    org = " {{ org.short_name }}" if of_organization else ""
    return f"{what}{org} от {DOC_DATE} № {DOC_NUMBER} «{title}»"


def page_break(doc: Document) -> None:
    """Start what follows on a new page.

    A paragraph that itself begins a page (``pageBreakBefore``, 1 pt high) rather than a
    break character: when the page before is full to the last line, a break character
    would spill onto a page of its own and leave it blank.
    """
    p = doc.add_paragraph()
    p.paragraph_format.page_break_before = True
    p.paragraph_format.space_after = Pt(0)
    p.paragraph_format.line_spacing = Pt(1)
    p.add_run("").font.size = Pt(1)


def text_title(doc: Document, text: str) -> Paragraph:
    """The title of the text (requisite 19), «О…», bold, under the date and number."""
    return para(doc, text, align=CENTER, bold=True, space_after=12)


def numbered_point(doc: Document, number: str, text: str) -> Paragraph:
    """One point of an order's administrative part: «2. Наставникам … в срок до …»."""
    return body(doc, f"{number}. {text}")


def right_block(doc: Document, *lines: str, bold_first: bool = False) -> None:
    """Lines set at the right half of the page: a stamp of approval, an appendix mark."""
    for i, line in enumerate(lines):
        p = para(doc, line, align=LEFT, bold=bold_first and i == 0,
                 space_after=12 if i == len(lines) - 1 else 0)
        p.paragraph_format.left_indent = Mm(100)
        no_hyphens(p)


def approval_stamp(doc: Document) -> None:
    """The head's stamp of approval (requisite 16, гриф утверждения): УТВЕРЖДАЮ …"""
    right_block(doc, "УТВЕРЖДАЮ", "{{ head.position }} {{ org.short_name }}",
                "____________ {{ head|initials }}", DOC_DATE, bold_first=True)


def appendix_mark(doc: Document, of: str = "приказу", number: str = "") -> None:
    """The appendix mark at the top right of an appendix (ГОСТ Р 7.0.97-2025, п. 5.20)."""
    right_block(doc, f"Приложение{' № ' + number if number else ''}",
                f"к {of} {{{{ org.short_name }}}}",
                f"от {DOC_DATE} № {DOC_NUMBER}")


def header_row(row, headers: list[str], size: Pt = TABLE_SIZE) -> None:
    """A table's header row: each heading centred, bold; repeated at the top of every page
    the table runs over (``w:tblHeader``), never split."""
    repeat_on_every_page(row)
    for cell, text in zip(row.cells, headers, strict=True):
        cell.paragraphs[0].alignment = CENTER
        r = cell.paragraphs[0].add_run(text)
        r.bold, r.font.size = True, size


def repeat_on_every_page(row) -> None:
    """Make ``row`` a header row Word and LibreOffice repeat on each page of its table."""
    whole_row(row)
    trpr = row._tr.get_or_add_trPr()
    if trpr.find(qn("w:tblHeader")) is None:
        trpr.append(OxmlElement("w:tblHeader"))


def whole_row(row) -> None:
    """Keep ``row`` on one page (``w:cantSplit``): a row of a pair or a stage is read whole."""
    cant_split(row._tr)


def cant_split(tr) -> None:
    """``whole_row`` of a table row's element (``w:tr``)."""
    trpr = tr.get_or_add_trPr()
    if trpr.find(qn("w:cantSplit")) is None:
        trpr.insert(0, OxmlElement("w:cantSplit"))


def grid_table(doc: Document, headers: list[str], cells: list[str], loop: str,
               widths_mm: list[int] | None = None, size: Pt = TABLE_SIZE):
    """A bordered table: a header row, then one row per item of ``loop`` («p in extra.x»).

    ``cells`` are the template texts of one item's row; docxtpl repeats it.
    """
    t = doc.add_table(rows=4, cols=len(headers))
    t.style = "Table Grid"
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    rows = t.rows
    header_row(rows[0], headers, size)
    rows[1].cells[0].paragraphs[0].add_run("{%tr for " + loop + " %}")
    whole_row(rows[2])
    for cell, text in zip(rows[2].cells, cells, strict=True):
        cell.paragraphs[0].add_run(text).font.size = size
    rows[3].cells[0].paragraphs[0].add_run("{%tr endfor %}")
    if widths_mm:
        column_widths(t, widths_mm)
    return t


def acknowledgment_sheet(doc: Document, people: str, what: str) -> None:
    """Лист ознакомления on its own page: each person of ``people`` signs and dates.

    ``people`` is a template expression giving person mappings; ``what`` names the document
    («с приказом … „О закреплении…“»).
    """
    page_break(doc)
    para(doc, "ЛИСТ ОЗНАКОМЛЕНИЯ", align=CENTER, bold=True)
    para(doc, what, align=CENTER, space_after=12)
    grid_table(doc, ["№", "Фамилия, имя, отчество", "Должность", "Подпись", "Дата"],
               ["{{ loop.index }}", "{{ p|full_name }}", "{{ p.position }}", "", ""],
               f"p in {people}", widths_mm=[10, 65, 45, 30, 25])


def column_widths(table, widths_mm: list[int]) -> None:
    """Fix a table's column widths where LibreOffice reads them too (``w:tblGrid``), not only
    in the cells Word reads; the table stops auto-fitting."""
    table.autofit = False
    for col, w in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths_mm, strict=True):
        col.set(qn("w:w"), str(int(w * 56.7)))
    for row in table.rows:
        for cell, w in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(w)

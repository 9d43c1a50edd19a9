"""The signature places of the templates (ГОСТ Р 7.0.97-2025): the signatures (requisite
22) of the head, of another person, of the author of a statement and of the two sides of an
agreement; the visas (requisite 24); and in each place the mark of that party's electronic
signature (п. 5.23), from the context's ``esigns`` by party key.

Every signature place is a block kept on one page with the text before it (``kept``): its
paragraphs keep with the next, its table rows never split, and the last paragraphs of the
text before it keep with it, so a signature, a visa or a mark never stands alone on a page.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from docx.document import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Length, Mm, Pt

from doc_templates.builder.gost import AFTER_HYPHENS, CENTER, cant_split, para, tag, whole_row
from doc_templates.render import KEEP_LAST_ROW

P, TBL, TR = qn("w:p"), qn("w:tbl"), qn("w:tr")
# what follows w:pBdr in a paragraph's properties (the schema's order)
AFTER_BORDERS = ("w:shd", "w:tabs", "w:suppressAutoHyphens", *AFTER_HYPHENS)


def _text(element) -> str:
    return "".join(t.text or "" for t in element.iter(qn("w:t")))


def _keep_next(p) -> None:
    ppr = p.get_or_add_pPr()
    ppr.keepNext_val = True


def _keep_element(element) -> None:
    """A paragraph keeps with the next; a table's rows stay whole and keep together."""
    if element.tag == P:
        _keep_next(element)
    elif element.tag == TBL:
        for tr in element.iter(TR):
            cant_split(tr)
        for p in element.iter(P):
            _keep_next(p)


def _keep_text_before(element) -> None:
    """Keep the text before a signature block with it: from ``element`` back, every
    paragraph up to and including the first that is surely printed (not a docxtpl tag, not
    wholly conditional, not a lead-in already kept with the next). A table stops the walk,
    its last row kept with the block: docxtpl repeats a loop's row, so the template can only
    mark the table and the render keeps the last row it printed (``KEEP_LAST_ROW``; all its
    rows would move a long table whole). The end of a loop of paragraphs stops it too."""
    while element is not None:
        if element.tag == TBL:
            _mark_last_row_kept(element)
            return
        if element.tag != P:
            return
        text = _text(element).strip()
        if text.startswith("{%p"):
            if "endfor" in text:
                return
        else:
            ppr = element.pPr
            lead_in = ppr is not None and ppr.keepNext_val  # «Подписи сторон:», a heading
            _keep_next(element)
            if text and not text.startswith("{%") and not lead_in:
                return
        element = element.getprevious()


def _mark_last_row_kept(tbl) -> None:
    """Ask the render to keep the last printed row of ``tbl`` with what follows it."""
    tblpr = tbl.tblPr
    if tblpr.find(qn("w:tblDescription")) is None:
        mark = OxmlElement("w:tblDescription")
        mark.set(qn("w:val"), KEEP_LAST_ROW)
        tblpr.append(mark)  # the last child of w:tblPr by the schema


def kept(build: Callable[..., None]) -> Callable[..., None]:
    """Lay out what ``build`` adds as a signature block kept with the text before it."""
    @functools.wraps(build)
    def wrapper(doc: Document, *args, **kwargs) -> None:
        body = doc.element.body
        last = body[-1]
        before = last.getprevious() if last.tag == qn("w:sectPr") else last
        build(doc, *args, **kwargs)
        element = body[0] if before is None else before.getnext()
        while element is not None and element.tag != qn("w:sectPr"):
            _keep_element(element)
            element = element.getnext()
        _keep_text_before(before)
    return wrapper


@kept
def head_signature(doc: Document) -> None:
    """The signature (requisite 22): the head's position left, initials and surname right."""
    para(doc, "", space_after=12)
    signature_row(doc, "{{ head.position }}", "head")
    party_mark(doc, "head")


@kept
def order_signatures(doc: Document) -> None:
    """What ends an order: the head's signature, the visas, the electronic-signature mark."""
    head_signature(doc)
    visas_block(doc)
    esign_mark(doc)


@kept
def person_signature(doc: Document, position: str, person_expr: str, party: str) -> None:
    """The signature of someone other than the head, who signs as ``party`` (e.g. the
    curator of a report): position left, a line, initials and surname of the person
    ``person_expr`` right, then the mark of her signature."""
    signature_row(doc, position, person_expr)
    party_mark(doc, party)


@kept
def statement_signature(doc: Document, party: str) -> None:
    """The end of a statement or consent from ``data.person``, who signs it as ``party``
    («subject», «author», «employee»): the date it was written on the left, a line,
    initials and surname right, then her signature's mark."""
    signature_row(doc, "{{ data.statement_date|date_quoted }}", "data.person")
    party_mark(doc, party)
    esign_mark(doc)


@kept
def signature_row(doc: Document, left: str, person_expr: str) -> None:
    """One signature (requisite 22): ``left`` (a position or a date) at the left margin, the
    line to sign on and the initials and surname of ``person_expr`` at the right one; a
    blank line after it. One paragraph with a right tab, not a table: LibreOffice keeps a
    paragraph with the next one, never a table, so a mark or visa below stays with it."""
    right_tabbed(doc, left, "____________ {{ " + person_expr + "|initials }}", space_after=12)


def right_tabbed(doc: Document, left: str, right: str, *, size: Pt | None = None,
                 space_after: int = 0) -> None:
    """A line with ``left`` at the left margin and ``right`` set against the right one (a
    right tab stop), instead of runs of spaces that wrap unpredictably."""
    p = para(doc, left, size=size, space_after=space_after)
    p.paragraph_format.tab_stops.add_tab_stop(text_width(doc), WD_TAB_ALIGNMENT.RIGHT)
    run = p.add_run("\t" + right)
    if size:
        run.font.size = size


def text_width(doc: Document) -> Length:
    """The width between the margins of the document's page."""
    section = doc.sections[0]
    return Length(section.page_width - section.left_margin - section.right_margin)


@kept
def party_signatures(doc: Document, left: list[str], right: list[str]) -> None:
    """Signatures of two sides of an agreement, side by side (работодатель | работник)."""
    t = doc.add_table(rows=1, cols=2)
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    whole_row(t.rows[0])
    for cell, lines in zip(t.rows[0].cells, (left, right), strict=True):
        cell.paragraphs[0].add_run(lines[0]).bold = True
        for line in lines[1:]:
            cell.add_paragraph().add_run(line)
    para(doc, "", space_after=12)


@kept
def visas_block(doc: Document, heading: str = "СОГЛАСОВАНО:") -> None:
    """Visas (requisite 24) of the last approval round: the position left, the line and
    the name right, the date under them (ГОСТ Р 7.0.97-2025, п. 5.25)."""
    tag(doc, "if visas")
    para(doc, heading, bold=True, space_after=6)
    tag(doc, "for v in visas")
    right_tabbed(doc, "{{ v.position }}", "____________ {{ v.name }}", size=Pt(12))
    para(doc, "{{ v.date|date_numeric }}", size=Pt(12), space_after=6)
    tag(doc, "endfor")
    tag(doc, "endif")
    para(doc, "", space_after=6)


@kept
def approval_marks(doc: Document) -> None:
    """At the end of a document the head approves (УТВЕРЖДАЮ), the mark of his signature
    (``esign`` for a context without marks by party)."""
    party_mark(doc, "head")
    esign_mark(doc)


@kept
def party_mark(doc: Document, party: str = "", *, key: str = "") -> None:
    """The mark of one party's electronic signature in its signature place (ГОСТ Р
    7.0.97-2025, п. 5.23): «Документ подписан … электронной подписью», the signer, the
    signature's id (the SHA-256 of the file signed where it has none), the date.

    ``party`` is the party key («head», «subject»…), or ``key`` a Jinja expression giving it
    (``'"mentee:" ~ m.id'``). Printed once that party has signed electronically; nothing on
    a draft, for a signature on paper, or before the party signs.
    """
    key = key or f'"{party}"'
    tag(doc, f"with mark = esigns.get({key}) if esigns is defined else none")
    tag(doc, 'if mark and mark.method != "paper"')
    _mark_table(doc, (
        "ДОКУМЕНТ ПОДПИСАН {% if mark.method == 'simple' %}ПРОСТОЙ{% else %}УСИЛЕННОЙ "
        "КВАЛИФИЦИРОВАННОЙ{% endif %} ЭЛЕКТРОННОЙ ПОДПИСЬЮ",
        "Подписант: {{ mark.signer }}{% if mark.position %}, {{ mark.position|lower_first }}"
        "{% endif %}",
        "{% if mark.signature_id %}Идентификатор подписи: {{ mark.signature_id[:32] }}"
        "{% else %}SHA-256 подписанного файла: {{ mark.sha256[:32] }}{% endif %}",
        "Дата подписания: {{ mark.signed_at|date_numeric }}",
    ))
    tag(doc, "endif")
    tag(doc, "endwith")


@kept
def esign_mark(doc: Document) -> None:
    """The head's electronic-signature mark (ГОСТ Р 7.0.97-2025, п. 5.23) where the context
    has no marks by party (``esigns``): a context made before signatures by party; with
    them, each signature place prints its own (``party_mark``)."""
    tag(doc, "if esign and esigns is not defined")
    _mark_table(doc, (
        "ДОКУМЕНТ ПОДПИСАН ПРОСТОЙ ЭЛЕКТРОННОЙ ПОДПИСЬЮ",
        "Подписант: {{ esign.signer }}, {{ esign.position|lower_first }}",
        "Идентификатор подписи: {{ esign.signature_id[:32] }}",
        "Дата подписания: {{ esign.signed_at|date_numeric }}",
    ))
    tag(doc, "endif")


MARK_WIDTH = Mm(110)


def _mark_table(doc: Document, lines: tuple[str, ...]) -> None:
    """A signature mark's frame: a bordered box at the right, a line a paragraph, 10 pt.

    Paragraphs with the same borders, which Word and LibreOffice draw as one box, not a
    table: a paragraph keeps with the next, so the mark stays with its signature.
    """
    for text in lines:
        p = para(doc, text, align=CENTER, size=Pt(10))
        p.paragraph_format.left_indent = Length(text_width(doc) - MARK_WIDTH)
        _box(p)
    # a line without borders after it: two marks in a row stay two boxes, not one
    para(doc).paragraph_format.line_spacing = Pt(6)


def _box(p) -> None:
    """Draw a thin single border round the paragraph ``p`` (joined with its neighbours)."""
    borders = OxmlElement("w:pBdr")
    for side in ("top", "left", "bottom", "right"):
        edge = OxmlElement(f"w:{side}")
        for attr, value in (("val", "single"), ("sz", "4"), ("space", "2"), ("color", "auto")):
            edge.set(qn(f"w:{attr}"), value)
        borders.append(edge)
    p._p.get_or_add_pPr().insert_element_before(borders, *AFTER_BORDERS)

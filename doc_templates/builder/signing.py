"""The signature places of the templates (ГОСТ Р 7.0.97-2025): the signatures (requisite
22) of the head, of another person, of the author of a statement and of the two sides of an
agreement; the visas (requisite 24); and in each place the mark of that party's electronic
signature (п. 5.23), from the context's ``esigns`` by party key.
"""

from __future__ import annotations

from docx.document import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.shared import Pt

from doc_templates.builder.gost import CENTER, RIGHT, para, tag


def head_signature(doc: Document) -> None:
    """The signature (requisite 22): the head's position left, initials and surname right."""
    para(doc, "", space_after=12)
    signature_row(doc, "{{ head.position }}", "head")
    party_mark(doc, "head")


def order_signatures(doc: Document) -> None:
    """What ends an order: the head's signature, the visas, the electronic-signature mark."""
    head_signature(doc)
    visas_block(doc)
    esign_mark(doc)


def person_signature(doc: Document, position: str, person_expr: str, party: str) -> None:
    """The signature of someone other than the head, who signs as ``party`` (e.g. the
    curator of a report): position left, a line, initials and surname of the person
    ``person_expr`` right, then the mark of her signature."""
    signature_row(doc, position, person_expr)
    party_mark(doc, party)


def statement_signature(doc: Document, party: str) -> None:
    """The end of a statement or consent from ``data.person``, who signs it as ``party``
    («subject», «author», «employee»): the date it was written on the left, a line,
    initials and surname right, then her signature's mark."""
    signature_row(doc, "{{ data.statement_date|date_quoted }}", "data.person")
    party_mark(doc, party)
    esign_mark(doc)


def signature_row(doc: Document, left: str, person_expr: str) -> None:
    """One signature (requisite 22) as a row of three: ``left`` (a position or a date), a
    line to sign on, the initials and surname of ``person_expr``; a blank line after it."""
    t = doc.add_table(rows=1, cols=3)
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    cell_left, middle, right = t.rows[0].cells
    cell_left.paragraphs[0].add_run(left)
    middle.paragraphs[0].alignment = CENTER
    middle.paragraphs[0].add_run("____________")
    right.paragraphs[0].alignment = RIGHT
    right.paragraphs[0].add_run("{{ " + person_expr + "|initials }}")
    para(doc, "", space_after=12)


def party_signatures(doc: Document, left: list[str], right: list[str]) -> None:
    """Signatures of two sides of an agreement, side by side (работодатель | работник)."""
    t = doc.add_table(rows=1, cols=2)
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))  # one page
    for cell, lines in zip(t.rows[0].cells, (left, right), strict=True):
        cell.paragraphs[0].add_run(lines[0]).bold = True
        for line in lines[1:]:
            cell.add_paragraph().add_run(line)
    para(doc, "", space_after=12)


def visas_block(doc: Document, heading: str = "СОГЛАСОВАНО:") -> None:
    """Visas (requisite 24) of the last approval round: position, name, date."""
    tag(doc, "if visas")
    para(doc, heading, bold=True, space_after=6)
    tag(doc, "for v in visas")
    para(doc, "{{ v.position }}    ____________ {{ v.name }}    {{ v.date|date_numeric }}",
         size=Pt(12))
    tag(doc, "endfor")
    tag(doc, "endif")
    para(doc, "", space_after=6)


def approval_marks(doc: Document) -> None:
    """At the end of a document the head approves (УТВЕРЖДАЮ), the mark of his signature
    (``esign`` for a context without marks by party)."""
    party_mark(doc, "head")
    esign_mark(doc)


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
        "Подписант: {{ mark.signer }}{% if mark.position %}, {{ mark.position }}{% endif %}",
        "{% if mark.signature_id %}Идентификатор подписи: {{ mark.signature_id[:32] }}"
        "{% else %}SHA-256 подписанного файла: {{ mark.sha256[:32] }}{% endif %}",
        "Дата подписания: {{ mark.signed_at|date_numeric }}",
    ))
    tag(doc, "endif")
    tag(doc, "endwith")


def esign_mark(doc: Document) -> None:
    """The head's electronic-signature mark (ГОСТ Р 7.0.97-2025, п. 5.23) where the context
    has no marks by party (``esigns``): a context made before signatures by party; with
    them, each signature place prints its own (``party_mark``)."""
    tag(doc, "if esign and esigns is not defined")
    _mark_table(doc, (
        "ДОКУМЕНТ ПОДПИСАН ПРОСТОЙ ЭЛЕКТРОННОЙ ПОДПИСЬЮ",
        "Подписант: {{ esign.signer }}, {{ esign.position }}",
        "Идентификатор подписи: {{ esign.signature_id[:32] }}",
        "Дата подписания: {{ esign.signed_at|date_numeric }}",
    ))
    tag(doc, "endif")


def _mark_table(doc: Document, lines: tuple[str, ...]) -> None:
    """A signature mark's frame: a bordered box at the right, a line a row, 10 pt."""
    t = doc.add_table(rows=len(lines), cols=1)
    t.style = "Table Grid"
    t.alignment = WD_TABLE_ALIGNMENT.RIGHT
    for row, text in zip(t.rows, lines, strict=True):
        r = row.cells[0].paragraphs[0].add_run(text)
        r.font.size = Pt(10)
        row.cells[0].paragraphs[0].alignment = CENTER

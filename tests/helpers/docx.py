"""DOCX files in tests: reading one back as text, rendering a document, building templates
(good ones with python-docx, malicious ones with zipfile)."""

from __future__ import annotations

import io
import zipfile

import docx

from doc_templates.render import template_path
from storage.db import db_session
from tests.helpers.documents import finish, signed_copy, walk
from workflows.rendering import render_document


def docx_text(data: bytes) -> str:
    """Every paragraph, table cell, header and footer of a DOCX, one per line, as a reader
    reads it: a non-breaking space (``doc_templates.typography``) as a space."""
    return typeset_text(data).replace("\u00a0", " ")


def typeset_text(data: bytes) -> str:
    """``docx_text`` with the non-breaking spaces kept, for tests of the typesetting."""
    d = docx.Document(io.BytesIO(data))
    parts = [p.text for p in d.paragraphs]
    for table in d.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    for section in d.sections:
        parts += [p.text for p in section.header.paragraphs]
        parts += [p.text for p in section.footer.paragraphs]
    return "\n".join(parts)


def rendered(doc, *, final: bool = False) -> str:
    """The text of ``doc`` rendered now (a draft unless ``final``)."""
    return docx_text(render_document(db_session(), doc, final=final))


def make_template(*paragraphs: str, rows: tuple[str, ...] = ()) -> bytes:
    """A DOCX whose paragraphs (and a one-row table of ``rows`` cells) hold Jinja text."""
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if rows:
        table = document.add_table(rows=3, cols=len(rows))
        table.cell(0, 0).text = "{%tr for row in extra.rows %}"
        for i, cell in enumerate(rows):
            table.cell(1, i).text = cell
        table.cell(2, 0).text = "{%tr endfor %}"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def builtin_with(kind: str, marker: str) -> bytes:
    """The built-in template of ``kind`` with one more paragraph at the end."""
    document = docx.Document(str(template_path(kind)))
    document.add_paragraph(marker)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def rezip(data: bytes, *, replace: dict[str, bytes] | None = None,
          add: dict[str, bytes] | None = None, drop: tuple[str, ...] = ()) -> bytes:
    """A copy of the DOCX ``data`` with entries replaced, added or dropped."""
    replace, add = replace or {}, add or {}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            if info.filename in drop:
                continue
            zout.writestr(info.filename, replace.get(info.filename, zin.read(info.filename)))
        for name, content in add.items():
            zout.writestr(name, content)
    return out.getvalue()


def entry(data: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(name)


def draft_then_signed(doc, *actions: str) -> tuple[str, str]:
    """The text of ``doc`` as a draft now, and of the copy filed when it was signed by
    ``actions`` (by default its route: submit, the visas it asks, sign)."""
    draft = rendered(doc)
    if actions:
        walk(doc, *actions)
    else:
        finish(doc)
    return draft, docx_text(signed_copy(doc))

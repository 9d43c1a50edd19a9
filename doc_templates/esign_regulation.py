"""The printable regulation on simple electronic signatures: DOCX built from its text.

The text and its version come from the caller (``signatures.esign_regulation.current()``,
passed in by the web layer: the layers keep ``doc_templates`` and ``signatures`` apart), so
what is printed is exactly what a user accepts. Laid out by ГОСТ Р 7.0.97-2025 like the
other documents (``doc_templates.builder.gost``); the printed copy ends with the version and
the SHA-256 of the text, which each acceptance records, so a paper copy can be matched to
the acceptances. The stamp of approval is left blank for the head's order that adopts it.
"""

from __future__ import annotations

import io
from typing import Protocol

from docx.shared import Pt

from doc_templates.builder.gost import CENTER, JUSTIFY, RIGHT, new_document, para, right_block


class RegulationText(Protocol):
    title: str
    subtitle: str
    version_label: str
    sha256: str
    sections: tuple[tuple[str, tuple[str, ...]], ...]


def docx_bytes(text: RegulationText, organization_name: str) -> bytes:
    """The regulation of ``organization_name`` as a DOCX file."""
    doc = new_document(permanent=False)
    para(doc, organization_name, align=CENTER, bold=True, space_after=12)
    # a local act takes effect by the head's order (ТК РФ ст. 8): its date and number are
    # written in by hand on the printed copy
    right_block(doc, "УТВЕРЖДЕНО", "приказом руководителя", "от ____________ № _____")
    para(doc, text.title.upper(), align=CENTER, bold=True)
    para(doc, text.subtitle, align=CENTER, bold=True)
    para(doc, f"Редакция {text.version_label}", align=CENTER, space_after=12)
    for heading, paragraphs in text.sections:
        para(doc, heading, align=CENTER, bold=True, keep_with_next=True, space_after=6)
        for paragraph in paragraphs:
            para(doc, paragraph, align=JUSTIFY, indent=True)
        para(doc)
    para(doc, f"Контрольная сумма текста (SHA-256): {text.sha256}", align=RIGHT,
         size=Pt(10))
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()

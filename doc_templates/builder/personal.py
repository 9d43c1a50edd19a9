"""The requisites of a personal document (ГОСТ Р 7.0.97-2025): a consent, a statement, a
request is the person's own, not the school's.

So it has no letterhead — neither the organization's name as its author nor the school's
registration number in the letterhead's place. It opens with the addressee at the top
right, the head or the curator by name («Директору МОУ СШ № 5 И.С. Петрову»), and «от»
the person with her position in the genitive («от Ивановой Марии Петровны, учителя
математики»); then the kind's name and its title, the text, the person's date and
signature. The number the school gives it on receipt is the incoming-registration mark
(отметка о поступлении) under the signature, once the document is registered.
"""

from __future__ import annotations

from docx.document import Document
from docx.shared import Pt

from doc_templates.builder import gost, signing
from doc_templates.builder.gost import CENTER, RIGHT, para, tag

# The addressees (requisite 15): the head, the curator — each by position and name.
TO_HEAD = ("{{ head.position_dative or head.position|case('datv') }} {{ org.short_name }}",
           "{{ head|initials('dative') }}")
TO_CURATOR = ("Куратору реализации программ наставничества{% if extra.curator %} "
              "{{ extra.curator|initials('dative') }}{% endif %}",)
# the author: «от Ивановой Марии Петровны,» «учителя математики»
FROM_PERSON = ("от {{ data.person|genitive }},", "{{ data.person|position('gent') }}")


def start(kind: str) -> Document:
    """The page of a personal document, with the ПРОЕКТ mark of a draft and no letterhead."""
    doc = gost.new_document_for(kind)
    gost.draft_mark(doc)
    return doc


def head(doc: Document, title: str, *to: str) -> None:
    """The addressee (``to``: ``TO_HEAD``, ``TO_CURATOR``…, then «от» the person), the
    kind's name (СОГЛАСИЕ, ЗАЯВЛЕНИЕ…) and the title of the text («о замене наставника»)."""
    gost.addressee(doc, *to, *FROM_PERSON)
    para(doc, "{{ doc.heading }}", align=CENTER, bold=True, space_after=6)
    gost.text_title(doc, title)


def end(doc: Document, party: str) -> None:
    """The person's date and signature (as ``party``), then the incoming-registration mark:
    «Вх. № 3-с от 03.12.2026», printed once the school has registered the document."""
    signing.statement_signature(doc, party)
    tag(doc, "if doc.number")
    para(doc, "Вх. № {{ doc.number }} от {{ doc.date|date_numeric }}", align=RIGHT,
         size=Pt(12))
    tag(doc, "endif")

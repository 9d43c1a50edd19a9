"""ДОРОЖНАЯ КАРТА (план мероприятий) по реализации Положения, approved «УТВЕРЖДАЮ» (П2)."""

from docx.document import Document
from docx.shared import Pt

from doc_templates.builder import gost, signing
from doc_templates.builder.gost import CENTER, JUSTIFY, body, para
from doc_templates.builder.regulation_order import CURATOR_BASIS, acknowledgment, roadmap_table

# after «ДОРОЖНАЯ КАРТА (план мероприятий)», which the kind's name keeps together
TITLE = ("по реализации Положения о системе наставничества педагогических работников в "
         "{{ org.short_name }} на {{ extra.school_year }} учебный год")


def build() -> Document:
    doc = gost.start("roadmap", approved=True)
    para(doc, "{{ doc.heading }}", align=CENTER, bold=True, size=Pt(16))
    para(doc, "(план мероприятий)", align=CENTER, bold=True, space_after=6)
    gost.date_number_line(doc)
    gost.text_title(doc, TITLE)
    body(doc, "Дорожная карта составлена в соответствии с Приложением 2 к Положению "
         + CURATOR_BASIS + ".", space_after=12)
    roadmap_table(doc)
    para(doc, "{% if data.notes %}Примечание: {{ data.notes }}{% endif %}", align=JUSTIFY,
         space_after=12)
    signing.visas_block(doc)
    signing.approval_marks(doc)
    acknowledgment(doc, "extra.people",
                   gost.registered("с дорожной картой", "{{ doc.title }}", of_organization=True))
    return doc

"""ДОРОЖНАЯ КАРТА (план мероприятий) по реализации Положения, approved «УТВЕРЖДАЮ» (П2)."""

from docx.document import Document
from docx.shared import Pt

from doc_templates.builder.gost import (
    CENTER,
    DOC_DATE,
    DOC_NUMBER,
    JUSTIFY,
    date_number_line,
    esign_mark,
    para,
    start,
    visas_block,
)
from doc_templates.builder.regulation_order import acknowledgment, roadmap_table


def build() -> Document:
    doc = start("roadmap", approved=True)
    para(doc, "{{ doc.heading }}", align=CENTER, bold=True, size=Pt(16), space_after=6)
    date_number_line(doc)
    para(doc, "(план мероприятий) по реализации Положения о системе наставничества "
         "педагогических работников в {{ org.short_name }} на {{ extra.school_year }} "
         "учебный год", align=CENTER, bold=True, space_after=12)
    para(doc, "Дорожная карта составлена в соответствии с Приложением 2 к Положению о "
         "наставничестве для педагогических работников образовательных организаций "
         "Волгоградской области (приказ комитета образования, науки и молодежной политики "
         "Волгоградской области от 21.03.2022 № 25) и пунктом 3.4 Положения о системе "
         "наставничества педагогических работников в {{ org.short_name }}.",
         align=JUSTIFY, indent=True, space_after=12)
    roadmap_table(doc)
    para(doc, "{% if data.notes %}Примечание: {{ data.notes }}{% endif %}", align=JUSTIFY,
         space_after=12)
    visas_block(doc)
    esign_mark(doc)
    acknowledgment(doc, "extra.people",
                         f"с дорожной картой {{{{ org.short_name }}}} от {DOC_DATE} "
                         f"№ {DOC_NUMBER} «{{{{ doc.title }}}}»")
    return doc

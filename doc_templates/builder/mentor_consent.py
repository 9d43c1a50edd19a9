"""СОГЛАСИЕ педагога на назначение наставником и возложение дополнительных обязанностей."""

from docx.document import Document

from doc_templates.builder.gost import (
    CENTER,
    JUSTIFY,
    LEFT,
    RIGHT,
    date_number_line,
    esign_mark,
    para,
    position_of,
    start,
)


def build() -> Document:
    doc = start("mentor_consent")
    para(doc, "{{ head.position_dative }} {{ org.short_name }}", align=RIGHT)
    para(doc, "{{ head|initials('dative') }}", align=RIGHT)
    para(doc, "от {{ data.person|genitive }},", align=RIGHT)
    para(doc, position_of("data.person"), align=RIGHT, space_after=12)
    para(doc, "{{ doc.heading }}", align=CENTER, bold=True)
    date_number_line(doc)
    para(doc, "на назначение наставником и на возложение дополнительных обязанностей, "
         "связанных с наставнической деятельностью", align=CENTER, bold=True, space_after=12)
    para(doc, "Я, {{ data.person|full_name }}, " + position_of("data.person") + ", "
         "в соответствии со статьёй 351.8 Трудового кодекса Российской Федерации и "
         "Положением о системе наставничества педагогических работников в образовательной "
         "организации даю согласие на назначение меня наставником и на возложение на меня "
         "дополнительных обязанностей, связанных с наставнической деятельностью:",
         align=JUSTIFY, indent=True)
    para(doc, "{{ data.duties }}.", align=JUSTIFY, indent=True)
    para(doc, "Мне известно, что наставничество осуществляется на основании дополнительного "
         "соглашения к трудовому договору, в котором указываются содержание, срок и форма "
         "наставничества и размер доплаты, и что я вправе досрочно прекратить "
         "наставничество, предупредив об этом работодателя в письменной форме не менее чем "
         "за три рабочих дня.", align=JUSTIFY, indent=True)
    para(doc, "{% if data.notes %}{{ data.notes }}{% endif %}", align=JUSTIFY, indent=True,
         space_after=18)
    para(doc, "{{ data.statement_date|date_quoted }}          ____________          "
         "{{ data.person|initials }}", align=LEFT, space_after=18)
    esign_mark(doc)
    return doc

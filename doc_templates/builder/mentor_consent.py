"""СОГЛАСИЕ педагога на назначение наставником и возложение дополнительных обязанностей."""

from docx.document import Document

from doc_templates.builder import personal
from doc_templates.builder.gost import body
from doc_templates.builder.slots import position_of


def build() -> Document:
    doc = personal.start("mentor_consent")
    personal.head(doc, "на назначение наставником и на возложение дополнительных "
                        "обязанностей, связанных с наставнической деятельностью",
                  *personal.TO_HEAD)
    body(doc, "Я, {{ data.person|full_name }}, " + position_of("data.person") + ", "
         "в соответствии со статьёй 351.8 Трудового кодекса Российской Федерации и "
         "Положением о системе наставничества педагогических работников в {{ org.short_name }} "
         "даю согласие на назначение меня наставником и на возложение на меня "
         "дополнительных обязанностей, связанных с наставнической деятельностью:")
    body(doc, "{{ data.duties|sentence }}")
    body(doc, "Мне известно, что наставничество осуществляется на основании дополнительного "
         "соглашения к трудовому договору, в котором указываются содержание, срок и форма "
         "наставничества и размер доплаты, и что я вправе досрочно прекратить "
         "наставничество, предупредив об этом работодателя в письменной форме не менее чем "
         "за три рабочих дня.")
    body(doc, "{% if data.notes %}{{ data.notes|sentence }}{% endif %}", space_after=18)
    personal.end(doc, "employee")
    return doc

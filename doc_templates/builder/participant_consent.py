"""СОГЛАСИЕ на участие в программе наставничества (§4.4.3, П1 §3.3, §6.2)."""

from docx.document import Document

from doc_templates.builder import personal
from doc_templates.builder.gost import body
from doc_templates.builder.regulation_order import REGIONAL_ORDER
from doc_templates.builder.slots import position_of


def build() -> Document:
    doc = personal.start("participant_consent")
    personal.head(doc, "на участие в программе наставничества", *personal.TO_HEAD)
    body(doc, "Я, {{ data.person|full_name }}, " + position_of("data.person") + ", "
         "в соответствии с Положением о системе наставничества педагогических работников в "
         "{{ org.short_name }} даю согласие на участие в программе наставничества в качестве "
         "{{ data.person|by_gender('наставляемого', 'наставляемой') }}, на закрепление за мной "
         "наставника и на возложение на меня обязанностей наставляемого, предусмотренных "
         "Положением: выполнять мероприятия персонализированной программы наставничества в "
         "установленные сроки, участвовать в мониторинге её реализации и оценке результатов.")
    body(doc, "Категория наставляемого (пункт 5.2.3 Положения о наставничестве, утверждённого "
         + REGIONAL_ORDER + "): {{ data.category }}.")
    body(doc, "Мой запрос к наставнику: {{ data.request|sentence }}")
    body(doc, "Мне известно, что я вправе обратиться к куратору и руководителю "
         "образовательной организации с ходатайством о замене наставника.", space_after=18)
    personal.end(doc, "subject")
    return doc

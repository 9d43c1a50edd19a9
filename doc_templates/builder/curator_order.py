"""ПРИКАЗ о назначении куратора реализации программ наставничества (§4.4.4, П1 §3.4)."""

from docx.document import Document
from docx.shared import Pt

from doc_templates.builder import gost, signing
from doc_templates.builder.gost import body, numbered_point
from doc_templates.builder.regulation_order import LAWS, REGIONAL_ORDER, acknowledgment

TITLE = "О назначении куратора реализации программ наставничества педагогических работников"


def build() -> Document:
    doc = gost.start_document("curator_order", TITLE, size=Pt(16))
    body(doc, LAWS + "пунктом 4.4.4 Положения о наставничестве, утверждённого "
         + REGIONAL_ORDER + ", "
         "{% if extra.basis %}пунктом 3.4 Положения о системе наставничества педагогических "
         "работников в {{ org.short_name }}, утверждённого приказом от "
         "{{ extra.basis.doc_date|date_numeric }} № {{ extra.basis.number }}, {% endif %}"
         "в целях организации и сопровождения персонализированных программ наставничества")
    gost.command_word(doc)
    numbered_point(doc, "1", "Назначить {{ data.person|accusative }}, "
                   "{{ data.position_genitive }}, куратором реализации программ наставничества "
                   "педагогических работников в {{ org.short_name }} с "
                   "{{ data.start_date|date_numeric }}.")
    numbered_point(doc, "2", "{{ data.person|dative }} обеспечить выполнение обязанностей "
                   "куратора, предусмотренных пунктом 3.4 Положения о системе наставничества "
                   "педагогических работников, в том числе:")
    body(doc, "2.1. разработать дорожную карту (план мероприятий) по реализации Положения и "
         "представить её на утверждение в срок до {{ data.roadmap_due_date|date_numeric }};")
    body(doc, "2.2. сформировать банк наставников и наставляемых, обеспечив их согласия на "
         "обработку персональных данных, в срок до {{ data.bank_due_date|date_numeric }};")
    body(doc, "2.3. представить итоговый аналитический отчёт о реализации системы "
         "наставничества в срок до {{ data.report_due_date|date_numeric }}.")
    numbered_point(doc, "3", "Секретарю ознакомить с настоящим приказом "
                   "{{ data.person|accusative }} под подпись в течение трёх рабочих дней со "
                   "дня его подписания.")
    numbered_point(doc, "4", "Контроль исполнения настоящего приказа оставляю за собой.")
    signing.order_signatures(doc)
    acknowledgment(doc, "[data.person]",
                   gost.registered("с приказом", TITLE, of_organization=True))
    return doc

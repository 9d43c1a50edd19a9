"""СОГЛАСИЕ на участие в программе наставничества (§4.4.3, П1 §3.3, §6.2)."""

from docx.document import Document

from doc_templates.builder.gost import (
    JUSTIFY,
    esign_mark,
    para,
    position_of,
    signature_with_date,
    start,
    statement_head,
)


def build() -> Document:
    doc = start("participant_consent")
    statement_head(doc, "на участие в программе наставничества",
                   "{{ head.position_dative }} {{ org.short_name }}",
                   "{{ head|initials('dative') }}")
    para(doc, "Я, {{ data.person|full_name }}, " + position_of("data.person") + ", "
         "в соответствии с Положением о системе наставничества педагогических работников в "
         "образовательной организации даю согласие на участие в программе наставничества в "
         "качестве наставляемого, на закрепление за мной наставника и на возложение на меня "
         "обязанностей наставляемого, предусмотренных Положением: выполнять мероприятия "
         "персонализированной программы наставничества в установленные сроки, участвовать в "
         "мониторинге её реализации и оценке результатов.", align=JUSTIFY, indent=True)
    para(doc, "Категория наставляемого (пункт 5.2.3 Положения): {{ data.category }}.",
         align=JUSTIFY, indent=True)
    para(doc, "Мой запрос к наставнику: {{ data.request }}", align=JUSTIFY, indent=True)
    para(doc, "Мне известно, что я вправе обратиться к куратору и руководителю "
         "образовательной организации с ходатайством о замене наставника.",
         align=JUSTIFY, indent=True, space_after=18)
    signature_with_date(doc, "data.statement_date", "data.person")
    esign_mark(doc)
    return doc

"""СОГЛАСИЕ на участие в программе наставничества (§4.4.3, П1 §3.3, §6.2)."""

from docx.document import Document

from doc_templates.builder.gost import (
    CENTER,
    JUSTIFY,
    addressee,
    date_number_line,
    esign_mark,
    para,
    signature_with_date,
    start,
)


def build() -> Document:
    doc = start("participant_consent")
    addressee(doc, "{{ head.position_dative }} {{ org.short_name }}",
              "{{ head|initials('dative') }}",
              "от {{ data.person|genitive }},",
              "{{ data.person.position|lower }}"
              "{% if data.person.subject %} ({{ data.person.subject }}){% endif %}")
    para(doc, "{{ doc.heading }}", align=CENTER, bold=True)
    date_number_line(doc)
    para(doc, "на участие в программе наставничества", align=CENTER, bold=True,
         space_after=12)
    para(doc, "Я, {{ data.person|full_name }}, {{ data.person.position|lower }}"
         "{% if data.person.subject %} ({{ data.person.subject }}){% endif %}, "
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

"""ПЕРСОНАЛИЗИРОВАННАЯ ПРОГРАММА НАСТАВНИЧЕСТВА (§1.3): participants, forms, directions,
the plan of activities with dates and the expected results; approved by the director."""

from docx.document import Document

from doc_templates.builder.gost import (
    CENTER,
    DOC_DATE,
    DOC_NUMBER,
    JUSTIFY,
    acknowledgment_sheet,
    approval_stamp,
    date_number_line,
    esign_mark,
    grid_table,
    para,
    position_of,
    start,
    tag,
    visas_block,
)

PERIOD = ("{% if a.get('end_date') and a.end_date != a.start_date %}с "
          "{{ a.start_date|date_numeric }} по {{ a.end_date|date_numeric }}"
          "{% else %}{{ a.start_date|date_numeric }}{% endif %}")


def section(doc: Document, text: str) -> None:
    para(doc, text, bold=True, space_after=3, keep_with_next=True)


def build() -> Document:
    doc = start("mentoring_program")
    approval_stamp(doc)
    para(doc, "{{ doc.heading }}", align=CENTER, bold=True)
    para(doc, "педагогических работников", align=CENTER, bold=True, space_after=6)
    date_number_line(doc)
    para(doc, "Срок реализации: с {{ data.start_date|date_long }} по "
         "{{ data.end_date|date_long }} ({{ extra.term }})", align=CENTER, space_after=12)

    section(doc, "1. Участники программы")
    para(doc, "Наставник: {% if extra.mentor %}{{ extra.mentor|full_name }}, "
         "{{ extra.mentor.position|lower }}{% if extra.mentor.subject %} "
         "({{ extra.mentor.subject }}){% endif %}{% endif %}.", align=JUSTIFY, indent=True)
    para(doc, "{% if extra.mentees|length > 1 %}Наставляемые{% else %}Наставляемый{% endif %}: "
         "{% for m in extra.mentees %}{{ m|full_name }}, " + position_of("m") +
         "{% if not loop.last %}; {% endif %}{% endfor %}.", align=JUSTIFY, indent=True)
    para(doc, "Пара/группа закреплена приказом {% if extra.order %}от "
         "{{ extra.order.doc_date|date_numeric }} № {{ extra.order.number }}{% endif %} "
         "(раздел 6 Положения о системе наставничества педагогических работников в "
         "{{ org.short_name }}).", align=JUSTIFY, indent=True, space_after=6)

    section(doc, "2. Формы и виды наставничества")
    para(doc, "{{ data.forms|join('; ') }}.", align=JUSTIFY, indent=True, space_after=6)
    section(doc, "3. Направления наставнической деятельности")
    para(doc, "{{ data.directions|join('; ') }}.", align=JUSTIFY, indent=True, space_after=6)
    section(doc, "4. Выявленные профессиональные затруднения наставляемого")
    para(doc, "{{ data.difficulties }}", align=JUSTIFY, indent=True, space_after=6)

    section(doc, "5. План мероприятий")
    grid_table(doc, ["№ п/п", "Мероприятие", "Сроки", "Ответственный", "Ожидаемый результат"],
               ["{{ loop.index }}", "{{ a.activity }}", PERIOD, "{{ a.responsible }}",
                "{{ a.get('result', '') }}"],
               "a in data.plan", widths_mm=[10, 60, 35, 35, 40])
    para(doc, "", space_after=6)
    section(doc, "6. Ожидаемые результаты")
    para(doc, "{{ data.expected_results }}", align=JUSTIFY, indent=True, space_after=12)

    visas_block(doc)
    tag(doc, "if doc.number")
    para(doc, "Утверждена руководителем: " + DOC_DATE + " № " + DOC_NUMBER, size=None)
    tag(doc, "endif")
    esign_mark(doc)
    acknowledgment_sheet(doc, "extra.participants",
                         "с персонализированной программой наставничества (срок реализации с "
                         "{{ data.start_date|date_numeric }} по "
                         "{{ data.end_date|date_numeric }})")
    return doc

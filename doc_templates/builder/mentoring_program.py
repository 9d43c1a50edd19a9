"""ПЕРСОНАЛИЗИРОВАННАЯ ПРОГРАММА НАСТАВНИЧЕСТВА (§1.3): participants, forms, directions,
the plan of activities with dates and the expected results; approved by the director."""

from docx.document import Document

from doc_templates.builder import gost, signing
from doc_templates.builder.gost import CENTER, body, para, tag
from doc_templates.builder.slots import PAIR, mentees_word, position_of

PERIOD = ("{% if a.get('end_date') and a.end_date != a.start_date %}с "
          "{{ a.start_date|date_numeric }} по {{ a.end_date|date_numeric }}"
          "{% else %}{{ a.start_date|date_numeric }}{% endif %}")


def section(doc: Document, text: str) -> None:
    para(doc, text, bold=True, space_after=3, keep_with_next=True)


def plan_table(doc: Document, plan: str) -> None:
    """The plan of activities ``plan`` (``data.plan``…): activity, dates, who, result."""
    gost.grid_table(doc, ["№ п/п", "Мероприятие", "Сроки", "Ответственный", "Ожидаемый результат"],
                    ["{{ loop.index }}", "{{ a.activity }}", PERIOD, "{{ a.responsible }}",
                     "{{ a.get('result', '') }}"],
                    f"a in {plan}", widths_mm=[10, 60, 35, 35, 40])
    para(doc, "", space_after=6)


def build() -> Document:
    doc = gost.start("mentoring_program")
    gost.approval_stamp(doc)
    para(doc, "{{ doc.heading }}", align=CENTER, bold=True, space_after=6)
    gost.date_number_line(doc)
    # the title: whose program it is
    para(doc, "педагогических работников", align=CENTER, bold=True)
    para(doc, PAIR, align=CENTER, bold=True, space_after=6)
    para(doc, "Срок реализации: с {{ data.start_date|date_long }} по "
         "{{ data.end_date|date_long }} ({{ extra.term }})", align=CENTER, space_after=12)

    section(doc, "1. Участники программы")
    body(doc, "Наставник: {% if extra.mentor %}{{ extra.mentor|full_name }}, "
         + position_of("extra.mentor") + "{% endif %}.")
    body(doc, mentees_word("extra.mentees", "Наставляемый", "Наставляемая", "Наставляемые") + ": "
         "{% for m in extra.mentees %}{{ m|full_name }}, " + position_of("m") +
         "{% if not loop.last %}; {% endif %}{% endfor %}.")
    body(doc, "Пара/группа закреплена приказом {% if extra.order %}от "
         "{{ extra.order.doc_date|date_numeric }} № {{ extra.order.number }}{% endif %} "
         "(раздел 6 Положения о системе наставничества педагогических работников в "
         "{{ org.short_name }}).", space_after=6)

    section(doc, "2. Формы и виды наставничества")
    body(doc, "{{ data.forms|join('; ')|capitalize_first|sentence }}", space_after=6)
    section(doc, "3. Направления наставнической деятельности")
    body(doc, "{{ data.directions|join('; ')|capitalize_first|sentence }}", space_after=6)
    section(doc, "4. Выявленные профессиональные затруднения "
            + mentees_word("extra.mentees", "наставляемого", "наставляемой", "наставляемых"))
    body(doc, "{{ data.difficulties|capitalize_first|sentence }}", space_after=6)

    section(doc, "5. План мероприятий")
    plan_table(doc, "data.plan")
    section(doc, "6. Ожидаемые результаты")
    body(doc, "{{ data.expected_results|capitalize_first|sentence }}", space_after=12)

    signing.visas_block(doc)
    # agreed by the mentor and every mentee (П1 §5.1), then approved by the head
    signing.party_mark(doc, "mentor")
    tag(doc, "for m in extra.mentees")
    signing.party_mark(doc, key='"mentee:" ~ m.id')
    tag(doc, "endfor")
    signing.approval_marks(doc)
    gost.acknowledgment_sheet(doc, "extra.participants",
                              "с персонализированной программой наставничества (срок реализации с "
                              "{{ data.start_date|date_numeric }} по "
                              "{{ data.end_date|date_numeric }})")
    return doc

"""ЛИСТ ИЗМЕНЕНИЙ персонализированной программы наставничества (П1 §7.2): an extension of
its term or a correction of its plan or forms, by mutual consent of its participants."""

from docx.document import Document

from doc_templates.builder.gost import (
    DOC_DATE,
    DOC_NUMBER,
    JUSTIFY,
    acknowledgment_sheet,
    approval_stamp,
    esign_mark,
    grid_table,
    order_head,
    para,
    start,
    tag,
    visas_block,
)
from doc_templates.builder.mentoring_program import PERIOD

PROGRAM = ("{% if extra.program %}утверждённую {% if extra.program.doc_date %}"
           "{{ extra.program.doc_date|date_numeric }} № {{ extra.program.number }}{% endif %} "
           "(срок реализации с {{ extra.program.start_date|date_numeric }} по "
           "{{ extra.program.end_date|date_numeric }}){% endif %}")


def build() -> Document:
    doc = start("program_change")
    approval_stamp(doc)
    order_head(doc, "{{ extra.heading_title }}")
    para(doc, "В соответствии с пунктом 7.2 Положения о системе наставничества педагогических "
         "работников в {{ org.short_name }}, по обоюдному согласию наставника "
         "{% if extra.mentor %}{{ extra.mentor|genitive }}{% endif %} и "
         "{% if extra.mentees|length > 1 %}наставляемых{% else %}наставляемого{% endif %} "
         "{% for m in extra.mentees %}{{ m|genitive }}{% if not loop.last %}, {% endif %}"
         "{% endfor %} в персонализированную программу наставничества, " + PROGRAM +
         ", вносятся следующие изменения:", align=JUSTIFY, indent=True, space_after=6)
    tag(doc, "for point in extra.points")
    para(doc, "{{ loop.index }}. {{ point }}", align=JUSTIFY, indent=True)
    tag(doc, "endfor")
    tag(doc, "if data.get('new_plan')")
    para(doc, "План мероприятий в новой редакции:", bold=True, space_after=3)
    grid_table(doc, ["№ п/п", "Мероприятие", "Сроки", "Ответственный", "Ожидаемый результат"],
               ["{{ loop.index }}", "{{ a.activity }}", PERIOD, "{{ a.responsible }}",
                "{{ a.get('result', '') }}"],
               "a in data.new_plan", widths_mm=[10, 60, 35, 35, 40])
    para(doc, "", space_after=6)
    tag(doc, "endif")
    para(doc, "Обоснование: {{ data.reason }}", align=JUSTIFY, indent=True, space_after=12)
    visas_block(doc, "СОГЛАСОВАНО (наставник, наставляемые, куратор):")
    tag(doc, "if doc.number")
    para(doc, "Утверждено руководителем: " + DOC_DATE + " № " + DOC_NUMBER)
    tag(doc, "endif")
    esign_mark(doc)
    acknowledgment_sheet(doc, "extra.participants",
                         "с изменениями персонализированной программы наставничества")
    return doc

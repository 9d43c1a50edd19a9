"""ЛИСТ ИЗМЕНЕНИЙ персонализированной программы наставничества (П1 §7.2): an extension of
its term or a correction of its plan or forms, by mutual consent of its participants."""

from docx.document import Document

from doc_templates.builder import gost, signing
from doc_templates.builder.gost import body, para, tag
from doc_templates.builder.mentoring_program import plan_table

# the pair or group, in the genitive: «наставника А.Б. Иванова и наставляемых …»
PAIR = ("наставника {% if extra.mentor %}{{ extra.mentor|genitive }}{% endif %} и "
        "{% if extra.mentees|length > 1 %}наставляемых{% else %}наставляемого{% endif %} "
        "{% for m in extra.mentees %}{{ m|genitive }}{% if not loop.last %}, {% endif %}"
        "{% endfor %}")
# the program changed or ended: «утверждённую 01.09.2026 № 3 (срок реализации с … по …)»
PROGRAM = ("{% if extra.program %}утверждённую {% if extra.program.doc_date %}"
           "{{ extra.program.doc_date|date_numeric }} № {{ extra.program.number }}{% endif %} "
           "(срок реализации с {{ extra.program.start_date|date_numeric }} по "
           "{{ extra.program.end_date|date_numeric }}){% endif %}")


def build() -> Document:
    doc = gost.start("program_change")
    gost.approval_stamp(doc)
    gost.document_head(doc, "{{ extra.heading_title }}")
    body(doc, "В соответствии с пунктом 7.2 Положения о системе наставничества педагогических "
         "работников в {{ org.short_name }}, по обоюдному согласию " + PAIR +
         " в персонализированную программу наставничества, " + PROGRAM +
         ", вносятся следующие изменения:", space_after=6)
    tag(doc, "for point in extra.points")
    body(doc, "{{ loop.index }}. {{ point }}")
    tag(doc, "endfor")
    tag(doc, "if data.get('new_plan')")
    para(doc, "План мероприятий в новой редакции:", bold=True, space_after=3)
    plan_table(doc, "data.new_plan")
    tag(doc, "endif")
    body(doc, "Обоснование: {{ data.reason }}", space_after=12)
    signing.visas_block(doc, "СОГЛАСОВАНО (наставник, наставляемые, куратор):")
    gost.approval_note(doc, "Утверждено")
    signing.approval_marks(doc)
    gost.acknowledgment_sheet(doc, "extra.participants",
                              "с изменениями персонализированной программы наставничества")
    return doc

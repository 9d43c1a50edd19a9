"""ЛИСТ ИЗМЕНЕНИЙ персонализированной программы наставничества (П1 §7.2): an extension of
its term or a correction of its plan or forms, by mutual consent of its participants."""

from docx.document import Document

from doc_templates.builder import gost, signing
from doc_templates.builder.gost import body, para, tag
from doc_templates.builder.mentoring_program import plan_table
from doc_templates.builder.slots import PAIR

# after «ЛИСТ ИЗМЕНЕНИЙ», naming what it changes (what kind of change, the points say)
TITLE = ("в персонализированную программу наставничества{% if extra.program and "
         "extra.program.doc_date %} от {{ extra.program.doc_date|date_numeric }} № "
         "{{ extra.program.number }}{% endif %}")


def program(participle: str) -> str:
    """The program changed or ended, its approval agreeing with the noun it follows
    (``participle``: «утверждённую» after «в программу», «утверждённой» after «реализацию
    программы»): «утверждённую от 01.09.2026 № 3-пн (срок реализации с … по …)»."""
    return ("{% if extra.program %}" + participle + " {% if extra.program.doc_date %}от "
            "{{ extra.program.doc_date|date_numeric }} № {{ extra.program.number }} {% endif %}"
            "(срок реализации с {{ extra.program.start_date|date_numeric }} по "
            "{{ extra.program.end_date|date_numeric }}){% endif %}")


def build() -> Document:
    doc = gost.start("program_change")
    gost.approval_stamp(doc)
    gost.document_head(doc, TITLE)
    body(doc, "В соответствии с пунктом 7.2 Положения о системе наставничества педагогических "
         "работников в {{ org.short_name }}, по обоюдному согласию " + PAIR +
         " в персонализированную программу наставничества, " + program("утверждённую") +
         ", вносятся следующие изменения:", space_after=6)
    tag(doc, "for point in extra.points")
    body(doc, "{{ loop.index }}. {{ point }}")
    tag(doc, "endfor")
    tag(doc, "if data.get('new_plan')")
    para(doc, "План мероприятий в новой редакции:", bold=True, space_after=3)
    plan_table(doc, "data.new_plan")
    tag(doc, "endif")
    body(doc, "Обоснование: {{ data.reason|sentence }}", space_after=12)
    signing.visas_block(doc, "СОГЛАСОВАНО (наставник, наставляемые, куратор):")
    signing.approval_marks(doc)
    gost.acknowledgment_sheet(doc, "extra.participants", f"с листом изменений от "
                              f"{gost.DOC_DATE} № {gost.DOC_NUMBER} {TITLE}")
    return doc

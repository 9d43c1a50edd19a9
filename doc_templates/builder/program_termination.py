"""ПРИКАЗ о завершении персонализированной программы наставничества (П1 §7.1; ТК РФ
ст. 351.8), on one of the three grounds."""

from docx.document import Document

from doc_templates.builder import gost, signing
from doc_templates.builder.gost import body, numbered_point
from doc_templates.builder.program_change import program
from doc_templates.builder.slots import PAIR

TITLE = "О завершении персонализированной программы наставничества"


def build() -> Document:
    doc = gost.start_document("program_termination", TITLE)
    body(doc, "В соответствии с пунктом 7.1 Положения о системе наставничества педагогических "
         "работников в {{ org.short_name }}{% if extra.early %}, статьёй 351.8 Трудового "
         "кодекса Российской Федерации{% endif %}, основание: {{ data.ground }}"
         "{% if data.get('initiator') %}, инициатор — {{ data.initiator }}{% endif %}"
         "{% if data.get('reason') %}; причина: {{ data.reason }}{% endif %}"
         "{% if data.get('notice_date') %}; письменное предупреждение от "
         "{{ data.notice_date|date_numeric }}{% endif %},", space_after=6)
    gost.command_word(doc)
    # an early end speaks of ending from its date; results only once they exist (the
    # form's, or activities of the plan done by then), else they are left to the report
    numbered_point(doc, "1", "{% if extra.early %}Прекратить досрочно с "
                   "{{ data.end_date|date_long }}{% else %}Завершить "
                   "{{ data.end_date|date_long }}{% endif %} реализацию персонализированной "
                   "программы наставничества " + PAIR + ", " + program("утверждённой") + "."
                   "{% if data.get('results') %} Итоги реализации программы: "
                   "{{ data.results|sentence }}"
                   "{% elif extra.done %} Выполнены мероприятия плана программы: "
                   "{% for a in extra.done %}«{{ a }}»{% if not loop.last %}, {% endif %}"
                   "{% endfor %}."
                   "{% else %} Итоги реализации программы будут подведены в итоговом "
                   "аналитическом отчёте куратора о реализации системы наставничества."
                   "{% endif %}")
    numbered_point(doc, "2", "Прекратить с {{ data.end_date|date_long }} выполнение "
                   "наставником {% if extra.mentor %}{{ extra.mentor|instrumental }}"
                   "{% endif %} дополнительных обязанностей, связанных с наставничеством, и "
                   "выплату доплаты за наставничество по данной наставнической "
                   "{{ extra.mentees|by_number('паре', 'группе') }}.")
    numbered_point(doc, "3", "Куратору реализации программ наставничества "
                   "{% if extra.curator %}{{ extra.curator|dative }} {% endif %}в срок до "
                   "{{ data.results_due_date|date_long }} подвести итоги реализации программы "
                   "и подготовить материалы для размещения на официальном сайте "
                   "{{ org.short_name }} (пункт 8.2 Положения); ознакомить участников с "
                   "настоящим приказом под подпись.")
    numbered_point(doc, "4", "Контроль за исполнением настоящего приказа оставляю за собой.")
    signing.order_signatures(doc)
    gost.acknowledgment_sheet(doc, "extra.participants", gost.registered("с приказом", TITLE))
    return doc

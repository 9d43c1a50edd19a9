"""ПРИКАЗ о завершении персонализированной программы наставничества (П1 §7.1; ТК РФ
ст. 351.8), on one of the three grounds."""

from docx.document import Document

from doc_templates.builder.gost import (
    DOC_DATE,
    DOC_NUMBER,
    JUSTIFY,
    acknowledgment_sheet,
    esign_mark,
    head_signature,
    numbered_point,
    order_head,
    para,
    start,
    visas_block,
)
from doc_templates.builder.program_change import PROGRAM

TITLE = "О завершении персонализированной программы наставничества"
PEOPLE = ("наставника {% if extra.mentor %}{{ extra.mentor|genitive }}{% endif %} и "
          "{% if extra.mentees|length > 1 %}наставляемых{% else %}наставляемого{% endif %} "
          "{% for m in extra.mentees %}{{ m|genitive }}{% if not loop.last %}, {% endif %}"
          "{% endfor %}")


def build() -> Document:
    doc = start("program_termination")
    order_head(doc, TITLE)
    para(doc, "В соответствии с пунктом 7.1 Положения о системе наставничества педагогических "
         "работников в {{ org.short_name }}{% if extra.early %}, статьёй 351.8 Трудового "
         "кодекса Российской Федерации{% endif %}, основание: {{ data.ground }}"
         "{% if data.get('initiator') %} (инициатор — {{ data.initiator }}){% endif %}"
         "{% if data.get('reason') %}; причина: {{ data.reason }}{% endif %}"
         "{% if data.get('notice_date') %}; письменное предупреждение от "
         "{{ data.notice_date|date_numeric }}{% endif %},", align=JUSTIFY, indent=True,
         space_after=6)
    para(doc, "{% if data.get('results') %}Итоги реализации программы: {{ data.results }}"
         "{% endif %}", align=JUSTIFY, indent=True, space_after=6)
    para(doc, "ПРИКАЗЫВАЮ:", bold=True, space_after=6)
    numbered_point(doc, "1", "Завершить {% if extra.early %}досрочно {% endif %}"
                   "{{ data.end_date|date_long }} реализацию персонализированной программы "
                   "наставничества " + PEOPLE + ", " + PROGRAM + ".")
    numbered_point(doc, "2", "Прекратить с {{ data.end_date|date_long }} выполнение "
                   "наставником {% if extra.mentor %}{{ extra.mentor|instrumental }}"
                   "{% endif %} дополнительных обязанностей, связанных с наставничеством, и "
                   "выплату доплаты за наставничество по этой паре/группе.")
    numbered_point(doc, "3", "Куратору реализации программ наставничества "
                   "{% if extra.curator %}{{ extra.curator|dative }} {% endif %}в срок до "
                   "{{ data.results_due_date|date_long }} подвести итоги реализации программы "
                   "и подготовить материалы для размещения на официальном сайте "
                   "{{ org.short_name }} (пункт 8.2 Положения); ознакомить участников с "
                   "настоящим приказом под подпись.")
    numbered_point(doc, "4", "Контроль за исполнением настоящего приказа оставляю за собой.")
    head_signature(doc)
    visas_block(doc)
    esign_mark(doc)
    acknowledgment_sheet(doc, "extra.participants",
                         "с приказом от " + DOC_DATE + " № " + DOC_NUMBER + " «" + TITLE + "»")
    return doc

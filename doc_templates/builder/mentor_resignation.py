"""ЗАЯВЛЕНИЕ наставника о сложении обязанностей наставника (П1 §4.1; ТК РФ ст. 351.8)."""

from docx.document import Document

from doc_templates.builder.gost import (
    JUSTIFY,
    esign_mark,
    para,
    signature_with_date,
    start,
    statement_head,
)


def build() -> Document:
    doc = start("mentor_resignation")
    statement_head(doc, "о сложении обязанностей наставника",
                   "{{ head.position_dative }} {{ org.short_name }}",
                   "{{ head|initials('dative') }}", "Куратору системы наставничества")
    para(doc, "В соответствии с пунктом 4.1 Положения о системе наставничества педагогических "
         "работников в образовательной организации и статьёй 351.8 Трудового кодекса "
         "Российской Федерации прошу сложить с меня обязанности наставника"
         "{% if extra.mentees %} в отношении "
         "{% for m in extra.mentees %}{{ m|genitive }}{% if not loop.last %}, "
         "{% endif %}{% endfor %}{% endif %} с {{ data.desired_date|date_long }}",
         align=JUSTIFY, indent=True)
    para(doc, "Причина: {{ data.reason }}", align=JUSTIFY, indent=True)
    para(doc, "Заявление подаётся не менее чем за три рабочих дня до даты сложения "
         "обязанностей. Прошу внести соответствующие изменения в приказ о закреплении "
         "наставнических пар (групп) и прекратить выплату доплаты за наставничество с "
         "указанной даты.", align=JUSTIFY, indent=True, space_after=18)
    signature_with_date(doc, "data.statement_date", "data.person")
    esign_mark(doc)
    return doc

"""ЗАЯВЛЕНИЕ наставника о сложении обязанностей наставника (П1 §4.1; ТК РФ ст. 351.8)."""

from docx.document import Document

from doc_templates.builder import personal
from doc_templates.builder.gost import body


def build() -> Document:
    doc = personal.start("mentor_resignation")
    personal.head(doc, "о сложении обязанностей наставника", *personal.TO_HEAD,
                  *personal.TO_CURATOR)
    body(doc, "В соответствии с пунктом 4.1 Положения о системе наставничества педагогических "
         "работников в {{ org.short_name }} и статьёй 351.8 Трудового кодекса "
         "Российской Федерации прошу сложить с меня обязанности наставника"
         "{% if extra.mentees %} в отношении "
         "{% for m in extra.mentees %}{{ m|genitive }}{% if not loop.last %}, "
         "{% endif %}{% endfor %}{% endif %} с {{ data.desired_date|date_long }}")
    body(doc, "Причина: {{ data.reason|sentence }}")
    body(doc, "Предупреждаю об этом не менее чем за три рабочих дня до даты сложения "
         "обязанностей (статья 351.8 Трудового кодекса Российской Федерации). Прошу внести "
         "соответствующие изменения в приказ о закреплении наставнических пар (групп) и "
         "прекратить выплату доплаты за наставничество с указанной даты.", space_after=18)
    personal.end(doc, "author")
    return doc

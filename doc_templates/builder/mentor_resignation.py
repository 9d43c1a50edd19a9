"""ЗАЯВЛЕНИЕ наставника о сложении обязанностей наставника (П1 §4.1; ТК РФ ст. 351.8)."""

from docx.document import Document

from doc_templates.builder import gost, signing
from doc_templates.builder.gost import body


def build() -> Document:
    doc = gost.start("mentor_resignation")
    gost.statement_head(doc, "о сложении обязанностей наставника", *gost.TO_HEAD,
                        gost.TO_CURATOR)
    body(doc, "В соответствии с пунктом 4.1 Положения о системе наставничества педагогических "
         "работников в образовательной организации и статьёй 351.8 Трудового кодекса "
         "Российской Федерации прошу сложить с меня обязанности наставника"
         "{% if extra.mentees %} в отношении "
         "{% for m in extra.mentees %}{{ m|genitive }}{% if not loop.last %}, "
         "{% endif %}{% endfor %}{% endif %} с {{ data.desired_date|date_long }}")
    body(doc, "Причина: {{ data.reason }}")
    body(doc, "Заявление подаётся не менее чем за три рабочих дня до даты сложения "
         "обязанностей. Прошу внести соответствующие изменения в приказ о закреплении "
         "наставнических пар (групп) и прекратить выплату доплаты за наставничество с "
         "указанной даты.", space_after=18)
    signing.statement_signature(doc, "author")
    return doc

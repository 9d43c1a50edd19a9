"""ХОДАТАЙСТВО наставляемого о замене наставника (П1 §5.1)."""

from docx.document import Document

from doc_templates.builder import personal
from doc_templates.builder.gost import body


def build() -> Document:
    doc = personal.start("mentor_replacement_request")
    personal.head(doc, "о замене наставника", *personal.TO_CURATOR, *personal.TO_HEAD)
    body(doc, "В соответствии с пунктом 5.1 Положения о системе наставничества педагогических "
         "работников в {{ org.short_name }} прошу заменить закреплённого за мной "
         "наставника {{ extra.current_mentor|accusative }}"
         "{% if extra.current_mentor.position %}, "
         "{{ extra.current_mentor|position('accs') }}{% endif %}.")
    body(doc, "Причина: {{ data.reason|sentence }}")
    body(doc, "{% if extra.proposed_mentor %}Прошу назначить моим наставником "
         "{{ extra.proposed_mentor|accusative }}"
         "{% if extra.proposed_mentor.position %}, "
         "{{ extra.proposed_mentor|position('accs') }}{% endif %}, с "
         "{{ extra.proposed_mentor|by_gender('его', 'её') }} согласия."
         "{% else %}Прошу подобрать мне другого наставника.{% endif %}")
    body(doc, "Прошу внести соответствующие изменения в приказ о закреплении наставнических "
         "пар (групп).", space_after=18)
    personal.end(doc, "author")
    return doc

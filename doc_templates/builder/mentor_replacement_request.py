"""ХОДАТАЙСТВО наставляемого о замене наставника (П1 §5.1)."""

from docx.document import Document

from doc_templates.builder import gost, signing
from doc_templates.builder.gost import body


def build() -> Document:
    doc = gost.start("mentor_replacement_request")
    gost.statement_head(doc, "о замене наставника", gost.TO_CURATOR,
                        "{% if extra.curator %}{{ extra.curator|initials('dative') }}{% endif %}",
                        *gost.TO_HEAD)
    body(doc, "В соответствии с пунктом 5.1 Положения о системе наставничества педагогических "
         "работников в образовательной организации прошу заменить закреплённого за мной "
         "наставника {{ extra.current_mentor|accusative }}"
         "{% if extra.current_mentor.position %}, {{ extra.current_mentor.position|lower }}"
         "{% endif %}.")
    body(doc, "Причина: {{ data.reason }}")
    body(doc, "{% if extra.proposed_mentor %}Прошу назначить моим наставником "
         "{{ extra.proposed_mentor|accusative }}"
         "{% if extra.proposed_mentor.position %}, "
         "{{ extra.proposed_mentor.position|lower }}{% endif %}"
         "{% if extra.proposed_mentor.subject %} ({{ extra.proposed_mentor.subject }})"
         "{% endif %}, с его (её) согласия."
         "{% else %}Прошу подобрать мне другого наставника.{% endif %}")
    body(doc, "Ходатайство является основанием для внесения изменений в приказ о закреплении "
         "наставнических пар (групп).", space_after=18)
    signing.statement_signature(doc, "author")
    return doc

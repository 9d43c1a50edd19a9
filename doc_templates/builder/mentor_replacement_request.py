"""ХОДАТАЙСТВО наставляемого о замене наставника (П1 §5.1)."""

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
    doc = start("mentor_replacement_request")
    statement_head(doc, "о замене наставника", "Куратору системы наставничества",
                   "{% if extra.curator %}{{ extra.curator|initials('dative') }}{% endif %}",
                   "{{ head.position_dative }} {{ org.short_name }}",
                   "{{ head|initials('dative') }}")
    para(doc, "В соответствии с пунктом 5.1 Положения о системе наставничества педагогических "
         "работников в образовательной организации прошу заменить закреплённого за мной "
         "наставника {{ extra.current_mentor|accusative }}"
         "{% if extra.current_mentor.position %}, {{ extra.current_mentor.position|lower }}"
         "{% endif %}.", align=JUSTIFY, indent=True)
    para(doc, "Причина: {{ data.reason }}", align=JUSTIFY, indent=True)
    para(doc, "{% if extra.proposed_mentor %}Прошу назначить моим наставником "
         "{{ extra.proposed_mentor|accusative }}"
         "{% if extra.proposed_mentor.position %}, "
         "{{ extra.proposed_mentor.position|lower }}{% endif %}"
         "{% if extra.proposed_mentor.subject %} ({{ extra.proposed_mentor.subject }})"
         "{% endif %}, с его (её) согласия."
         "{% else %}Прошу подобрать мне другого наставника.{% endif %}",
         align=JUSTIFY, indent=True)
    para(doc, "Ходатайство является основанием для внесения изменений в приказ о закреплении "
         "наставнических пар (групп).", align=JUSTIFY, indent=True, space_after=18)
    signature_with_date(doc, "data.statement_date", "data.person")
    esign_mark(doc)
    return doc

"""The form of a mentee's request to replace the mentor (П1 §5.1)."""

from marshmallow import fields

from webforms.forms.base import FormSchema, day, person, text


class MentorReplacementRequestForm(FormSchema):
    person_id = person("Наставляемый, подающий ходатайство")
    statement_date = day("Дата ходатайства")
    current_mentor_id = person("Текущий наставник")
    reason = text("Причина замены наставника", max_len=2000, widget="textarea")
    proposed_mentor_id = fields.Integer(
        load_default=None, allow_none=True, strict=False,
        error_messages={"invalid": "Выберите педагога из списка."},
        metadata={"label": "Предлагаемый наставник", "widget": "person",
                  "help": "Необязательно: куратор подберёт наставника сам."})


FORM = MentorReplacementRequestForm

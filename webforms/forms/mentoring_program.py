"""The form of a personalized mentoring program (§1.3; П1 §3.5, §5.1).

The pair/group (``group_id``) is picked from the active pairs and groups
(``/programs``), which lists the organization's active pairs/groups with their numbers:
the shared form page has no widget for choosing a pair.
"""

from marshmallow import ValidationError, validates_schema

from webforms.forms.base import (
    EndsAfterStart,
    FormSchema,
    RowSchema,
    choices,
    day,
    reference,
    rows,
    text,
)
from workflows.vocabulary import DIRECTIONS, MENTORING_FORMS, ROLE_FORMS


class ActivityRow(RowSchema):
    activity = text("Мероприятие", max_len=500)
    start_date = day("Начало")
    end_date = day("Окончание", required=False)
    responsible = text("Ответственный", max_len=200)
    result = text("Ожидаемый результат", required=False, max_len=500)

    @validates_schema
    def _order(self, data, **kwargs) -> None:
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            raise ValidationError("Окончание мероприятия раньше его начала.",
                                  field_name="end_date")


class MentoringProgramForm(EndsAfterStart, FormSchema):
    group_id = reference("Наставническая пара/группа", "groups",
                         help="Пары и группы, закреплённые подписанным приказом.")
    start_date = day("Начало реализации программы")
    end_date = day("Окончание реализации программы",
                   help="Срок программы — от 3 месяцев до 1 года (п. 1.3 Положения).")
    forms = choices("Формы и виды наставничества", MENTORING_FORMS + ROLE_FORMS)
    directions = choices("Направления наставнической деятельности", DIRECTIONS)
    difficulties = text("Выявленные профессиональные затруднения наставляемого",
                        max_len=3000, widget="textarea")
    plan = rows("План мероприятий", ActivityRow)
    expected_results = text("Ожидаемые результаты", max_len=3000, widget="textarea")


FORM = MentoringProgramForm

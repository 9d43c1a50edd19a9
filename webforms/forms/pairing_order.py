"""The form of the order on assigning mentoring pairs/groups (П1 §6; ТК РФ ст. 351.8)."""

from marshmallow import ValidationError, validates

from webforms.forms.base import (
    EndsAfterStart,
    FormSchema,
    RowSchema,
    choice,
    day,
    money,
    people,
    person,
    reference,
    rows,
)
from workflows.vocabulary import MENTORING_FORMS, ROLE_FORMS


class PairRow(EndsAfterStart, RowSchema):
    mentor_id = person("Наставник")
    mentee_ids = people("Наставляемые", min_count=0)
    form = choice("Форма наставничества", MENTORING_FORMS + ROLE_FORMS)
    start_date = day("Начало")
    end_date = day("Окончание")
    pay = money("Доплата, руб. в месяц")

    @validates("mentee_ids")
    def _some_mentee(self, value: list[int], **kwargs) -> None:
        if not value:
            raise ValidationError("Выберите хотя бы одного наставляемого.")


class PairingOrderForm(FormSchema):
    pairs = rows("Наставнические пары и группы (приложение к приказу)", PairRow, max_rows=500,
                 help="Одна строка — одна пара или группа: наставник, наставляемые, форма, "
                      "срок и доплата по дополнительному соглашению.")
    curator_id = person("Куратор реализации программ наставничества")
    programs_due_date = day("Срок разработки персонализированных программ",
                            due_in={"days": 14})  # not past at signing (its guard)
    replaces_order_id = reference(
        "Заменяет приказ", "pairing_orders", required=False,
        help="Если приказ заменяет ранее подписанный приказ о закреплении пар: пары прежнего "
             "приказа с теми же наставниками или наставляемыми прекратятся.")


FORM = PairingOrderForm

"""The form of the order approving the school's Положение (П1 §3.1, П2 stage 1)."""

from marshmallow import fields

from webforms.forms.base import FormSchema, day, person
from webforms.forms.roadmap import roadmap_rows


class RegulationOrderForm(FormSchema):
    effective_date = day("Дата введения Положения в действие")
    site_person_id = person("Ответственный за размещение Положения на сайте")
    site_date = day("Срок размещения Положения и дорожной карты на сайте",
                    due_in={"days": 10})  # on or after signing: site_date_not_past
    control_person_id = fields.Integer(
        load_default=None, strict=False,
        error_messages={"invalid": "Выберите педагога из списка."},
        metadata={"label": "Контроль исполнения возложить на (пусто — оставляю за собой)",
                  "widget": "person",
                  "help": "Заместитель руководителя, например куратор наставничества."})
    rows = roadmap_rows("Дорожная карта (Приложение 2 к приказу)",
                        from_today=True)  # no stage over on signing: stage_ends_not_past


FORM = RegulationOrderForm

"""The form of the supplementary agreement on mentoring (ТК РФ ст. 351.8, 60.2, 151)."""

from datetime import date

from marshmallow import ValidationError, validates

from webforms.forms.base import FormSchema, choice, day, money, people, person, text
from workflows.mentoring_agreement import DEFAULT_CONTENT
from workflows.vocabulary import MENTORING_FORMS


class MentoringAgreementForm(FormSchema):
    person_id = person("Наставник (работник)")
    agreement_date = day("Дата соглашения")
    labor_contract_number = text("Номер трудового договора", max_len=50)
    labor_contract_date = day("Дата трудового договора", earliest=date(1950, 1, 1))
    # min_count=0 and the check below: people(min_count=1) sets load_default on a required
    # field, which marshmallow refuses
    mentee_ids = people("Наставляемые", min_count=0)
    form = choice("Форма наставничества", MENTORING_FORMS)
    start_date = day("Начало наставничества")
    end_date = day("Окончание наставничества")
    pay = money("Доплата за наставничество, руб. в месяц")
    content = text("Содержание наставничества (обязанности наставника)", max_len=3000,
                   widget="textarea", default_text=DEFAULT_CONTENT)

    @validates("mentee_ids")
    def _some_mentee(self, value: list[int], **kwargs) -> None:
        if not value:
            raise ValidationError("Выберите хотя бы одного наставляемого.")


FORM = MentoringAgreementForm

"""The form of a mentee's consent to take part in mentoring (§4.4.3, П1 §3.3, §6.2)."""

from webforms.forms.base import FormSchema, choice, day, person, text
from workflows.vocabulary import MENTEE_CATEGORIES


class ParticipantConsentForm(FormSchema):
    person_id = person("Наставляемый, дающий согласие")
    statement_date = day("Дата согласия")
    category = choice("Категория наставляемого (п. 5.2.3 Положения)", MENTEE_CATEGORIES)
    request = text("Запрос наставляемого: в чём нужна помощь наставника", max_len=3000,
                   widget="textarea")


FORM = ParticipantConsentForm

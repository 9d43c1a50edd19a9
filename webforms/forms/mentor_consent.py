"""The form of the mentor's written consent (§4.4.2, П1 §3.2; ТК РФ ст. 351.8)."""

from webforms.forms.base import FormSchema, day, person, text
from workflows.mentor_consent import DEFAULT_DUTIES


class MentorConsentForm(FormSchema):
    person_id = person("Педагог, дающий согласие",
                       help="Педагогический работник, которого предлагается назначить наставником.")
    statement_date = day("Дата согласия")
    duties = text("Дополнительные обязанности, связанные с наставничеством", max_len=3000,
                  widget="textarea", default_text=DEFAULT_DUTIES)
    notes = text("Дополнительные сведения", required=False, max_len=1000, widget="textarea")


FORM = MentorConsentForm

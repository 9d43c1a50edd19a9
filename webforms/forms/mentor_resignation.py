"""The form of a mentor's statement on resigning the duties of mentor (П1 §4.1)."""

from webforms.forms.base import FormSchema, day, person, text


class MentorResignationForm(FormSchema):
    person_id = person("Наставник, подающий заявление")
    statement_date = day("Дата заявления")
    desired_date = day("Дата сложения обязанностей наставника",
                       help="Не ранее чем через три рабочих дня после подачи заявления "
                            "(ст. 351.8 ТК РФ).")
    reason = text("Причина", max_len=2000, widget="textarea")


FORM = MentorResignationForm

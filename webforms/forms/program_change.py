"""The form of an extension or correction of a program (П1 §7.2).

The program (``program_id``) is picked from the running programs;
its mentor and mentees are taken from the program when the record is sent for approval.
"""

from webforms.forms.base import FormSchema, choice, choices, day, reference, rows, text
from webforms.forms.mentoring_program import ActivityRow
from workflows.program_change import CHANGE_TYPES
from workflows.vocabulary import MENTORING_FORMS, ROLE_FORMS


class ProgramChangeForm(FormSchema):
    program_id = reference("Программа наставничества", "programs",
                           help="Программы, которые сейчас реализуются.")
    change_type = choice("Вид изменения", CHANGE_TYPES)
    new_end_date = day("Новая дата окончания программы", required=False,
                       help="Для продления: не позднее года от начала программы (п. 1.3).")
    new_forms = choices("Новые формы наставничества", MENTORING_FORMS + ROLE_FORMS,
                        min_count=0)
    new_plan = rows("Новый план мероприятий", ActivityRow, min_rows=0,
                    help="Заполните, если план корректируется: он заменит прежний целиком.")
    reason = text("Обоснование изменения", max_len=3000, widget="textarea")


FORM = ProgramChangeForm

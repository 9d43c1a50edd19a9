"""The form of the order ending a program (П1 §7.1; ТК РФ ст. 351.8)."""

from webforms.forms.base import FormSchema, choice, day, reference, text
from workflows.program_termination import INITIATORS
from workflows.vocabulary import TERMINATION_GROUNDS


class ProgramTerminationForm(FormSchema):
    program_id = reference("Программа наставничества", "programs",
                           help="Программы, которые сейчас реализуются.")
    ground = choice("Основание завершения (п. 7.1 Положения)", TERMINATION_GROUNDS)
    initiator = choice("Инициатор", INITIATORS, required=False,
                       help="Обязателен при завершении по инициативе участников.")
    end_date = day("Дата завершения")
    notice_date = day("Дата письменного предупреждения", required=False,
                      help="При досрочном завершении по инициативе одной стороны — не менее "
                           "чем за 3 рабочих дня (ст. 351.8 ТК РФ).")
    reason = text("Причина", required=False, max_len=3000, widget="textarea",
                  help="Обязательна при завершении по инициативе куратора или участников.")
    results = text("Итоги реализации программы", required=False, max_len=3000,
                   widget="textarea")
    results_due_date = day("Срок подведения итогов и подготовки материалов к публикации",
                           due_in={"days": 10})  # not past at signing (its guard)


FORM = ProgramTerminationForm

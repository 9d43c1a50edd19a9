"""The form of the order appointing the curator of mentoring programs (§4.4.4, П1 §3.4)."""

from webforms.forms.base import FormSchema, day, person, text


class CuratorOrderForm(FormSchema):
    person_id = person("Куратор (заместитель руководителя)",
                       help="Назначается из числа заместителей руководителя (п. 3.4 Положения).")
    position_genitive = text("Должность куратора в родительном падеже (кого?)", max_len=300,
                             help="Например: заместителя директора по учебно-воспитательной "
                                  "работе.")
    start_date = day("Дата, с которой назначить куратором")
    # deadlines: on or after the signing day (curator_deadlines_not_past), by default
    # counted from today (calendar.due_default)
    roadmap_due_date = day("Срок разработки дорожной карты", due_in={"days": 14})
    bank_due_date = day("Срок формирования банка наставников и наставляемых",
                        due_in={"days": 30})
    report_due_date = day("Срок представления итогового аналитического отчёта",
                          due_in={"months": 9})


FORM = CuratorOrderForm

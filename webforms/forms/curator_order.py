"""The form of the order appointing the curator of mentoring programs (§4.4.4, П1 §3.4)."""

from webforms.forms.base import FormSchema, day, person, text


class CuratorOrderForm(FormSchema):
    person_id = person("Куратор (заместитель руководителя)",
                       help="Назначается из числа заместителей руководителя (п. 3.4 Положения).")
    position_genitive = text("Должность куратора в родительном падеже (кого?)", max_len=300,
                             help="Например: заместителя директора по учебно-воспитательной "
                                  "работе.")
    start_date = day("Дата, с которой назначить куратором")
    roadmap_due_date = day("Срок разработки дорожной карты")
    bank_due_date = day("Срок формирования банка наставников и наставляемых")
    report_due_date = day("Срок представления итогового аналитического отчёта")


FORM = CuratorOrderForm

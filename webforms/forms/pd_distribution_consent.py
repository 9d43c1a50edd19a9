"""The form of the consent to distribution of personal data (152-ФЗ ст. 10.1)."""

from doc_templates.texts.pd_distribution_consent import DATA_LIST, PURPOSE, TERM
from webforms.forms.base import FormSchema, day, person, text


class PdDistributionConsentForm(FormSchema):
    person_id = person("Субъект персональных данных",
                       help="Педагогический работник, чьи данные размещаются на сайте.")
    statement_date = day("Дата согласия")
    contact = text("Контактная информация субъекта: телефон, адрес электронной почты или "
                   "почтовый адрес", max_len=300)
    website = text("Адрес сайта оператора, на котором размещаются данные", max_len=300,
                   help="Например, https://school5.ru/nastavnichestvo")
    purpose = text("Цель распространения", max_len=1000, widget="textarea",
                   default_text=PURPOSE)
    data_list = text("Персональные данные, разрешённые для распространения", max_len=2000,
                     widget="textarea", default_text=DATA_LIST)
    conditions = text("Условия и запреты на обработку неограниченным кругом лиц", required=False,
                      max_len=2000, widget="textarea",
                      help="Часть 9 статьи 10.1 152-ФЗ; не заполнено — «не устанавливаю».")
    term = text("Срок действия согласия", max_len=500, default_text=TERM)


FORM = PdDistributionConsentForm

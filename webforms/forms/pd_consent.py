"""The form of the personal-data consent (152-ФЗ ст. 9 ч. 4; a separate document)."""

from datetime import date

from doc_templates.texts.pd_consent import TERM
from webforms.forms.base import FormSchema, day, person, text


class PdConsentForm(FormSchema):
    person_id = person("Субъект персональных данных",
                       help="Педагогический работник, дающий согласие.")
    statement_date = day("Дата согласия")
    address = text("Адрес регистрации", max_len=500)
    passport_series = text("Серия паспорта", max_len=10)
    passport_number = text("Номер паспорта", max_len=20)
    # the passport of a citizen of the Russian Federation is issued since 01.10.1997
    passport_date = day("Дата выдачи паспорта", earliest=date(1997, 10, 1))
    passport_issuer = text("Кем выдан паспорт", max_len=500)
    representative_name = text("Представитель субъекта: фамилия, имя, отчество",
                               required=False, max_len=300,
                               help="Заполняется, только если согласие даёт представитель.")
    representative_address = text("Адрес представителя", required=False, max_len=500)
    representative_passport = text("Паспорт представителя: серия, номер, дата выдачи, кем выдан",
                                   required=False, max_len=500)
    representative_authority = text("Документ, подтверждающий полномочия представителя",
                                    required=False, max_len=500)
    term = text("Срок действия согласия", max_len=1000, widget="textarea", default_text=TERM)


FORM = PdConsentForm

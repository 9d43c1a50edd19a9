"""СОГЛАСИЕ на обработку персональных данных: the nine items of 152-ФЗ ст. 9 ч. 4."""

from docx.document import Document

from doc_templates.builder import personal
from doc_templates.builder.gost import body, clause, para
from doc_templates.builder.slots import position_of
from doc_templates.texts.pd_consent import (
    ACTIONS,
    DATA_LIST,
    NO_PROCESSOR,
    PROCESSOR_DUTIES,
    PURPOSE,
    TERM,
    TRANSFER,
)

# the processor named by the installation (``workflows.pd_consent.processor``), or None
HAS_PROCESSOR = "extra.processor is defined and extra.processor"


def opt(name: str, blank: str = "______________") -> str:
    """``data.<name>``, or a blank line to fill in by hand when the form left it out."""
    return (f"{{% if data.{name} is defined and data.{name} %}}{{{{ data.{name} }}}}"
            f"{{% else %}}{blank}{{% endif %}}")


def build() -> Document:
    doc = personal.start("pd_consent")
    personal.head(doc, "на обработку персональных данных", *personal.TO_HEAD)
    body(doc, "В соответствии со статьёй 9 Федерального закона от 27.07.2006 № 152-ФЗ "
         "«О персональных данных» свободно, своей волей и в своём интересе даю конкретное, "
         "предметное, информированное, сознательное и однозначное согласие на обработку "
         "моих персональных данных на следующих условиях.", space_after=6)
    clause(doc, "1. Субъект персональных данных: {{ data.person|full_name }}, " +
           position_of("data.person") + "; "
           "адрес регистрации: " + opt("address") + "; паспорт серия "
           + opt("passport_series", "____") + " № " + opt("passport_number", "________")
           + ", выдан "
           "{% if data.passport_date is defined and data.passport_date %}"
           "{{ data.passport_date|date_numeric }}{% else %}__________{% endif %} "
           + opt("passport_issuer") + ".")
    clause(doc, "2. Представитель субъекта персональных данных: "
           "{% if data.representative_name is defined and data.representative_name %}"
           "{{ data.representative_name }}, адрес: " + opt("representative_address")
           + ", паспорт: " + opt("representative_passport") + ", действующий на основании: "
           + opt("representative_authority") +
           "{% else %}не участвует, согласие дано субъектом лично{% endif %}.")
    clause(doc, "3. Оператор персональных данных: {{ org.full_name }} "
           "({{ org.short_name }}), адрес: "
           "{% if org.address %}{{ org.address }}{% else %}______________{% endif %}"
           "{% if org.inn %}, ИНН {{ org.inn }}{% endif %}"
           "{% if org.ogrn %}, ОГРН {{ org.ogrn }}{% endif %}.")
    clause(doc, f"4. Цель обработки персональных данных: {PURPOSE}.")
    clause(doc, f"5. Перечень персональных данных, на обработку которых даётся согласие: "
           f"{DATA_LIST}.")
    clause(doc, "6. Лицо, осуществляющее обработку персональных данных по поручению "
           "оператора: {% if " + HAS_PROCESSOR + " %}{{ extra.processor.name }}, адрес: "
           "{{ extra.processor.address }}; это лицо " + PROCESSOR_DUTIES
           + "{% else %}" + NO_PROCESSOR + "{% endif %}.")
    clause(doc, "7. Перечень действий с персональными данными и общее описание способов "
           "обработки: " + ACTIONS.format(
               transfer="{% if " + HAS_PROCESSOR + " %}" + TRANSFER + "{% endif %}") + ".")
    clause(doc, "8. Срок действия согласия: " + opt("term", TERM) + ". Согласие может быть "
           "отозвано мною в любой момент письменным заявлением, поданным оператору лично или "
           "направленным по адресу оператора (часть 2 статьи 9 Федерального закона "
           "«О персональных данных»). "
           "В случае отзыва согласия оператор прекращает обработку персональных данных и "
           "уничтожает их в срок, не превышающий тридцати дней с даты поступления отзыва, за "
           "исключением документов, подлежащих хранению в соответствии с законодательством "
           "об архивном деле (часть 5 статьи 21 Федерального закона «О персональных данных»).")
    clause(doc, "9. Подпись субъекта персональных данных"
           "{% if data.representative_name is defined and data.representative_name %}"
           " (его представителя){% endif %}:")
    para(doc, "", space_after=6)
    personal.end(doc, "subject")
    return doc

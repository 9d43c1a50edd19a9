"""СОГЛАСИЕ на обработку персональных данных, разрешённых для распространения (152-ФЗ
ст. 10.1; приказ Роскомнадзора от 24.02.2021 № 18)."""

from docx.document import Document

from doc_templates.builder import personal
from doc_templates.builder.gost import body, clause, para
from doc_templates.builder.slots import position_of
from doc_templates.texts.pd_distribution_consent import (
    DATA_LIST,
    NO_CONDITIONS,
    PURPOSE,
    TERM,
    WITHDRAWAL,
)

BLANK = "______________"


def given(name: str, default: str = BLANK) -> str:
    """``data.<name>`` closing its sentence, or ``default`` (the form's default text, or a
    line to fill by hand) when the document's data lack it."""
    return (f"{{% if data.{name} is defined and data.{name} %}}{{{{ data.{name}|sentence }}}}"
            f"{{% else %}}{default}.{{% endif %}}")


def build() -> Document:
    doc = personal.start("pd_distribution_consent")
    personal.head(doc, "на обработку персональных данных, разрешённых субъектом "
                  "персональных данных для распространения", *personal.TO_HEAD)
    body(doc, "В соответствии со статьёй 10.1 Федерального закона от 27.07.2006 № 152-ФЗ "
         "«О персональных данных» своей волей и в своём интересе даю согласие на "
         "распространение моих персональных данных на следующих условиях.", space_after=6)
    clause(doc, "1. Субъект персональных данных: {{ data.person|full_name }}, "
           + position_of("data.person") + "; контактная информация: " + given("contact"))
    clause(doc, "2. Оператор персональных данных: {{ org.full_name }} ({{ org.short_name }}), "
           "адрес: {% if org.address %}{{ org.address }}{% else %}______________{% endif %}"
           "{% if org.inn %}, ИНН {{ org.inn }}{% endif %}"
           "{% if org.ogrn %}, ОГРН {{ org.ogrn }}{% endif %}.")
    clause(doc, "3. Информационный ресурс оператора, посредством которого осуществляется "
           "распространение персональных данных: официальный сайт " + given("website"))
    clause(doc, "4. Цель распространения персональных данных: " + given("purpose", PURPOSE))
    clause(doc, "5. Персональные данные, разрешённые для распространения: "
           + given("data_list", DATA_LIST))
    clause(doc, "6. Условия и запреты на обработку неограниченным кругом лиц (часть 9 "
           "статьи 10.1 Федерального закона «О персональных данных»): "
           + given("conditions", NO_CONDITIONS))
    clause(doc, "7. Срок действия согласия: " + given("term", TERM))
    clause(doc, "8. " + WITHDRAWAL + ".")
    clause(doc, "9. Подпись субъекта персональных данных:")
    para(doc, "", space_after=6)
    personal.end(doc, "subject")
    return doc

"""ДОПОЛНИТЕЛЬНОЕ СОГЛАШЕНИЕ к трудовому договору о наставничестве (ТК РФ ст. 351.8)."""

from docx.document import Document

from doc_templates.builder import gost, signing
from doc_templates.builder.gost import body, clause, para, tag
from doc_templates.builder.slots import position_of


def build() -> Document:
    doc = gost.start("mentoring_agreement")
    gost.document_head(doc, "к трудовому договору от {{ data.labor_contract_date|date_numeric }} "
                       "№ {{ data.labor_contract_number }} о выполнении работы по наставничеству")
    body(doc, "{{ org.full_name }} ({{ org.short_name }}), именуемое в дальнейшем "
         "«Работодатель», в лице {{ head|position('gent') }} {{ head|genitive }}, "
         "{{ head|by_gender('действующего', 'действующей') }} на основании Устава, с одной "
         "стороны, и {{ data.person|full_name }}, " + position_of("data.person") + ", "
         "{{ data.person|by_gender('именуемый', 'именуемая') }} в дальнейшем "
         "«Работник», с другой стороны, на основании статей 60.2, 151 и 351.8 Трудового "
         "кодекса Российской Федерации и письменного согласия Работника заключили настоящее "
         "дополнительное соглашение о нижеследующем.", space_after=6)
    clause(doc, "1. Работник с его письменного согласия выполняет наряду с работой, "
           "определённой трудовым договором, дополнительную работу по наставничеству в "
           "отношении:")
    tag(doc, "for m in extra.mentees")
    body(doc, "{{ loop.index }}) {{ m|genitive }}, " + position_of("m", "gent") +
         "{% if loop.last %}.{% else %};{% endif %}")
    tag(doc, "endfor")
    clause(doc, "2. Содержание наставничества: {{ data.content }}.")
    clause(doc, "3. Форма наставничества: {{ data.form }}.")
    clause(doc, "4. Срок наставничества: с {{ data.start_date|date_long }} по "
           "{{ data.end_date|date_long }}")  # «… г.» ends the sentence
    clause(doc, "5. За выполнение работы по наставничеству Работнику устанавливается доплата "
           "в размере {{ data.pay|money }} ежемесячно в течение срока наставничества "
           "(статья 151 Трудового кодекса Российской Федерации).")
    clause(doc, "6. Работник вправе досрочно отказаться от выполнения работы по "
           "наставничеству, а Работодатель — досрочно отменить поручение о её выполнении, "
           "предупредив другую сторону в письменной форме не менее чем за три рабочих дня.")
    clause(doc, "7. Остальные условия трудового договора остаются неизменными. Соглашение "
           "вступает в силу со дня его подписания сторонами, составлено в двух экземплярах, "
           "имеющих одинаковую юридическую силу, по одному для каждой из сторон.")
    para(doc, "Подписи сторон:", bold=True, space_after=6, keep_with_next=True)
    signing.party_signatures(
        doc,
        ["Работодатель:", "{{ org.short_name }}", "{{ org.address }}",
         "{{ head.position }}", "____________ {{ head|initials }}"],
        ["Работник:", "{{ data.person|full_name }}",
         "{{ data.person|position|capitalize_first }}", "",
         "____________ {{ data.person|initials }}"],
    )
    signing.party_mark(doc, "employer")
    signing.party_mark(doc, "employee")
    para(doc, "Экземпляр соглашения {{ data.person|by_gender('получил', 'получила') }}: "
         "________ {{ data.person|initials }}  «___» ____________ 20__ г.", space_after=12)
    signing.esign_mark(doc)
    return doc

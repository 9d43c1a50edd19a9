"""ПРИКАЗ о закреплении наставнических пар/групп (П1 §6; ТК РФ ст. 351.8), with the table of
pairs/groups as its appendix and a sheet of acknowledgment for the participants."""

from docx.document import Document
from docx.shared import Pt

from doc_templates.builder import gost, signing
from doc_templates.builder.gost import body, numbered_point, tag
from doc_templates.builder.slots import position_of

TITLE = "О закреплении наставнических пар/групп педагогических работников"
REPLACES = ("{% if extra.replaces %}приказом от {{ extra.replaces.doc_date|date_numeric }} "
            "№ {{ extra.replaces.number }}{% endif %}")


def build() -> Document:
    doc = gost.start_document("pairing_order", TITLE)
    body(doc, "В соответствии со статьёй 351.8 Трудового кодекса Российской Федерации, "
         "разделом 6 Положения о системе наставничества педагогических работников в "
         "{{ org.short_name }}, на основании письменных согласий участников наставнических "
         "пар/групп на возложение на них дополнительных обязанностей, связанных с "
         "наставнической деятельностью, и дополнительных соглашений к трудовым договорам "
         "с наставниками, по результатам формирования наставнических пар/групп на "
         "добровольной основе с непосредственным участием куратора, наставников и педагогов "
         "(пункт 6.2 Положения){% if extra.replaces %}, в связи с изменением состава "
         "наставнических пар/групп, закреплённых " + REPLACES + "{% endif %},", space_after=6)
    gost.command_word(doc)
    numbered_point(doc, "1", "Назначить наставниками педагогических работников, указанных в "
                   "приложении к настоящему приказу, и закрепить за ними наставляемых "
                   "(наставнические пары/группы) на срок, указанный в приложении.")
    numbered_point(doc, "2", "Наставникам совместно с наставляемыми при участии куратора в срок "
                   "до {{ data.programs_due_date|date_long }} разработать персонализированные "
                   "программы наставничества и представить их на утверждение.")
    numbered_point(doc, "3", "Куратору реализации программ наставничества "
                   "{% if extra.curator %}{{ extra.curator|dative }}{% endif %} в течение "
                   "трёх рабочих дней со дня подписания настоящего приказа ознакомить с ним "
                   "участников наставнических пар/групп под подпись, внести сведения о парах/"
                   "группах в банк наставников и наставляемых и осуществлять сопровождение "
                   "реализации персонализированных программ наставничества.")
    numbered_point(doc, "4", "Установить наставникам доплату за наставничество в размере, "
                   "указанном в приложении, на срок наставничества согласно дополнительным "
                   "соглашениям к трудовым договорам (статьи 151, 351.8 Трудового кодекса "
                   "Российской Федерации).")
    tag(doc, "if extra.replaces")
    numbered_point(doc, "5", "Признать утратившим силу " + REPLACES + " в части "
                   "наставнических пар/групп с участием наставников и наставляемых, указанных "
                   "в приложении к настоящему приказу.")
    tag(doc, "endif")
    numbered_point(doc, "{% if extra.replaces %}6{% else %}5{% endif %}",
                   "Контроль за исполнением настоящего приказа оставляю за собой.")
    signing.order_signatures(doc)

    gost.page_break(doc)
    gost.appendix_mark(doc)
    gost.text_title(doc, "Наставнические пары/группы педагогических работников")
    gost.grid_table(
        doc,
        ["№ п/п", "Наставник (Ф.И.О., должность)", "Наставляемые (Ф.И.О., должность)",
         "Форма наставничества", "Срок наставничества", "Доплата в месяц"],
        ["{{ r.n }}",
         "{{ r.mentor|full_name }}, " + position_of("r.mentor"),
         "{% for m in r.mentees %}{{ m|full_name }}, " + position_of("m") +
         "{% if not loop.last %}; {% endif %}{% endfor %}",
         "{{ r.form }}",
         "с {{ r.start_date|date_numeric }} по {{ r.end_date|date_numeric }}",
         "{{ r.pay|money }}"],
        "r in extra.pairs", widths_mm=[12, 42, 46, 27, 23, 20], size=Pt(11))
    gost.acknowledgment_sheet(doc, "extra.participants", gost.registered("с приказом", TITLE))
    return doc

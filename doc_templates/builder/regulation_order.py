"""ПРИКАЗ «Об утверждении положения о системе наставничества…» with its two appendices.

Приложение № 1 is the school's Положение: the model text (``extra.regulation``, from
``doc_templates/texts/model_regulation.json``) printed section by section. Приложение № 2
is the roadmap table (``extra.rows``). Kept permanently: 30 mm left margin.
"""

from docx.document import Document
from docx.shared import Pt

from doc_templates.builder import gost, signing
from doc_templates.builder.gost import CENTER, body, numbered_point, para, tag
from doc_templates.builder.slots import position_of

REGIONAL_ORDER = (
    "приказом комитета образования, науки и молодежной политики Волгоградской области от "
    "21.03.2022 № 25 «Об утверждении Положения о наставничестве для педагогических работников "
    "образовательных организаций, осуществляющих образовательную деятельность по реализации "
    "основных и дополнительных общеобразовательных программ и образовательных программ "
    "среднего профессионального образования в Волгоградской области»"
)
# what the curator's documents (the roadmap, the final report) are made under, after
# «Положения»/«Положению»: the regional regulation, then clause 3.4 of the school's
CURATOR_BASIS = (
    "о наставничестве для педагогических работников образовательных организаций "
    "Волгоградской области (приказ комитета образования, науки и молодежной политики "
    "Волгоградской области от 21.03.2022 № 25) и пунктом 3.4 Положения о системе "
    "наставничества педагогических работников в {{ org.short_name }}"
)
# the title names the school whose Положение it approves (the model's says «в образовательной
# организации», the document's stored title keeps it)
TITLE = ("Об утверждении Положения о системе наставничества педагогических работников в "
         "{{ org.short_name }}")
LAWS = (
    "В соответствии со статьёй 351.8 Трудового кодекса Российской Федерации, Федеральным "
    "законом от 29 декабря 2012 г. № 273-ФЗ «Об образовании в Российской Федерации», "
)


def roadmap_table(doc: Document) -> None:
    """The seven stages of П2: stage, activities, dates, responsible (also used by roadmap)."""
    table = gost.grid_table(
        doc,
        ["№ п/п", "Наименование этапа", "Содержание деятельности и мероприятия", "Сроки",
         "Ответственный"],
        ["{{ r.n }}.", "{{ r.stage }}", "{{ r.content }}",
         "с {{ r.start_date|date_numeric }} по {{ r.end_date|date_numeric }}",
         "{% if r.responsible %}{{ r.responsible|surname_initials }}, "
         + position_of("r.responsible") + "{% endif %}"],
        "r in extra.rows", size=Pt(11))
    gost.column_widths(table, [10, 36, 70, 26, 28])


def acknowledgment(doc: Document, people: str, what: str) -> None:
    """The shared acknowledgment sheet, its columns sized for names and positions."""
    gost.acknowledgment_sheet(doc, people, what)
    gost.column_widths(doc.tables[-1], [10, 55, 55, 25, 25])


def appendix(doc: Document, number: str, name: str, title: str) -> None:
    """An appendix of the order on a page of its own: its mark, its name and title."""
    gost.page_break(doc)
    gost.appendix_mark(doc, number=number)
    para(doc, name, align=CENTER, bold=True)
    para(doc, title, align=CENTER, bold=True, space_after=12)


def build() -> Document:
    doc = gost.start_document("regulation_order", TITLE, size=Pt(16))
    body(doc, LAWS + REGIONAL_ORDER + ", в целях организации системы наставничества "
         "педагогических работников в {{ org.short_name }}")
    gost.command_word(doc)
    numbered_point(doc, "1", "Утвердить Положение о системе наставничества педагогических "
                   "работников в {{ org.short_name }} (приложение № 1) и ввести его в действие "
                   "с {{ data.effective_date|date_numeric }}.")
    numbered_point(doc, "2", "Утвердить дорожную карту (план мероприятий) по реализации "
                   "Положения о системе наставничества педагогических работников в "
                   "{{ org.short_name }} (приложение № 2).")
    numbered_point(doc, "3", "Назначить ответственными за выполнение этапов дорожной карты "
                   "(приложение № 2) в указанные в ней сроки:")
    tag(doc, "for r in extra.rows")
    body(doc, "3.{{ r.n }}. за этап «{{ r.stage }}» — "
         "{% if r.responsible %}" + position_of("r.responsible", "accs") +
         " {{ r.responsible|accusative }}{% endif %}, "
         "срок: с {{ r.start_date|date_numeric }} по {{ r.end_date|date_numeric }};")
    tag(doc, "endfor")
    numbered_point(doc, "4", "{{ extra.site_person|position('datv')|capitalize_first }} "
                   "{{ extra.site_person|dative }} разместить настоящий приказ, Положение и "
                   "дорожную карту на официальном сайте {{ org.short_name }} в специальном "
                   "разделе «Наставничество» в срок до {{ data.site_date|date_numeric }}.")
    numbered_point(doc, "5", "Контроль исполнения настоящего приказа "
                   "{% if extra.control %}возложить на " + position_of("extra.control", "accs")
                   + " {{ extra.control|accusative }}.{% else %}оставляю за собой.{% endif %}")
    signing.order_signatures(doc)

    appendix(doc, "1", "ПОЛОЖЕНИЕ", "{{ extra.regulation.title }}")
    tag(doc, "for s in extra.regulation.sections")
    gost.section_heading(doc, "{{ s.number }}. {{ s.title }}")
    tag(doc, "for text in s.paragraphs")
    body(doc, "{{ text }}")
    tag(doc, "endfor")
    tag(doc, "endfor")

    appendix(doc, "2", "ДОРОЖНАЯ КАРТА (план мероприятий)", "{{ extra.roadmap_title }}")
    roadmap_table(doc)

    acknowledgment(doc, "extra.people",
                   gost.registered("с приказом", TITLE, of_organization=True))
    return doc

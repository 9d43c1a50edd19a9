"""ОТЧЁТ: the curator's final analytical report, approved «УТВЕРЖДАЮ» (§4.4.4, П1 §3.4).

Every figure comes from ``extra.figures`` (``workflows.final_report.figures``), built from
the bank, the pairs/groups and the programs; only conclusions and proposals are typed.
"""

from docx.document import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.shared import Pt

from doc_templates.builder import gost, signing
from doc_templates.builder.gost import CENTER, body, para, tag
from doc_templates.builder.regulation_order import CURATOR_BASIS

# after «ОТЧЁТ», without repeating it (ГОСТ Р 7.0.97-2025: the title does not repeat the kind)
TITLE = ("об итогах реализации системы наставничества педагогических "
         "работников в {{ org.short_name }} за период с {{ data.start_date|date_numeric }} по "
         "{{ data.end_date|date_numeric }}")
PARTICIPANTS = (
    ("Наставников в банке наставников", "mentors"),
    ("Наставляемых в банке наставляемых", "mentees"),
    ("Наставнических пар, работавших в отчётном периоде", "pairs"),
    ("Наставнических групп, работавших в отчётном периоде", "groups"),
    ("Наставников, работавших в парах и группах", "mentors_working"),
    ("Наставляемых, работавших в парах и группах", "mentees_working"),
)
PROGRAMS = (
    ("Персонализированных программ, реализуемых в отчётном периоде", "programs"),
    ("из них завершено в полном объёме", "completed"),
    ("завершено досрочно (п. 7.1 Положения)", "ended_early"),
    ("продлено по обоюдному согласию (п. 7.2 Положения)", "extended"),
    ("продолжают реализовываться", "running"),
)
COLUMNS = [145, 30]  # the label, the figure


def figures_table(doc: Document, rows: tuple[tuple[str, str], ...]) -> None:
    """Figures of ``extra.figures`` by name: one row a figure, its label and its value."""
    t = doc.add_table(rows=len(rows) + 1, cols=2)
    t.style = "Table Grid"
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    gost.header_row(t.rows[0], ["Показатель", "Значение"])
    for row, (label, key) in zip(t.rows[1:], rows, strict=True):
        row.cells[0].paragraphs[0].add_run(label).font.size = gost.TABLE_SIZE
        row.cells[1].paragraphs[0].alignment = CENTER
        row.cells[1].paragraphs[0].add_run("{{ extra.figures." + key + " }}").font.size = \
            gost.TABLE_SIZE
    gost.column_widths(t, COLUMNS)
    para(doc, "", space_after=6)


def counts_table(doc: Document, headers: list[str], cells: list[str], loop: str) -> None:
    """What is counted by ``loop`` (forms, categories): one row an item and its count."""
    gost.grid_table(doc, headers, cells, loop)
    gost.column_widths(doc.tables[-1], COLUMNS)


def build() -> Document:
    doc = gost.start_document("final_report", TITLE, approved=True, size=Pt(16))
    body(doc, "Отчёт сформирован куратором реализации программ наставничества в соответствии "
         "с пунктом 4.4.4 Положения " + CURATOR_BASIS + ". Сведения построены по данным "
         "банка наставников и наставляемых, приказов о закреплении наставнических пар/групп и "
         "персонализированных программ наставничества.", space_after=6)
    gost.section_heading(doc, "1. Участники системы наставничества")
    figures_table(doc, PARTICIPANTS)
    gost.section_heading(doc, "2. Применённые формы наставничества")
    tag(doc, "if extra.figures.forms")
    counts_table(doc, ["Форма наставничества", "Пар/групп"], ["{{ f.form }}", "{{ f.count }}"],
                 "f in extra.figures.forms")
    tag(doc, "else")
    body(doc, "В отчётном периоде наставнические пары и группы не работали.")
    tag(doc, "endif")
    para(doc, "", space_after=6)
    gost.section_heading(doc, "3. Персонализированные программы наставничества")
    figures_table(doc, PROGRAMS)
    gost.section_heading(doc, "4. Наставляемые по категориям (п. 5.2.3 Положения о наставничестве)")
    # every category in the words of §5.2.3, after «Наставляемые формируются из числа:»
    counts_table(doc, ["Наставляемые из числа", "Человек"],
                 ["{{ c.wording or c.category }}", "{{ c.count }}"],
                 "c in extra.figures.categories")
    para(doc, "", space_after=6)
    gost.section_heading(doc, "5. Выводы")
    body(doc, "{{ data.conclusions }}")
    gost.section_heading(doc, "6. Предложения")
    body(doc, "{{ data.proposals }}", space_after=18)
    tag(doc, "if extra.curator")
    signing.person_signature(doc, "Куратор реализации программ наставничества", "extra.curator",
                             "curator")
    tag(doc, "endif")
    signing.visas_block(doc)
    signing.approval_marks(doc)
    return doc

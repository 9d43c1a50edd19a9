"""ОТЧЁТ: the curator's final analytical report, approved «УТВЕРЖДАЮ» (§4.4.4, П1 §3.4).

Every figure comes from ``extra.figures`` (``workflows.final_report.figures``), built from
the bank, the pairs/groups and the programs; only conclusions and proposals are typed.
"""

from docx.document import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.shared import Pt

from doc_templates.builder.gost import (
    CENTER,
    JUSTIFY,
    column_widths,
    date_number_line,
    esign_mark,
    grid_table,
    para,
    person_signature,
    start,
    tag,
    visas_block,
)

PARTICIPANTS = (
    ("Наставников в банке наставников", "mentors"),
    ("Наставляемых в банке наставляемых", "mentees"),
    ("Наставнических пар, работавших в отчётном периоде", "pairs"),
    ("Наставнических групп, работавших в отчётном периоде", "groups"),
    ("Наставников, работавших в парах и группах", "mentors_working"),
    ("Наставляемых, работавших в парах и группах", "mentees_working"),
)
PROGRAMS = (
    ("Персонализированных программ, реализовывавшихся в периоде", "programs"),
    ("из них завершено в полном объёме", "completed"),
    ("завершено досрочно (п. 7.1 Положения)", "ended_early"),
    ("продлено по обоюдному согласию (п. 7.2 Положения)", "extended"),
    ("продолжают реализовываться", "running"),
)


def figures_table(doc: Document, rows: tuple[tuple[str, str], ...]) -> None:
    t = doc.add_table(rows=len(rows) + 1, cols=2)
    t.style = "Table Grid"
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(t.rows[0].cells, ("Показатель", "Значение"), strict=True):
        cell.paragraphs[0].alignment = CENTER
        r = cell.paragraphs[0].add_run(text)
        r.bold, r.font.size = True, Pt(12)
    for row, (label, key) in zip(t.rows[1:], rows, strict=True):
        row.cells[0].paragraphs[0].add_run(label).font.size = Pt(12)
        row.cells[1].paragraphs[0].alignment = CENTER
        row.cells[1].paragraphs[0].add_run("{{ extra.figures." + key + " }}").font.size = Pt(12)
    column_widths(t, [145, 30])
    para(doc, "", space_after=6)


def section(doc: Document, text: str) -> None:
    p = para(doc, text, align=CENTER, bold=True, space_after=6, keep_with_next=True)
    p.paragraph_format.space_before = Pt(6)


def build() -> Document:
    doc = start("final_report", approved=True)
    para(doc, "{{ doc.heading }}", align=CENTER, bold=True, size=Pt(16), space_after=6)
    date_number_line(doc)
    para(doc, "Итоговый аналитический отчёт о реализации системы наставничества "
         "педагогических работников в {{ org.short_name }} за период с "
         "{{ data.start_date|date_numeric }} по {{ data.end_date|date_numeric }}",
         align=CENTER, bold=True, space_after=12)
    para(doc, "Отчёт сформирован куратором реализации программ наставничества в соответствии "
         "с пунктом 4.4.4 Положения о наставничестве для педагогических работников "
         "образовательных организаций Волгоградской области (приказ комитета образования, "
         "науки и молодежной политики Волгоградской области от 21.03.2022 № 25) и пунктом 3.4 "
         "Положения о системе наставничества педагогических работников в "
         "{{ org.short_name }}. Сведения построены по данным банка наставников и наставляемых, "
         "приказов о закреплении наставнических пар/групп и персонализированных программ "
         "наставничества.", align=JUSTIFY, indent=True, space_after=6)
    section(doc, "1. Участники системы наставничества")
    figures_table(doc, PARTICIPANTS)
    section(doc, "2. Применённые формы наставничества")
    tag(doc, "if extra.figures.forms")
    grid_table(doc, ["Форма наставничества", "Пар/групп"],
               ["{{ f.form }}", "{{ f.count }}"], "f in extra.figures.forms")
    column_widths(doc.tables[-1], [145, 30])
    tag(doc, "else")
    para(doc, "В отчётном периоде наставнические пары и группы не работали.",
         align=JUSTIFY, indent=True)
    tag(doc, "endif")
    para(doc, "", space_after=6)
    section(doc, "3. Персонализированные программы наставничества")
    figures_table(doc, PROGRAMS)
    section(doc, "4. Наставляемые по категориям (п. 5.2.3 Положения о наставничестве)")
    grid_table(doc, ["Категория наставляемых", "Человек"],
               ["{{ c.category }}", "{{ c.count }}"], "c in extra.figures.categories")
    column_widths(doc.tables[-1], [145, 30])
    para(doc, "", space_after=6)
    section(doc, "5. Выводы")
    para(doc, "{{ data.conclusions }}", align=JUSTIFY, indent=True)
    section(doc, "6. Предложения")
    para(doc, "{{ data.proposals }}", align=JUSTIFY, indent=True, space_after=18)
    tag(doc, "if extra.curator")
    person_signature(doc, "Куратор реализации программ наставничества", "extra.curator")
    tag(doc, "endif")
    visas_block(doc)
    esign_mark(doc)
    return doc

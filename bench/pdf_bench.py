"""Benchmark of DOCX → PDF: cold ``soffice --convert-to`` against the warm converter pool.

Run: ``.venv/bin/python bench/pdf_bench.py``. Builds a realistic order (a 50-row table of
mentoring pairs, Cyrillic text) and measures, in the same run, the median time per document
of a cold conversion (the baseline) and of the warm pool, their ratio (goal: ≥ 5×), and the
throughput of a batch converted by a pool of one converter per CPU from as many threads.
PDF/A-2b throughout, as for archived copies. Prints a table; asserts nothing.
"""

import argparse
import io
import os
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from doc_templates import pdf  # noqa: E402


def order_docx(rows: int = 50) -> bytes:
    """A one-to-two-page pairing order with a table of ``rows`` mentoring pairs."""
    document = docx.Document()
    section = document.sections[0]
    section.left_margin, section.right_margin = Mm(30), Mm(10)
    section.top_margin = section.bottom_margin = Mm(20)
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = "Times New Roman", Pt(12)
    for line in ("Муниципальное общеобразовательное учреждение", "«Средняя школа № 7»", "ПРИКАЗ"):
        document.add_paragraph(line).alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph("05.06.2026\t\t\t\t\t\t\t№ 112-од")
    document.add_paragraph("О закреплении наставнических пар").runs[0].bold = True
    document.add_paragraph(
        "В соответствии со статьёй 351.8 Трудового кодекса Российской Федерации, Положением "
        "о системе наставничества педагогических работников, на основании письменных согласий "
        "участников ПРИКАЗЫВАЮ:"
    )
    document.add_paragraph("1. Закрепить наставнические пары согласно таблице:")
    table = document.add_table(rows=1, cols=6)
    table.style = "Table Grid"
    header = ("№", "Наставник", "Наставляемый", "Форма", "Срок", "Доплата, руб.")
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
    for n in range(1, rows + 1):
        values = (
            str(n), f"Иванова Мария Петровна {n}", f"Шевчук Олег Игоревич {n}",
            "«педагог – педагог»", "01.09.2026–31.05.2027", "5 000,00",
        )  # fmt: skip
        for cell, text in zip(table.add_row().cells, values, strict=True):
            cell.text = text
            paragraph = cell.paragraphs[0]
            paragraph.paragraph_format.space_after = Pt(0)
            paragraph.runs[0].font.size = Pt(9)
    document.add_paragraph("2. Контроль за исполнением приказа возложить на куратора Ёлкину А.В.")
    document.add_paragraph("Директор\t\t\t\t\t\t\tМ.П. Иванова")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def timed(function, *args, **kwargs) -> float:
    started = time.perf_counter()
    function(*args, **kwargs)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cold", type=int, default=5, help="cold conversions (default 5)")
    parser.add_argument("--warm", type=int, default=20, help="warm conversions (default 20)")
    parser.add_argument("--batch", type=int, default=100, help="batch size (default 100)")
    args = parser.parse_args()
    if not pdf.available():
        sys.exit("LibreOffice or python3-uno is not installed")
    document = order_docx()
    cpus = os.cpu_count() or 1

    cold = statistics.median(timed(pdf.cold_convert, document) for _ in range(args.cold))

    with pdf.ConverterPool() as pool:
        pool.wait_ready()
        for _ in range(3):
            pool.convert(document)
        warm = statistics.median(timed(pool.convert, document) for _ in range(args.warm))
        warm_size = pool.size

    with pdf.ConverterPool(size=cpus, max_queue=args.batch) as pool:
        pool.wait_ready()
        with ThreadPoolExecutor(cpus) as executor:
            list(executor.map(pool.convert, [document] * cpus * 2))  # warm-up
            started = time.perf_counter()
            list(executor.map(pool.convert, [document] * args.batch))
            elapsed = time.perf_counter() - started

    rows = [
        (f"cold soffice --convert-to, median of {args.cold}", f"{cold * 1000:.0f} ms"),
        (f"warm pool of {warm_size}, median of {args.warm}", f"{warm * 1000:.0f} ms"),
        ("speed-up, cold / warm (goal >= 5x)", f"{cold / warm:.1f}x"),
        (
            f"batch of {args.batch}: pool of {cpus}, {cpus} threads",
            f"{args.batch / elapsed:.1f} docs/s",
        ),
        ("cold, one document at a time", f"{1 / cold:.1f} docs/s"),
    ]
    print(f"DOCX -> PDF/A-2b, order with a 50-row table ({len(document) // 1024} KiB), {cpus} CPU")
    for label, value in rows:
        print(f"{label:<46}{value:>14}")


if __name__ == "__main__":
    main()

"""DOCX → PDF through warm LibreOffice: content, PDF/A, fonts, refusals, crashes, timeouts."""

import io
import os
import re
import signal
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor

import docx
import pytest
from docx.shared import Pt
from pypdf import PdfReader

from doc_templates import pdf
from workflows.errors import ConversionFailed

pytestmark = [
    pytest.mark.pdf,
    pytest.mark.skipif(
        not pdf.available(),
        reason="LibreOffice (soffice) or a Python with uno (python3-uno) is not installed",
    ),
]

TITLE = "Приказ о назначении наставника, ёЁ №"


def make_docx(title: str = TITLE) -> bytes:
    document = docx.Document()
    style = document.styles["Normal"]
    style.font.name, style.font.size = "Times New Roman", Pt(14)
    document.add_paragraph(title)
    document.add_paragraph("Назначить Иванову Марию Петровну наставником.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


DOCX = make_docx()


@pytest.fixture(scope="module")
def pool(tmp_path_factory):
    with pdf.ConverterPool(size=2, work_dir=tmp_path_factory.mktemp("pool")) as pool:
        yield pool


@pytest.fixture(scope="module")
def single(tmp_path_factory):
    """A one-converter pool the tests may kill and time out."""
    with pdf.ConverterPool(size=1, timeout=20, work_dir=tmp_path_factory.mktemp("one")) as pool:
        yield pool


def text_of(data: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def running(pid: int) -> bool:
    """Whether a process exists and is not a zombie (a container's init may not reap)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def pdfa_part(data: bytes) -> str | None:
    xmp = PdfReader(io.BytesIO(data)).xmp_metadata
    if xmp is None:
        return None
    found = re.search(rb"pdfaid:part(?:>|=\")(\d)", xmp.stream.get_data())
    return found.group(1).decode() if found else None


def fonts_embedded(data: bytes) -> bool:
    fonts = []
    for page in PdfReader(io.BytesIO(data)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            if "/DescendantFonts" in font:
                font = font["/DescendantFonts"][0].get_object()
            fonts.append(font["/FontDescriptor"].get_object())
    return bool(fonts) and all("/FontFile2" in d or "/FontFile3" in d for d in fonts)


def test_pdfa_has_cyrillic_text_identification_and_embedded_fonts(pool):
    data = pool.convert(DOCX)
    assert data.startswith(b"%PDF")
    text = text_of(data)
    assert TITLE in text
    assert "Иванову Марию Петровну" in text
    assert pdfa_part(data) == "2"
    assert fonts_embedded(data)


def test_plain_pdf_is_not_pdfa(pool):
    data = pool.convert(DOCX, pdfa=False)
    assert TITLE in text_of(data)
    assert pdfa_part(data) is None
    assert fonts_embedded(data)


def test_module_convert_uses_a_process_wide_pool():
    assert TITLE in text_of(pdf.convert(DOCX))
    assert pdf.default_pool() is pdf.default_pool()


@pytest.mark.parametrize(
    "data",
    [b"", b"just some text, not a document", b"%PDF-1.7 fake", b"PK\x03\x04 broken zip"],
)
def test_non_docx_is_refused(pool, data):
    with pytest.raises(ConversionFailed, match="^Не удалось преобразовать документ в PDF: файл"):
        pool.convert(data)


def zip_of(name: str, content: str) -> bytes:
    """A ZIP archive holding one file."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(name, content)
    return buffer.getvalue()


def test_zip_without_word_document_is_refused(pool):
    with pytest.raises(ConversionFailed, match="не является документом DOCX"):
        pool.convert(zip_of("xl/workbook.xml", "<workbook/>"))


def test_broken_docx_fails_and_the_pool_survives(pool):
    with pytest.raises(ConversionFailed, match="^Не удалось преобразовать документ в PDF"):
        pool.convert(zip_of("word/document.xml", "<not-closed"))
    assert pool.convert(DOCX).startswith(b"%PDF")


def test_killed_soffice_is_survived(single):
    assert single.convert(DOCX).startswith(b"%PDF")
    old = single.soffice_pids[0]
    os.kill(old, signal.SIGKILL)
    assert TITLE in text_of(single.convert(DOCX))
    assert single.soffice_pids[0] not in (None, old)


def test_timeout_kills_and_restarts_the_converter(single):
    single.convert(DOCX)
    old = single.soffice_pids[0]
    with pytest.raises(ConversionFailed, match="превышено время ожидания"):
        single.convert(DOCX, timeout=0.001)
    assert TITLE in text_of(single.convert(DOCX))
    assert single.soffice_pids[0] not in (None, old)
    assert not running(old)


def test_converter_is_recycled_after_max_conversions(single, monkeypatch):
    single.convert(DOCX)
    monkeypatch.setattr(single, "max_conversions", 1)
    old = single.soffice_pids[0]
    single.convert(DOCX)
    assert single.convert(DOCX).startswith(b"%PDF")
    assert single.soffice_pids[0] != old


def test_full_queue_is_refused(single, monkeypatch):
    monkeypatch.setattr(single, "max_queue", 0)
    with pytest.raises(ConversionFailed, match="^Очередь преобразования в PDF переполнена"):
        single.convert(DOCX)


def test_parallel_conversions_from_four_threads(pool):
    documents = [make_docx(f"{TITLE} {n}") for n in range(8)]
    with ThreadPoolExecutor(4) as executor:
        results = list(executor.map(pool.convert, documents))
    for n, data in enumerate(results):
        assert f"{TITLE} {n}" in text_of(data)


def test_closed_pool_refuses(tmp_path):
    pool = pdf.ConverterPool(size=1, work_dir=tmp_path)
    pool.close()
    with pytest.raises(ConversionFailed, match="конвертер остановлен"):
        pool.convert(DOCX)


def test_cold_convert_makes_pdfa():
    started = time.monotonic()
    data = pdf.cold_convert(DOCX)
    assert TITLE in text_of(data)
    assert pdfa_part(data) == "2"
    assert time.monotonic() - started < 30

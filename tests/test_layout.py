"""The layout of every kind as a records manager checks it (issue 11, point 3): table headers
repeated on each page, signature blocks kept with the text before them, no blank pages,
Russian hyphenation and non-breaking spaces, the margin by the retention term, and the
document's own properties (title, the organization as author, no «python-docx»)."""

from __future__ import annotations

import io
import re
import zipfile

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Mm
from pypdf import PdfReader

from doc_templates import pdf, render, retention, typography
from doc_templates.builder import gost
from tests.helpers import documents as f
from tests.helpers.http import login_as
from tests.helpers.kinds import agreement_data
from webforms.samples import sample_context, sample_data
from workflows.kinds import all_kinds, get_kind

KINDS = [k.name for k in all_kinds()]
NBSP = "\u00a0"
# where a signature block starts: a signature line after a position or a date, the visas, a
# mark of an electronic signature, the signatures of the sides
BLOCK = re.compile(r"^(СОГЛАСОВАНО|ДОКУМЕНТ ПОДПИСАН|Подписи сторон)|\S.*\t_{12} ")
PDF_BLOCK = re.compile(r"^(СОГЛАСОВАНО|ДОКУМЕНТ ПОДПИСАН|Подписант:|Идентификатор подписи|"
                       r"SHA-256 подписанного|Дата подписания|Подписи сторон|Работодатель:|"
                       r"Экземпляр соглашения)|_{12}\s*[А-ЯЁ]\.")


def rendered(kind: str, data: dict | None = None, *, final: bool = True
             ) -> tuple[bytes, dict]:
    context = sample_context(kind, data=data, final=final)
    return render.render_docx(render.template_path(kind).read_bytes(), context), context


def long_pairing_order() -> tuple[bytes, dict]:
    """A pairing order with 50 pairs: its appendix table runs over several pages."""
    data = sample_data("pairing_order")
    data["pairs"] = [dict(data["pairs"][0]) for _ in range(50)]
    return rendered("pairing_order", data)


def body_text(element) -> str:
    return "".join(t.text or "" for t in element.iter(qn("w:t")))


def keeps_with_next(p) -> bool:
    return p.pPr is not None and bool(p.pPr.keepNext_val)


# --- the template: page, language, hyphenation -------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_template_is_russian_hyphenated_with_the_margin_of_its_retention(kind):
    data = render.template_path(kind).read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        settings = z.read("word/settings.xml").decode()
        styles = z.read("word/styles.xml").decode()
    assert "<w:autoHyphenation/>" in settings and "<w:doNotHyphenateCaps/>" in settings
    assert settings.index("autoHyphenation") < settings.index("doNotHyphenateCaps")
    defaults = styles[styles.index("<w:docDefaults>"):styles.index("</w:docDefaults>")]
    assert 'w:val="ru-RU"' in defaults and 'w:val="en-US"' not in defaults
    left = docx.Document(io.BytesIO(data)).sections[0].left_margin
    expected = Mm(30) if retention.of(kind).long_kept else Mm(20)
    assert abs(left - expected) < Mm(0.1), (kind, left.mm)


def test_personnel_documents_are_kept_50_75_years_with_the_binding_margin():
    """A supplementary agreement to a labour contract and the consent to extra duties go to
    the personal file: 50/75 years (Перечень 236), so the 30 mm margin of a bound file."""
    for kind in ("mentoring_agreement", "mentor_consent"):
        kept = retention.of(kind)
        assert kept.personnel and kept.long_kept and kept.term == "50/75 лет"
        assert "поле 30 мм" in kept.label
        assert get_kind(kind).retention is kept
    assert retention.of("pairing_order").permanent and retention.of("roadmap").term == "до 10 лет"
    assert gost.PERMANENT == {k.name for k in all_kinds() if k.retention_permanent}
    assert set(retention.RETENTION) == set(KINDS)


# --- the rendered DOCX --------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_rendered_docx_repeats_table_headers_and_keeps_the_signature_block(kind):
    data, _ = rendered(kind)
    body = docx.Document(io.BytesIO(data)).element.body
    for tbl in body.iter(qn("w:tbl")):
        rows = tbl.findall(qn("w:tr"))
        if len(rows) > 2:  # a table of items: its header row repeats on every page
            assert rows[0].find(qn("w:trPr") + "/" + qn("w:tblHeader")) is not None, kind
    paragraphs = [e for e in body if e.tag == qn("w:p")]
    start = next(i for i, p in enumerate(paragraphs) if BLOCK.search(body_text(p)))
    block = paragraphs[start]
    assert keeps_with_next(block), (kind, body_text(block))
    before = [p for p in paragraphs[:start] if body_text(p).strip()]
    assert before and keeps_with_next(before[-1]), (kind, body_text(before[-1]))


@pytest.mark.parametrize("kind", KINDS)
def test_rendered_docx_has_its_own_properties(kind):
    data, context = rendered(kind)
    document = docx.Document(io.BytesIO(data))
    props = document.core_properties
    assert props.title == context["doc"]["title"] and props.title
    assert props.author == context["org"]["full_name"]
    assert props.last_modified_by == context["org"]["full_name"]
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in ("docProps/core.xml", "docProps/app.xml"):
            xml = z.read(name).decode()
            assert "python-docx" not in xml and "Microsoft" not in xml, (kind, name)
        assert context["org"]["full_name"] in z.read("docProps/app.xml").decode()


def test_properties_are_rewritten_only_where_the_template_has_them():
    """The render replaces the template's property parts and adds none: a part without its
    content type would make Word call the file damaged."""
    template = render.template_path("curator_order").read_bytes()
    data, _ = rendered("curator_order")
    with zipfile.ZipFile(io.BytesIO(template)) as t, zipfile.ZipFile(io.BytesIO(data)) as d:
        names = d.namelist()
        assert sorted(names) == sorted(t.namelist()) and len(set(names)) == len(names)
    source = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(template)) as t, zipfile.ZipFile(source, "w") as out:
        for name in t.namelist():  # the part, its relationship and its content type gone
            xml = t.read(name)
            if name in ("_rels/.rels", "[Content_Types].xml"):
                xml = re.sub(rb"<(Relationship|Override) [^>]*docProps/app\.xml\"/>", b"", xml)
            if name != "docProps/app.xml":
                out.writestr(name, xml)
    _, context = rendered("curator_order")
    bare = render.render_docx(source.getvalue(), context)
    assert "docProps/app.xml" not in zipfile.ZipFile(io.BytesIO(bare)).namelist()
    assert docx.Document(io.BytesIO(bare)).core_properties.title == context["doc"]["title"]


@pytest.mark.parametrize("kind", KINDS)
def test_numbers_and_initials_do_not_break_from_their_words(kind):
    data, _ = rendered(kind)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        xml = z.read("word/document.xml").decode()
    text = "".join(re.findall(r"<w:t(?:\s[^>]*)?>([^<]*)</w:t>", xml))
    assert "№" + NBSP in text, kind
    assert not re.search(r"№ [\w_]", text), kind
    assert not re.search(r"(?<![\w.])[А-ЯЁ]\.[А-ЯЁ]\. [А-ЯЁ][а-яё]", text), kind
    assert re.search(r"[А-ЯЁ]\.[А-ЯЁ]\." + NBSP + r"[А-ЯЁ][а-яё]", text), kind


def test_typesetting_rules():
    cases = {
        "МОУ СШ № 5 от 01.09.2026 № 1-од": "МОУ СШ №~5 от 01.09.2026 №~1-од",
        "Директор И.С. Петров": "Директор И.С.~Петров",
        "И. С. Петров": "И.~С.~Петров",
        "поручить Петрову И.С.": "поручить Петрову~И.С.",
        "на 3 месяца, до 1 сентября 2026 г.": "на 3~месяца, до 1~сентября 2026~г.",
        "«3» декабря": "«3»~декабря",
        "доплата 5 000,00 руб.": "доплата 5~000,00~руб.",
        "ст. 351.8, п. 5.1, ч. 4": "ст.~351.8, п.~5.1, ч.~4",
        "в г. Волгограде": "в г.~Волгограде",
        "Ответственный — Иванова": "Ответственный~— Иванова",
        "без чисел и знаков": "без чисел и знаков",
    }
    for plain, expected in cases.items():
        assert typography.nbsp(plain) == expected.replace("~", NBSP), plain
    run = '<w:t xml:space="preserve">№ 5 </w:t><w:tbl><w:t>И.С. Петров</w:t>'
    assert typography.nbsp_runs(run) == (f'<w:t xml:space="preserve">№{NBSP}5 </w:t>'
                                         f"<w:tbl><w:t>И.С.{NBSP}Петров</w:t>")


def test_an_empty_paragraph_before_a_page_break_or_at_the_end_is_removed():
    """A conditional left empty before the next page (or at the end) would spill onto a page
    of its own: the render drops it, keeping the paragraphs that print."""
    doc = gost.new_document(permanent=False)
    gost.para(doc, "Текст первой страницы")
    gost.para(doc, "{% if note %}{{ note }}{% endif %}")
    gost.para(doc, "", space_after=12)
    gost.page_break(doc)
    gost.para(doc, "Вторая страница")
    gost.para(doc, "{% if note %}{{ note }}{% endif %}")
    out = io.BytesIO()
    doc.save(out)
    for note, count in (("", 3), ("Примечание", 5)):
        data = render.render_docx(out.getvalue(), {"note": note})
        texts = [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]
        assert len(texts) == count, texts
        assert texts[0] == "Текст первой страницы" and texts[-1] in ("Вторая страница", note)


# --- the PDF --------------------------------------------------------------------------------


def pages(reader: PdfReader) -> list[list[str]]:
    """Each page's lines of text, the page number at the top left out."""
    out = []
    for page in reader.pages:
        lines = [line.replace(NBSP, " ").strip()
                 for line in (page.extract_text() or "").splitlines()]
        out.append([line for line in lines if line and not line.isdigit()])
    return out


def assert_block_not_alone(kind: str, text: list[list[str]]) -> None:
    """No page begins with a part of a signature block (a signature, a visa, a mark): each
    has text of the document before it on its page, and there is such a block."""
    assert any(PDF_BLOCK.search(line) for lines in text for line in lines), kind
    for number, lines in enumerate(text, 1):
        assert not PDF_BLOCK.search(lines[0]), (kind, number, lines[:4])


@pytest.mark.pdf
@pytest.mark.parametrize("kind", KINDS)
def test_pdf_has_no_blank_page_and_no_lone_signature_block(kind):
    if not pdf.available():
        pytest.skip("LibreOffice is not installed")
    data, context = long_pairing_order() if kind == "pairing_order" else rendered(kind)
    reader = PdfReader(io.BytesIO(pdf.convert(data)))  # one conversion per kind
    text = pages(reader)
    assert all(text), (kind, [i + 1 for i, t in enumerate(text) if not t])
    assert_block_not_alone(kind, text)
    if kind == "pairing_order":  # the appendix runs over pages 2… with its header on each
        table_pages = [t for t in text if any("5 000,00" in line for line in t)]
        assert len(table_pages) >= 3
        assert all(any("Доплата" in line for line in t) for t in table_pages)
    # LibreOffice copies the document's properties into the PDF
    assert reader.metadata.title == context["doc"]["title"]
    assert reader.metadata.author == context["org"]["full_name"]


def test_the_document_page_shows_the_retention_term(demo, client, app):
    """An archivist reads on the document's page how long it is kept, on what basis and with
    what margin: a supplementary agreement is a personnel document, 50/75 years."""
    with app.app_context():
        doc_id = f.draft("mentoring_agreement", agreement_data()).id
    login_as(client, "clerk")
    page = client.get(f"/documents/{doc_id}").get_data(as_text=True)
    assert "Срок хранения" in page
    assert retention.of("mentoring_agreement").label in page  # 50/75 лет (…; поле 30 мм)


def test_a_table_just_before_the_signature_block_keeps_its_last_row_with_it():
    """The roadmap without a note: the visas follow the table, so the last row printed (not
    every row of the loop) keeps with them; the builder's mark for it is not left behind."""
    data = sample_data("roadmap")
    data["notes"] = ""
    out, _ = rendered("roadmap", data)
    body = docx.Document(io.BytesIO(out)).element.body
    rows = max((t.findall(qn("w:tr")) for t in body.iter(qn("w:tbl"))), key=len)  # stages
    assert len(rows) > 3
    assert all(keeps_with_next(p) for p in rows[-1].iter(qn("w:p")))
    assert not any(keeps_with_next(p) for r in rows[1:-1] for p in r.iter(qn("w:p")))
    assert render.KEEP_LAST_ROW.encode() not in zipfile.ZipFile(io.BytesIO(out)).read(
        "word/document.xml")

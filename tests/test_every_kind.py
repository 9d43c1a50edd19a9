"""Every kind's built-in template: laid out by ГОСТ Р 7.0.97-2025 and converted to PDF/A
with its Cyrillic text extractable."""

from __future__ import annotations

import importlib
import io
from pathlib import Path

import docx
import pytest
from docx.shared import Mm, Pt
from pypdf import PdfReader

from doc_templates import pdf, render
from webforms.forms import FORMS
from webforms.samples import sample_context
from workflows.kinds import all_kinds, get_kind

ROOT = Path(__file__).parent.parent
KINDS = [k.name for k in all_kinds()]


def test_every_kind_module_is_registered_with_its_four_places():
    declared = sorted(p.stem for p in (ROOT / "workflows").glob("*.py")
                      if "\nKIND = " in p.read_text(encoding="utf-8"))
    assert sorted(KINDS) == declared and len(set(KINDS)) == len(KINDS)
    for name in KINDS:
        assert importlib.import_module(f"workflows.{name}").KIND is get_kind(name), name
        assert name in FORMS, name
        assert render.template_path(name).exists(), name
        assert (ROOT / "doc_templates" / "builder" / f"{name}.py").exists(), name
        assert (ROOT / "tests" / f"test_{name}.py").exists(), name
    assert sorted(FORMS) == sorted(KINDS)


@pytest.mark.parametrize("kind", KINDS)
def test_layout_follows_gost(kind):
    document = docx.Document(str(render.template_path(kind)))
    section = document.sections[0]
    left = Mm(30) if get_kind(kind).retention_permanent else Mm(20)
    assert section.left_margin >= left - Mm(0.1), kind
    assert section.top_margin >= Mm(19.9) and section.bottom_margin >= Mm(19.9)
    assert section.right_margin >= Mm(9.9)
    assert section.different_first_page_header_footer  # no number on page 1
    assert "PAGE" in section.header._element.xml  # numbers from page 2, in the header
    size = document.styles["Normal"].font.size
    assert Pt(12) <= size <= Pt(14)
    assert document.styles["Normal"].font.name in ("Times New Roman", "Liberation Serif")


@pytest.mark.pdf
@pytest.mark.parametrize("kind", KINDS)
def test_signed_copy_converts_to_pdfa_with_cyrillic_text(kind):
    if not pdf.available():
        pytest.skip("LibreOffice is not installed")
    context = sample_context(kind, final=True)
    data = render.render_docx(render.template_path(kind).read_bytes(), context)
    out = pdf.convert(data, pdfa=True)
    reader = PdfReader(io.BytesIO(out))
    text = " ".join(page.extract_text() or "" for page in reader.pages)
    flat = " ".join(text.split())
    heading = get_kind(kind).heading
    assert " ".join(heading.split()) in flat or heading.split()[0] in flat, (kind, flat[:300])
    assert context["org"]["short_name"] in flat
    assert "ПРОЕКТ" not in flat
    assert b"pdfaid:part" in out

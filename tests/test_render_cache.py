"""The cached renderer writes the same document as docxtpl loading the template anew."""

from __future__ import annotations

import importlib
import io

import docx
import pytest

from doc_templates import render
from tests.helpers.baseline import comparable, plain_docxtpl
from tests.helpers.docx import docx_text, make_template
from webforms.samples import sample_context
from workflows.kinds import KIND_NAMES

for _name in KIND_NAMES:  # register every kind, as the app does
    importlib.import_module(f"workflows.{_name}")


@pytest.mark.parametrize("kind", [k for k in KIND_NAMES if render.template_path(k).exists()])
def test_every_built_in_template_renders_as_docxtpl_does(kind):
    template = render.template_path(kind).read_bytes()
    for final in (True, False):
        context = sample_context(kind, final=final)
        ours = render.render_docx(template, context)
        assert comparable(docx_text(ours)) == comparable(docx_text(plain_docxtpl(template,
                                                                               context)))
        assert render.prepare(template) is render.prepare(template)  # cached


def headed_template() -> bytes:
    document = docx.Document()
    document.add_paragraph("{{ doc.heading }} № {{ doc.number }}")
    document.sections[0].header.paragraphs[0].text = "{{ org.short_name }} & Ко"
    document.sections[0].footer.paragraphs[0].text = "Стр. {{ doc.number }}"
    table = document.add_table(rows=3, cols=2)
    table.cell(0, 0).text = "{%tr for row in extra.rows %}"
    table.cell(1, 0).text = "{{ loop.index }}"
    table.cell(1, 1).text = "{{ row }}"
    table.cell(2, 0).text = "{%tr endfor %}"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_headers_footers_and_row_loops_match_docxtpl():
    context = {"doc": {"heading": "ПРИКАЗ", "number": "15"}, "org": {"short_name": "МОУ <СШ>"},
               "extra": {"rows": [f"строка {i} & <{i}>" for i in range(50)]}}
    ours, theirs = render.render_docx(headed_template(), context), \
        plain_docxtpl(headed_template(), context)
    assert comparable(docx_text(ours)) == comparable(docx_text(theirs))
    assert "МОУ <СШ> & Ко" in docx_text(ours) and "строка 49 & <49>" in docx_text(ours)
    assert len(docx.Document(io.BytesIO(ours)).tables[0].rows) == 50


def test_jinja_in_core_properties_falls_back_to_docxtpl_in_the_sandbox():
    document = docx.Document()
    document.add_paragraph("{{ data.x }}")
    document.core_properties.title = "{{ data.x }}"
    out = io.BytesIO()
    document.save(out)
    rendered = render.render_docx(out.getvalue(), {"data": {"x": "Заголовок"}})
    assert docx.Document(io.BytesIO(rendered)).core_properties.title == "Заголовок"
    assert render.prepare(out.getvalue()).plain_docxtpl


def test_a_path_and_its_bytes_give_the_same_document():
    template = make_template("Привет, {{ name }}!")
    path_render = render.render_docx(template, {"name": "мир"})
    assert "Привет, мир!" in docx_text(path_render)

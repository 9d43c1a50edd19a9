"""``flask render``: one document from JSON, and the list of kinds with their variables."""

from __future__ import annotations

import json

import pytest

from doc_templates import pdf
from tests.helpers.docx import builtin_with, docx_text


def test_list_names_every_kind_and_its_variables(runner):
    result = runner.invoke(args=["render", "--list"])
    assert result.exit_code == 0, result.output
    assert "mentor_consent — Согласие педагога на назначение наставником" in result.output
    assert "data.duties (Дополнительные обязанности" in result.output
    assert "org: full_name, short_name, place" in result.output


def test_renders_a_kind_from_json_with_the_sample_organization(runner, tmp_path):
    data = tmp_path / "consent.json"
    data.write_text(json.dumps({
        "person": {"last_name": "Седых", "first_name": "Ирина", "middle_name": "Павловна",
                   "gender": "f", "position": "Учитель", "subject": "русский язык"},
        "person_name": "Седых Ирина Павловна", "statement_date": "2026-11-20",
        "duties": "наставничество <и> & прочее", "notes": ""}, ensure_ascii=False))
    out = tmp_path / "consent.docx"
    result = runner.invoke(args=["render", "mentor_consent", "--data", str(data),
                                 "--out", str(out)])
    assert result.exit_code == 0, result.output
    text = docx_text(out.read_bytes())
    assert "Я, Седых Ирина Павловна" in text
    assert "наставничество <и> & прочее" in text
    assert "МОУ СШ № 1" in text  # the built-in sample organization


def test_uses_an_organization_and_another_template(runner, app, tmp_path):
    from storage.db import db_session
    from tests.helpers.documents import organization

    with app.app_context():
        org_id = organization().id
    template = tmp_path / "mine.docx"
    template.write_bytes(builtin_with("mentor_consent", "Шаблон автора: {{ org.inn }}"))
    out = tmp_path / "out.docx"
    result = runner.invoke(args=["render", "mentor_consent", "--org", str(org_id),
                                 "--template", str(template), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "Шаблон автора: 3443000005" in docx_text(out.read_bytes())
    assert db_session  # imported for the app context only


def test_errors_are_russian_and_exit_nonzero(runner, tmp_path):
    data = tmp_path / "bad.json"
    data.write_text(json.dumps({"statement_date": "2026-11-20"}))
    result = runner.invoke(args=["render", "mentor_consent", "--data", str(data),
                                 "--out", str(tmp_path / "x.docx")])
    assert result.exit_code == 1
    assert "нет у этого вида документа: data." in result.output
    result = runner.invoke(args=["render", "mentor_consent", "--out", str(tmp_path / "x.txt")])
    assert result.exit_code == 2 and ".docx или .pdf" in result.output
    result = runner.invoke(args=["render", "no_such_kind", "--out", str(tmp_path / "x.docx")])
    assert result.exit_code == 1 and "Неизвестный вид документа" in result.output


@pytest.mark.pdf
@pytest.mark.skipif(not pdf.available(), reason="LibreOffice is not installed")
def test_renders_a_pdf(runner, tmp_path):
    from pypdf import PdfReader

    out = tmp_path / "consent.pdf"
    result = runner.invoke(args=["render", "mentor_consent", "--out", str(out)])
    assert result.exit_code == 0, result.output
    text = "".join(page.extract_text() for page in PdfReader(out).pages)
    assert "СОГЛАСИЕ" in text

"""Rendering is safe: typed values stay literal, templates cannot reach Python internals,
a missing variable is named (issue 4, item 3)."""

from __future__ import annotations

import io

import pytest
from docxtpl import DocxTemplate, InlineImage

from doc_templates.render import render_docx, template_path
from doc_templates.samples import sample_context
from tests.docx_files import docx_text, make_template
from workflows.errors import TemplateProblem

HOSTILE = 'Иванова <b>&amp; "Ко" \'АО\' {{ 7*7 }} {% if true %}да{% endif %} </w:t>'


def test_typed_markup_and_template_syntax_appear_literally_and_the_docx_opens():
    template = make_template("Значение: {{ data.notes }}", "Итог: {{ data.notes }}!",
                             rows=("{{ row.name }}", "{{ row.pay }}"))
    context = {"data": {"notes": HOSTILE},
               "extra": {"rows": [{"name": HOSTILE, "pay": "5 000 & более"}]}}
    text = docx_text(render_docx(template, context))  # python-docx opens it
    assert f"Значение: {HOSTILE}" in text
    assert f"Итог: {HOSTILE}!" in text
    assert "49" not in text and "да{" not in text.replace("{% if true %}да{% endif %}", "")
    assert "5 000 & более" in text


def test_every_built_in_kind_renders_a_hostile_form_value_literally(app):
    with app.app_context():
        from webforms.forms import FORMS

        for kind in FORMS:
            texts = [name for name, field in FORMS[kind]().fields.items()
                     if field.metadata.get("widget") in ("text", "textarea")]
            context = sample_context(kind)
            for key in texts:
                context["data"][key] = HOSTILE
            text = docx_text(render_docx(template_path(kind), context))  # opens
            assert not texts or HOSTILE in text, kind


@pytest.mark.parametrize("expression", [
    "{{ ''.__class__.__mro__ }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ cycler.__init__.__globals__ }}",
    "{{ joiner.__init__.__globals__.os }}",
    "{{ self.__init__.__globals__ }}",
    "{{ self._TemplateReference__context }}",
    "{{ request }}",
    "{{ config }}",
    "{{ lipsum.__globals__ }}",
    "{{ namespace }}",
    "{{ data|attr('__class__') }}",
    "{{ data['__class__'] }}",
    "{{ range.__self__ }}",
])
def test_a_malicious_template_is_refused_in_russian(expression):
    template = make_template("Текст " + expression)
    with pytest.raises(TemplateProblem) as caught:
        render_docx(template, {"data": {"notes": "x"}})
    message = caught.value.message
    assert caught.value.status == 422
    assert any(word in message for word in ("запрещено", "нет у этого вида документа")), message
    assert "class" not in message or "служебному" in message


def test_docxtpl_internals_are_hidden_from_templates(tmp_path):
    tpl = DocxTemplate(io.BytesIO(make_template("x")))
    image = InlineImage(tpl, str(tmp_path / "none.png"))
    for expression in ("{{ img.tpl }}", "{{ img.tpl.docx }}", "{{ img._tpl }}",
                       "{{ tpl.template_file }}", "{{ tpl.docx.part }}"):
        with pytest.raises(TemplateProblem, match="запрещено"):
            render_docx(make_template(expression), {"img": image, "tpl": tpl})


def test_a_missing_variable_is_named_as_the_template_wrote_it():
    with pytest.raises(TemplateProblem) as caught:
        render_docx(make_template("Дата: {{ data.foo }}"), {"data": {"notes": "x"}})
    assert caught.value.message == ("В шаблоне используется переменная, которой нет у этого "
                                    "вида документа: data.foo.")
    with pytest.raises(TemplateProblem, match="документа: data.person.passport"):
        render_docx(make_template("{{ data.person.passport }}"),
                    {"data": {"person": {"last_name": "Иванова"}}})
    with pytest.raises(TemplateProblem, match="документа: unknown_name"):
        render_docx(make_template("{{ unknown_name }}"), {})
    with pytest.raises(TemplateProblem, match=r"документа: extra.rows\[0\].pay"):
        render_docx(make_template("x", rows=("{{ row.pay }}",)), {"extra": {"rows": [{}]}})


def test_a_syntax_error_shows_the_text_around_it():
    template = make_template("Первый абзац", "Назначить {{ data.person_name | }} наставником")
    with pytest.raises(TemplateProblem) as caught:
        render_docx(template, {"data": {}})
    message = caught.value.message
    assert message.startswith("Ошибка в записи шаблона в тексте документа (абзац 2)")
    assert "«Назначить {{ data.person_name | }} наставником»" in message

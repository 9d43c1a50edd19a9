"""Rendering is safe: typed values stay literal, templates cannot reach Python internals,
a missing variable is named (issue 4, item 3); a template cannot exhaust the machine: its
loops, values and output are bounded and an uploaded one renders in a process with limits
of time, memory and size (issue 7, point 2)."""

from __future__ import annotations

import io

import pytest
from docxtpl import DocxTemplate, InlineImage

from doc_templates import sandbox_process
from doc_templates.render import render_docx, template_path
from tests.helpers.docx import docx_text, make_template
from webforms.samples import sample_context
from workflows.errors import TemplateLimit, TemplateProblem

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


# --- templates that would exhaust the machine (issue 7, point 2) ---------------------------
# Each is refused by the sandbox's budget (doc_templates/budget.py) in-process, before it
# builds the value or finishes the loops; the message names the limit.

BIG = "{% set s = 'a' * 900000 %}"


@pytest.mark.parametrize("expression,limit", [
    ("{% for i in range(3000) %}{% for j in range(3000) %}{% endfor %}{% endfor %}",
     "предел числа шагов"),
    ("{% for i in range(100000) %}{% for j in range(100000) %}{{ j }}{% endfor %}"
     "{% endfor %}", "предел числа шагов"),
    ("{{ 'x' * 10**9 }}", "слишком большое значение (умножение «*»)"),
    ("{{ [1] * 10**9 }}", "слишком большое значение (умножение «*»)"),
    ("{{ (10**9) * 'x' }}", "слишком большое значение (умножение «*»)"),
    ("{{ 9**(9**9) }}", "слишком большое число (степень «**»)"),
    ("{{ (10**600) * (10**600) }}", "слишком большое число (умножение «*»)"),
    (BIG + "{{ s + s }}", "слишком большое значение (сложение «+»)"),
    (BIG + "{% for i in range(1000) %}{{ s ~ s }}{% endfor %}",
     "слишком большое значение (результат выражения)"),
    ("{% for i in range(100000) %}{{ 'a' * 1000 ~ 'b' * 1000 }}{% endfor %}",
     "предел размера документа"),
    (BIG + "{% for i in range(100000) %}{% set y = s ~ 'b' %}{% endfor %}",
     "предел объёма вычислений"),
    ("{% set x = 'ab' %}" + "{% set x = x ~ x %}" * 40 + "{{ x }}",
     "слишком большое значение"),
    ("{% macro f(s, n) %}{% if n %}{{ f(s ~ s, n - 1) }}{% else %}{{ s|length }}{% endif %}"
     "{% endmacro %}{{ f('a', 60) }}", "слишком большое значение"),
    ("{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}", "больше 100 уровней"),
    ("{% macro f(n) %}{% if n %}{{ f(n - 1) }}{{ f(n - 1) }}{% endif %}{% endmacro %}"
     "{{ f(60) }}", "предел числа шагов"),
    ("{{ 'x'|center(10**9) }}", "аргументе «center»"),
    ("{{ 'x'.ljust(10**9) }}", "аргументе «ljust»"),
    ("{{ ('\\n' * 900000)|indent(99999) }}", "фильтр indent"),
    ("{{ '{:>999999999}'.format('x') }}", "ширина поля"),
    ("{{ '{:{}}'.format('x', 10**9) }}", "аргументе «format»"),
    ("{{ '%999999999s' % 'x' }}", "ширина поля"),
    ("{{ '%*s' % (10**9, 'x') }}", "аргументе «%»"),
    (BIG + "{{ ([s] * 1000000)|join }}", "фильтр join"),
    (BIG + "{{ ','.join([s] * 1000) }}", "соединение join"),
    (BIG + "{{ s.replace('a', 'aaaa') }}", "замена replace"),
    (BIG + "{{ s|replace('a', 'aaaa') }}", "замена replace"),
    (BIG + "{{ ([[1] * 1000000] * 1000000)|sum(start=[]) }}", "фильтр sum"),
    ("{{ ('\\t' * 100000).expandtabs(100000) }}", "expandtabs"),
    ("{{ range(10)|batch(10**9)|list }}", "аргументе «batch»"),
])
def test_a_template_that_would_build_huge_values_or_loop_forever_is_refused(expression,
                                                                            limit):
    with pytest.raises(TemplateLimit) as caught:
        render_docx(make_template("Текст " + expression), {"data": {}})
    assert caught.value.status == 422
    assert limit in caught.value.message, caught.value.message


def test_ordinary_arithmetic_loops_and_joins_still_work():
    text = docx_text(render_docx(make_template(
        "{{ 2 * 3 }} {{ 'ab' * 2 }} {{ 'a' ~ 'b' }} {{ '%s-%d' % ('№', 5) }} "
        "{{ '{:,}'.format(5000000) }} {{ [1, 2] + [3] }} {{ range(3)|join(', ') }} "
        "{{ [1, 2, 3]|sum }} {{ 'x'|center(5) }}|{% for i in range(3) %}{{ loop.index }}"
        "{% endfor %} {{ 2**10 }}"), {}))
    assert "6 abab ab №-5 5,000,000 [1, 2, 3] 0, 1, 2 6   x  |123 1024" in text


def test_chained_powers_are_left_to_right_in_jinja_and_stay_small():
    # unlike Python, Jinja reads 9**9**9 as (9**9)**9: 77 digits, nothing to refuse
    text = docx_text(render_docx(make_template("{{ 9**9**9 }}"), {}))
    assert str((9 ** 9) ** 9) in text


def test_a_set_in_a_loop_does_not_grow_across_iterations():
    # Jinja scopes a {% set %} to one iteration: the doubling never accumulates
    text = docx_text(render_docx(make_template(
        "{% set x = 'ab' %}{% for i in range(100) %}{% set x = x ~ x %}{% endfor %}[{{ x }}]"),
        {}))
    assert "[ab]" in text


# --- the process that renders uploaded templates -------------------------------------------

# a loop the budget allows (180 000 steps) that takes far longer than a second of CPU
CPU_HOG = ("{% set s = 'ab' * 500000 %}{% for i in range(90000) %}{% if s.count('ba') %}"
           "{% endif %}{% endfor %}")


def test_an_uploaded_template_renders_in_its_process_as_it_would_here():
    template = make_template("Значение: {{ data.notes }}", rows=("{{ row.name }}",))
    context = {"data": {"notes": HOSTILE}, "extra": {"rows": [{"name": "Иванова"}]}}
    isolated = sandbox_process.render(template, context)
    assert docx_text(isolated) == docx_text(render_docx(template, context))


def test_the_process_refuses_a_problem_of_the_template_with_its_message():
    with pytest.raises(TemplateProblem, match="документа: data.foo"):
        sandbox_process.render(make_template("{{ data.foo }}"), {"data": {}})
    with pytest.raises(TemplateLimit, match="предел числа шагов"):
        sandbox_process.render(make_template(
            "{% for i in range(3000) %}{% for j in range(3000) %}{% endfor %}{% endfor %}"),
            {})


def test_a_render_over_the_time_limit_is_stopped():
    with pytest.raises(TemplateLimit) as caught:
        sandbox_process.render(make_template(CPU_HOG), {},
                               sandbox_process.Limits(timeout=1))
    assert caught.value.status == 422
    assert "предел" in caught.value.message and "времени" in caught.value.message
    assert "1 с" in caught.value.message


def test_a_render_over_the_memory_limit_is_stopped():
    hog = "{% set a = range(100000)|list * 10 %}{% set b = a|map('string')|list %}{{ b|length }}"
    with pytest.raises(TemplateLimit) as caught:
        sandbox_process.render(make_template(hog), {},
                               sandbox_process.Limits(memory_mb=8))
    assert caught.value.message == ("Шаблону не хватило 8 МБ памяти, и его обработка "
                                    "остановлена (предел памяти).")
    # with the default limit the same template is an ordinary one
    assert sandbox_process.render(make_template(hog), {})


def test_the_limits_come_from_the_configuration(app):
    with app.app_context():
        assert sandbox_process.limits() == sandbox_process.Limits(timeout=5, memory_mb=256,
                                                                  output_mb=20)
        app.config.update(TEMPLATE_RENDER_TIMEOUT=2, TEMPLATE_RENDER_MEMORY_MB=64,
                          TEMPLATE_OUTPUT_MAX_MB=3)
        assert sandbox_process.limits() == sandbox_process.Limits(2, 64, 3)


def test_a_document_over_the_output_limit_is_refused():
    big = "{% for i in range(1500) %}{{ 'x' * 1000 }}{% endfor %}"
    with pytest.raises(TemplateLimit, match="больше 1 МБ текста"):
        sandbox_process.render(make_template(big), {}, sandbox_process.Limits(output_mb=1))

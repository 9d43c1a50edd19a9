"""The budget of one render: how much work a template may make the renderer do.

A template is a small program: nested loops, recursive macros, string multiplication can
make it run for hours or build gigabytes. The sandbox (``doc_templates.environment``)
charges every loop iteration, call and filter to the render's ``Budget`` (``MAX_STEPS``),
refuses an operation whose result would be longer than ``MAX_VALUE`` characters or items,
or a number longer than ``MAX_DIGITS`` digits, *before* computing it, and counts what
expressions build (``MAX_BUILT``) and what the template outputs (``Budget.max_output``).
Each refusal is a ``TemplateLimit`` (422) naming the limit.

The bounds hold in-process for every template; the built-in ones stay far below them. An
uploaded template is in addition rendered in a process with limits of time and memory
(``doc_templates.sandbox_process``), which catches whatever these checks cannot foresee.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from storage.errors import TemplateLimit

MAX_STEPS = 200_000  # loop iterations + calls + filters in one render
MAX_VALUE = 1_000_000  # characters of one string, items of one list an expression builds
MAX_BUILT = 50_000_000  # characters built by all expressions of one render
MAX_OUTPUT = 20 * 1024 * 1024  # characters of rendered XML (in-process default)
MAX_ARGUMENT = 100_000  # a width or count given to a filter or a string method
MAX_DIGITS = 1000  # digits of a number an expression builds
MAX_DEPTH = 100  # nested macro calls
MACRO_STEPS = 25  # a macro call costs about as much as 25 loop iterations
MAX_BITS = int(MAX_DIGITS * 3.33)
WIDE_FORMAT = re.compile(r"\d{7,}")  # a width or precision of a million and more
EXPANDING_FILTERS = frozenset({"replace", "indent", "wordwrap", "format"})  # checked first
NESTED_FIELD = re.compile(r"\{[^{}]*\{")  # '{:{}}': the width comes from an argument


def _n(value: int) -> str:
    return f"{value:,}".replace(",", " ")


@dataclass
class Budget:
    """What one render has spent so far."""

    max_output: int = MAX_OUTPUT
    steps: int = 0
    built: int = 0
    output: int = 0
    depth: int = 0

    def step(self, weight: int = 1) -> None:
        self.steps += weight
        if self.steps > MAX_STEPS:
            raise TemplateLimit(
                f"Шаблон выполняет слишком много повторений циклов и вызовов: больше "
                f"{_n(MAX_STEPS)} (предел числа шагов). Проверьте вложенные циклы "
                f"{{% for %}} и макросы.")

    def build(self, size: int) -> None:
        self.built += size
        if self.built > MAX_BUILT:
            raise TemplateLimit(f"Выражения шаблона строят слишком много текста: больше "
                                f"{_n(MAX_BUILT)} знаков (предел объёма вычислений).")

    def emit(self, size: int) -> None:
        self.output += size
        if self.output > self.max_output:
            raise TemplateLimit(f"Документ по шаблону получается слишком большим: больше "
                                f"{self.max_output // (1024 * 1024)} МБ текста (предел "
                                f"размера документа).")


_active: ContextVar[Budget | None] = ContextVar("template_budget", default=None)


@contextmanager
def render_budget(max_output: int | None = None) -> Iterator[Budget]:
    """The budget of the render in progress, or a new one for a render that starts here."""
    current = _active.get()
    if current is not None:
        yield current
        return
    budget = Budget(max_output or MAX_OUTPUT)
    token = _active.set(budget)
    try:
        yield budget
    finally:
        _active.reset(token)


def active() -> Budget | None:
    return _active.get()


# --- refusals before computing -------------------------------------------------------------


def too_long(size: int, what: str) -> None:
    """Refuse a value of ``size`` characters or items (TemplateLimit if over MAX_VALUE)."""
    if size > MAX_VALUE:
        raise TemplateLimit(
            f"Выражение шаблона строит слишком большое значение ({what}): {_n(size)} знаков "
            f"или элементов, предел — {_n(MAX_VALUE)}. Так бывает при умножении строк или "
            f"списков и сцеплении «~» или «+» в цикле.")


def _too_big_number(what: str) -> TemplateLimit:
    return TemplateLimit(f"Выражение шаблона строит слишком большое число ({what}): больше "
                         f"{_n(MAX_DIGITS)} цифр.")


def argument(value: Any, name: str) -> None:
    """Refuse a width or count over MAX_ARGUMENT given to ``name``."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_ARGUMENT:
        raise TemplateLimit(f"Слишком большое число в аргументе «{name}» шаблона: "
                            f"{_n(value) if abs(value) < 10 ** 30 else 'больше 10³⁰'}, "
                            f"предел — {_n(MAX_ARGUMENT)}.")


def binop(operator: str, left: Any, right: Any) -> None:
    """Refuse ``left <operator> right`` if its result would be too long or too big."""
    if operator == "*":
        if isinstance(left, int) and isinstance(right, int):
            if left.bit_length() + right.bit_length() > MAX_BITS:
                raise _too_big_number("умножение «*»")
            return
        seq, times = (left, right) if isinstance(right, int) else (right, left)
        if isinstance(seq, (str, list, tuple)) and isinstance(times, int):
            too_long(len(seq) * max(times, 0), "умножение «*»")
    elif operator == "**":
        if isinstance(left, int) and isinstance(right, int) and right > 0 and abs(left) > 1:
            if left.bit_length() * min(right, MAX_BITS + 1) > MAX_BITS:
                raise _too_big_number("степень «**»")
    elif operator == "+":
        if isinstance(left, (str, list, tuple)) and isinstance(right, (str, list, tuple)):
            too_long(len(left) + len(right), "сложение «+»")
    elif operator == "%" and isinstance(left, str):
        format_string(left, right if isinstance(right, tuple) else (right,), "%")


def format_string(fmt: str, args: Iterable[Any], name: str) -> None:
    """Refuse a format whose width or precision would make a huge string."""
    if WIDE_FORMAT.search(fmt):
        raise TemplateLimit(f"Слишком большая ширина поля в форматировании «{name}» "
                            f"шаблона (предел — {_n(MAX_ARGUMENT)}).")
    if "*" in fmt or NESTED_FIELD.search(fmt):
        for value in args:
            argument(value, name)


def bounded_items(items: Any, separator: str, name: str, *, scalars: bool = True
                  ) -> list[Any]:
    """``items`` as a list, refusing (before joining or summing them) a result longer than
    MAX_VALUE. ``scalars``: numbers count by their printed length (a join), else as 0."""
    if isinstance(items, str):
        too_long(len(items) * (len(separator) + 1), name)
        return list(items)
    out, size = [], 0
    for item in items:
        if isinstance(item, (str, list, tuple, dict)):
            size += len(separator) + len(item)
        elif scalars:
            size += len(separator) + len(str(item))
        too_long(size, name)
        out.append(item)
    return out


def replaced(text: str, old: str, new: str, count: Any = None) -> None:
    """Refuse ``text.replace(old, new, count)`` longer than MAX_VALUE."""
    hits = text.count(old) if old else len(text) + 1
    if isinstance(count, int) and count >= 0:
        hits = min(hits, count)
    too_long(len(text) + hits * max(len(new) - len(old), 0), "замена replace")


def string_method(owner: str, name: str, args: tuple, kwargs: dict) -> tuple:
    """Check a call of the string method ``owner.name(*args)``; the args to call with."""
    first = args[0] if args else None
    if name in ("center", "ljust", "rjust", "zfill"):
        argument(first if args else kwargs.get("width"), name)
    elif name == "expandtabs":
        size = first if args else kwargs.get("tabsize", 8)
        argument(size, name)
        too_long(len(owner) + owner.count("\t") * max(size, 0), name)
    elif name == "replace" and len(args) >= 2:
        replaced(owner, str(args[0]), str(args[1]), args[2] if len(args) > 2 else
                 kwargs.get("count"))
    elif name == "join" and args:
        return (bounded_items(first, owner, "соединение join"),) + args[1:]
    elif name in ("format", "format_map"):
        format_string(owner, list(args) + list(kwargs.values()), name)
    return args


def filter_arguments(name: str, value: Any, args: tuple, kwargs: dict) -> None:
    """Check a filter's arguments before it runs (``join`` and ``sum`` check themselves)."""
    for arg in (*args, *kwargs.values()):
        argument(arg, name)
    if name == "replace" and len(args) >= 2:
        replaced(str(value), str(args[0]), str(args[1]), args[2] if len(args) > 2 else
                 kwargs.get("count"))
    elif name == "indent":
        width = args[0] if args else kwargs.get("width", 4)
        text = str(value)
        too_long(len(text) + (text.count("\n") + 1) * (len(width) if isinstance(width, str)
                                                        else max(width, 0)), "фильтр indent")
    elif name == "wordwrap":
        width = args[0] if args else kwargs.get("width", 79)
        wrap = args[2] if len(args) > 2 else kwargs.get("wrapstring") or "\n"
        text = str(value)
        too_long(len(text) + (len(text) // max(width, 1) + 1) * len(str(wrap)),
                 "фильтр wordwrap")
    elif name == "format":
        format_string(str(value), list(args) + list(kwargs.values()), "format")


def sized(value: Any) -> Any:
    """``value``, charged to the render's budget; TemplateLimit if it is too long."""
    if isinstance(value, (str, list, tuple, dict)):
        size = len(value)
        too_long(size, "результат выражения")
        budget = _active.get()
        if budget is not None:
            budget.build(size)
    return value

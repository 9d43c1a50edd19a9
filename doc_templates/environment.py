"""The Jinja environment every DOCX template is rendered in.

docxtpl's default environment is neither sandboxed nor autoescaped. Ours is a
``SandboxedEnvironment`` (no access to Python internals: ``__class__``, ``__globals__``,
``mro``…), autoescaping (a typed ``<`` or ``&`` lands in the XML escaped, so Word still
opens the file), and strict about undefined names (a missing variable is an error naming
it, not a silent blank). Only our Russian formatting filters are added; the dangerous
default globals (``cycler``, ``joiner``, ``namespace``, ``lipsum``) are removed, and
docxtpl's own objects (``InlineImage.tpl``, ``Subdoc``'s template, ``DocxTemplate``) are
opaque to templates.

The sandbox also bounds the work a template can cause (``doc_templates.budget``): every
loop iteration (the code generator wraps each ``for``'s iterable), call and filter is a
step of the render's budget; ``*``, ``**``, ``+``, ``%``, ``~``, string methods and filters
that could build a huge value are refused before they compute it; what the template
outputs is counted. A refusal is a ``TemplateLimit`` naming the limit.

The Russian filters (``doc_templates.russian.jinja_filters``) decline names, positions and
nouns and make words agree: ``{{ data.person|genitive }}``, ``{{ data.person|position('gent')
}}`` («учителя математики»), ``{{ head.position|case('datv') }}``, ``{{ data.person|by_gender(
'именуемый', 'именуемая') }}``, ``{{ extra.mentees|by_number('наставляемого', 'наставляемых')
}}``, ``{{ n|plural('месяц', 'месяца', 'месяцев') }}``. Uploaded templates may use them too.
The dictionary of the noun filters is loaded when the environment is made, once a process —
so the sandbox's zygote holds it before it forks a child per upload.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import partial, update_wrapper
from typing import Any

from jinja2 import (
    StrictUndefined,
    Template,
    UndefinedError,
    nodes,
    pass_environment,
    pass_eval_context,
)
from jinja2.compiler import CodeGenerator, Frame
from jinja2.filters import do_join, do_sum, make_attrgetter
from jinja2.runtime import Context, Macro, missing
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import _PassArg

from doc_templates import budget, nouns
from doc_templates.russian import jinja_filters
from storage.errors import TemplateLimit

SAFE_GLOBALS = ("range", "dict")
# attributes that lead from docxtpl's helper objects back to the template and python-docx
HIDDEN_ATTRIBUTES = frozenset({"tpl", "_tpl", "docx", "template_file", "subdocx", "mro",
                               "gi_frame", "gi_code", "cr_frame", "f_globals", "f_locals",
                               "func_globals"})


class MissingVariable(UndefinedError):
    """A template used a name or attribute the context lacks; ``obj`` had no ``name``."""

    def __init__(self, message: str | None = None, *, obj: Any = missing,
                 name: str | None = None):
        super().__init__(message)
        self.obj, self.name = obj, name


class NamedUndefined(StrictUndefined):
    """StrictUndefined whose error remembers which object lacked which name.

    ``doc_templates.render`` turns that into the dotted path a template author wrote
    (``data.foo``) instead of Jinja's «'dict object' has no attribute 'foo'».
    """

    __slots__ = ()

    def __init__(self, hint: str | None = None, obj: Any = missing, name: str | None = None,
                 exc: type[Exception] = UndefinedError) -> None:
        super().__init__(hint, obj, name, exc)
        if exc is UndefinedError:
            self._undefined_exception = partial(MissingVariable, obj=obj, name=name)


class BoundedCodeGenerator(CodeGenerator):
    """Jinja's code generator, charging loops and bounding ``~`` (see the module doc)."""

    def visit_For(self, node: nodes.For, frame: Frame) -> None:
        if not _is_counted(node.iter):
            node.iter = nodes.Call(nodes.EnvironmentAttribute("counted"), [node.iter], [],
                                   None, None, lineno=node.iter.lineno)
        super().visit_For(node, frame)

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        self.write("environment.sized(")
        super().visit_Concat(node, frame)
        self.write(")")


def _is_counted(node: nodes.Node) -> bool:
    return isinstance(node, nodes.Call) and isinstance(node.node, nodes.EnvironmentAttribute) \
        and node.node.name == "counted"


class BudgetedTemplate(Template):
    """A template whose ``render`` runs under a budget (the caller's, or its own)."""

    def render(self, *args: Any, **kwargs: Any) -> str:
        with budget.render_budget():
            return super().render(*args, **kwargs)


class DocumentSandbox(ImmutableSandboxedEnvironment):
    """The sandbox, also closed to docxtpl's internals (see rendering.md), and bounded."""

    code_generator_class = BoundedCodeGenerator
    template_class = BudgetedTemplate
    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def getattr(self, obj: Any, attribute: str) -> Any:
        # refuse private and hidden names even when the object lacks them, so that probing
        # for internals always reads as a refusal, never as a mere missing variable
        if attribute.startswith("_") or attribute in HIDDEN_ATTRIBUTES:
            return self.unsafe_undefined(obj, attribute)
        return super().getattr(obj, attribute)

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if attr in HIDDEN_ATTRIBUTES or _is_docxtpl_internal(obj):
            return False
        return super().is_safe_attribute(obj, attr, value)

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        budget.binop(operator, left, right)
        return budget.sized(super().call_binop(context, operator, left, right))

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        spent = budget.active()
        if spent is not None:
            spent.step()
        target = getattr(__obj, "__wrapped__", __obj)  # str.format is wrapped by the sandbox
        owner = getattr(target, "__self__", None)
        if isinstance(owner, str):
            args = budget.string_method(owner, getattr(target, "__name__", ""), args, kwargs)
        if not isinstance(__obj, Macro) or spent is None:
            return budget.sized(super().call(__context, __obj, *args, **kwargs))
        spent.step(budget.MACRO_STEPS - 1)
        spent.depth += 1
        try:
            if spent.depth > budget.MAX_DEPTH:
                raise TemplateLimit(f"Макросы шаблона вызывают друг друга слишком глубоко: "
                                    f"больше {budget.MAX_DEPTH} уровней.")
            return budget.sized(super().call(__context, __obj, *args, **kwargs))
        finally:
            spent.depth -= 1

    def counted(self, iterable: Iterable[Any]) -> Iterator[Any]:
        """The items of a ``for`` loop, each charged as a step of the render."""
        spent = budget.active()
        if spent is None:
            yield from iterable
            return
        for item in iterable:
            spent.step()
            yield item

    def sized(self, value: Any) -> Any:
        return budget.sized(value)

    def concat(self, chunks: Iterable[str]) -> str:  # type: ignore[override]
        """The rendered text (of a template, a macro or a block), counted as output."""
        spent = budget.active()
        if spent is None:
            return "".join(chunks)
        out: list[str] = []
        append, limit = out.append, spent.max_output
        for chunk in chunks:  # inlined Budget.emit: this loop runs for every chunk rendered
            spent.output += len(chunk)
            if spent.output > limit:
                spent.emit(0)
            append(chunk)
        return "".join(out)


def _is_docxtpl_internal(obj: Any) -> bool:
    module = type(obj).__module__ or ""
    return module.startswith(("docxtpl.template", "docxtpl.subdoc", "docx."))


def make_environment() -> DocumentSandbox:
    nouns.analyzer()  # cached: the first call of a process loads the dictionary (~0.1 s)
    env = DocumentSandbox(undefined=NamedUndefined, autoescape=True)
    env.globals = {k: v for k, v in env.globals.items() if k in SAFE_GLOBALS}
    env.filters.update(jinja_filters())
    env.filters["full_name"] = full_name
    env.filters["join"], env.filters["sum"] = bounded_join, bounded_sum
    env.filters = {name: _bounded_filter(name, func) for name, func in env.filters.items()}
    return env


def _bounded_filter(name: str, func: Any) -> Any:
    """``func`` with its arguments and result bounded (``budget``), passed what it asks for.

    Filters are not charged as steps: one runs per expression or per item of a loop or a
    ``map``, all of which are bounded already. Constant folding at compile time stays
    possible; a folded filter that would exceed a bound is left to fail at render time.
    """
    special = name in budget.EXPANDING_FILTERS

    def bounded(*args: Any, **kwargs: Any) -> Any:
        if len(args) > offset + 1 or kwargs or special:
            budget.filter_arguments(name, args[offset], args[offset + 1:], kwargs)
        return budget.sized(func(*args, **kwargs))

    pass_arg = _PassArg.from_obj(func)
    offset = 0 if pass_arg is None else 1  # the context, eval context or environment
    return update_wrapper(bounded, func)  # keeps func's jinja_pass_arg


@pass_eval_context
def bounded_join(eval_ctx, value: Iterable[Any], d: str = "", attribute: Any = None) -> str:
    """Jinja's ``join``, refused before joining if the result would exceed MAX_VALUE."""
    if attribute is not None:
        value = map(make_attrgetter(eval_ctx.environment, attribute), value)
    return do_join(eval_ctx, budget.bounded_items(value, str(d), "фильтр join"), d)


@pass_environment
def bounded_sum(environment, iterable: Iterable[Any], attribute: Any = None,
                start: Any = 0) -> Any:
    """Jinja's ``sum``, refused before adding if lists or strings would exceed MAX_VALUE."""
    if attribute is not None:
        iterable = map(make_attrgetter(environment, attribute), iterable)
    items = budget.bounded_items(iterable, "", "фильтр sum", scalars=False)
    return do_sum(environment, items, start=start)


def full_name(person) -> str:
    """«Иванова Мария Петровна» from a person mapping."""
    parts = (person.get("last_name"), person.get("first_name"), person.get("middle_name"))
    return " ".join(p for p in parts if p)

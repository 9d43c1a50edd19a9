"""The Jinja environment every DOCX template is rendered in.

docxtpl's default environment is neither sandboxed nor autoescaped. Ours is a
``SandboxedEnvironment`` (no access to Python internals: ``__class__``, ``__globals__``,
``mro``…), autoescaping (a typed ``<`` or ``&`` lands in the XML escaped, so Word still
opens the file), and strict about undefined names (a missing variable is an error naming
it, not a silent blank). Only our Russian formatting filters are added; the dangerous
default globals (``cycler``, ``joiner``, ``namespace``, ``lipsum``) are removed, and
docxtpl's own objects (``InlineImage.tpl``, ``Subdoc``'s template, ``DocxTemplate``) are
opaque to templates.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from jinja2 import StrictUndefined, UndefinedError
from jinja2.runtime import missing
from jinja2.sandbox import ImmutableSandboxedEnvironment

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


class DocumentSandbox(ImmutableSandboxedEnvironment):
    """The sandbox, also closed to docxtpl's internals (see rendering.md)."""

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


def _is_docxtpl_internal(obj: Any) -> bool:
    module = type(obj).__module__ or ""
    return module.startswith(("docxtpl.template", "docxtpl.subdoc", "docx."))


def make_environment() -> DocumentSandbox:
    from doc_templates.russian import jinja_filters

    env = DocumentSandbox(undefined=NamedUndefined, autoescape=True)
    env.globals = {k: v for k, v in env.globals.items() if k in SAFE_GLOBALS}
    env.filters.update(jinja_filters())
    env.filters["full_name"] = full_name
    return env


def full_name(person) -> str:
    """«Иванова Мария Петровна» from a person mapping."""
    parts = (person.get("last_name"), person.get("first_name"), person.get("middle_name"))
    return " ".join(p for p in parts if p)

"""The Jinja environment every DOCX template is rendered in.

docxtpl's default environment is neither sandboxed nor autoescaped. Ours is a
``SandboxedEnvironment`` (no access to Python internals: ``__class__``, ``__globals__``,
``mro``…), autoescaping (a typed ``<`` or ``&`` lands in the XML escaped, so Word still
opens the file), and strict about undefined names (a missing variable is an error naming
it, not a silent blank). Only our Russian formatting filters are added; the dangerous
default globals (``cycler``, ``joiner``, ``namespace``, ``lipsum``) are removed.
"""

from __future__ import annotations

from jinja2 import StrictUndefined
from jinja2.sandbox import ImmutableSandboxedEnvironment

SAFE_GLOBALS = ("range", "dict")


def make_environment() -> ImmutableSandboxedEnvironment:
    from doc_templates.russian import jinja_filters

    env = ImmutableSandboxedEnvironment(undefined=StrictUndefined, autoescape=True)
    env.globals = {k: v for k, v in env.globals.items() if k in SAFE_GLOBALS}
    env.filters.update(jinja_filters())
    env.filters["full_name"] = full_name
    return env


def full_name(person) -> str:
    """«Иванова Мария Петровна» from a person mapping."""
    parts = (person.get("last_name"), person.get("first_name"), person.get("middle_name"))
    return " ".join(p for p in parts if p)

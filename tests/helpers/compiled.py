"""What every test's app would compile again, kept for the whole test process.

Each test has an app of its own (tests/conftest.py), built anew:

- its Jinja environment compiles every page template it renders: a fifth of the time of a
  test that opens a few pages. Jinja's bytecode cache, here in memory, gives each new
  environment the templates already compiled; a template whose source changed is compiled
  again (the cache checks its checksum), and what the pages show is the same;
- its URL map compiles, for each of its 140 rules, two functions that build the rule's
  URLs (werkzeug writes their Python source and compiles it): 30 ms, most of the time of
  ``create_app``. The function depends only on the rule's text and defaults, and takes the
  rule as its first argument, so one compiled function serves the same rule of every app.
"""

from __future__ import annotations

from jinja2 import BytecodeCache
from jinja2.bccache import Bucket
from werkzeug.routing.rules import Rule


class CompiledTemplates(BytecodeCache):
    """Compiled page templates by name, shared by the apps of one test process."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self.compiled.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


TEMPLATES = CompiledTemplates()


_compile_builder = Rule._compile_builder
_builders: dict[tuple, object] = {}


def _compile_builder_once(rule: Rule, append_unknown: bool = True):
    key = (rule.rule, rule.host, rule.subdomain, rule.merge_slashes, tuple(rule._trace),
           repr(sorted((rule.defaults or {}).items())), append_unknown)
    if key not in _builders:
        _builders[key] = _compile_builder(rule, append_unknown)
    return _builders[key]


def compile_url_rules_once() -> None:
    """From now on, a URL rule's builders are compiled once per process."""
    Rule._compile_builder = _compile_builder_once

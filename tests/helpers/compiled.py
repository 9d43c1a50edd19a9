"""What every test's app would compile again, kept for the whole test process.

Each test has an app of its own (tests/conftest.py), and so a Jinja environment of its own
that compiles every page template it renders anew: a fifth of the time of a test that opens
a few pages. Jinja's bytecode cache, here in memory, gives each new environment the
templates already compiled; a template whose source changed is compiled again (the cache
checks its checksum), and what the pages show is the same.
"""

from __future__ import annotations

from jinja2 import BytecodeCache
from jinja2.bccache import Bucket


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

"""Regenerate every built-in template: ``python -m doc_templates.builder``."""

import importlib
import pkgutil
from pathlib import Path

import doc_templates.builder as pkg

OUT = Path(pkg.__file__).parent.parent

for info in pkgutil.iter_modules(pkg.__path__):
    if info.name == "__main__":
        continue
    module = importlib.import_module(f"doc_templates.builder.{info.name}")
    if hasattr(module, "build"):  # a kind's template (gost and signing are its parts)
        module.build().save(OUT / f"{info.name}.docx")
        print(f"{info.name}.docx")

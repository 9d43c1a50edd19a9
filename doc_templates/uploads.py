"""Checking a DOCX template a school uploads, before it is stored or rendered.

``check_template(kind, data)`` refuses, with a Russian ``TemplateProblem``, anything that is
not a plain DOCX or that could do more than print the document's data:

- not a zip, or a zip without ``word/document.xml``; over ``MAX_BYTES``;
- a zip bomb: more than ``MAX_ENTRIES`` entries, more than ``MAX_UNCOMPRESSED`` bytes
  unpacked, or packed more than ``MAX_RATIO`` times;
- macros and ActiveX (``vbaProject.bin``, macro-enabled content types, ``activeX`` parts);
- external references: a relationship with ``TargetMode="External"`` (other than an
  ordinary http/https/mailto hyperlink, which Word and LibreOffice never fetch on opening),
  an attached template, INCLUDETEXT / INCLUDEPICTURE / DDE / LINK / IMPORT fields;
- a DOCTYPE or ENTITY declaration in any XML part (XXE);
- Jinja syntax errors (with the text around them), access to attributes starting with
  ``_`` or to docxtpl internals, and any variable the kind does not provide.
"""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

from jinja2 import TemplateSyntaxError, meta, nodes
from lxml import etree

from doc_templates.environment import HIDDEN_ATTRIBUTES
from doc_templates.render import (
    MISSING,
    environment,
    security_message,
    snippet,
    syntax_message,
    template_sources,
)
from workflows.errors import TemplateProblem

MAX_BYTES = 5 * 1024 * 1024
MAX_UNCOMPRESSED = 50 * 1024 * 1024
MAX_RATIO = 100
MAX_ENTRIES = 1000
TOP_LEVEL = ("org", "head", "doc", "esign", "visas", "data", "extra")
ENGINE_DATA_KEYS = ("person", "person_name")  # added by workflows.documents to the form data
SAFE_LINK = re.compile(r"^(https?://|mailto:)", re.I)
FORBIDDEN_FIELDS = re.compile(r"\b(INCLUDETEXT|INCLUDEPICTURE|DDEAUTO|DDE|LINK|IMPORT)\b")
DICT_METHODS = frozenset({"get", "items", "keys", "values"})
MACRO_TYPES = ("macroenabled", "vbaproject", "vbadata", "activex")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
NOT_DOCX = "Файл не является документом DOCX (Word 2007 и новее)."


def check_template(kind: str, data: bytes) -> list[str]:
    """The variables the template uses (``data.duties``, ``org``…), if it is acceptable.

    Raises TemplateProblem with a Russian message naming the first problem found.
    """
    if len(data) > MAX_BYTES:
        raise TemplateProblem(f"Файл шаблона больше {MAX_BYTES // (1024 * 1024)} МБ.")
    parts = _check_package(data)
    return _check_jinja(kind, data, parts)


# --- the package ---------------------------------------------------------------------------


def _check_package(data: bytes) -> dict[str, bytes]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        raise TemplateProblem(NOT_DOCX) from None
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_ENTRIES:
            raise TemplateProblem(f"В архиве шаблона слишком много частей ({len(infos)}); "
                                  f"обычный документ содержит несколько десятков.")
        unpacked = sum(i.file_size for i in infos)
        packed = sum(i.compress_size for i in infos) or 1
        if unpacked > MAX_UNCOMPRESSED or unpacked / packed > MAX_RATIO:
            raise TemplateProblem("Файл шаблона похож на «zip-бомбу»: после распаковки он "
                                  "занимает несравнимо больше места. Сохраните документ "
                                  "в Word заново и загрузите ещё раз.")
        names = {i.filename for i in infos}
        if "word/document.xml" not in names or "[Content_Types].xml" not in names:
            raise TemplateProblem(NOT_DOCX)
        for name in names:
            low = name.lower()
            if low.endswith("vbaproject.bin") or "activex" in low or low.endswith("vbadata.xml"):
                raise _macros()
        try:
            xml_parts = {i.filename: archive.read(i) for i in infos
                         if i.filename.lower().endswith((".xml", ".rels"))}
        except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, ValueError):
            raise TemplateProblem("Архив шаблона повреждён: не удаётся распаковать его "
                                  "части.") from None
    trees = {name: _parse_xml(name, raw) for name, raw in xml_parts.items()}
    _check_content_types(trees["[Content_Types].xml"])
    for name, tree in trees.items():
        if name.endswith(".rels"):
            _check_relationships(name, tree)
        elif name.startswith("word/"):
            _check_word_part(name, tree)
    return xml_parts


def _macros() -> TemplateProblem:
    return TemplateProblem("Шаблон содержит макросы или элементы ActiveX. Загружать можно "
                           "только документ без макросов (DOCX, не DOCM).")


def _parse_xml(name: str, raw: bytes) -> etree._Element:
    if re.search(rb"<!\s*(DOCTYPE|ENTITY)", raw, re.I) or \
            re.search(r"<!\s*(DOCTYPE|ENTITY)", raw.decode("utf-16", "ignore"), re.I):
        raise _xxe(name)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False)
    try:
        tree = etree.fromstring(raw, parser)
    except etree.XMLSyntaxError:
        raise TemplateProblem(f"Часть шаблона «{name}» повреждена (неверный XML).") from None
    docinfo = tree.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise _xxe(name)
    return tree


def _xxe(name: str) -> TemplateProblem:
    return TemplateProblem(f"Часть шаблона «{name}» содержит объявление DOCTYPE/ENTITY "
                           f"(возможна атака XXE). Такие файлы не принимаются.")


def _check_content_types(tree: etree._Element) -> None:
    for element in tree.iter():
        content_type = (element.get("ContentType") or "").lower()
        if any(word in content_type for word in MACRO_TYPES):
            raise _macros()


def _check_relationships(name: str, tree: etree._Element) -> None:
    for rel in tree.iter(f"{REL}Relationship"):
        rel_type = (rel.get("Type") or "").rsplit("/", 1)[-1]
        if rel_type.lower() in ("vbaproject", "activexcontrol", "activexcontrolbinary",
                                "wordvbadata"):
            raise _macros()
        if rel_type == "attachedTemplate":
            raise _external("присоединённый шаблон (attachedTemplate)")
        if (rel.get("TargetMode") or "").lower() == "external":
            if rel_type == "hyperlink" and SAFE_LINK.match(rel.get("Target") or ""):
                continue
            raise _external(f"внешняя ссылка «{rel_type}» на «{rel.get('Target', '')[:80]}»")


def _external(what: str) -> TemplateProblem:
    return TemplateProblem(f"Шаблон ссылается на внешние ресурсы: {what}. Документ должен "
                           f"быть самодостаточным: вставьте содержимое в сам файл.")


def _check_word_part(name: str, tree: etree._Element) -> None:
    if tree.find(f".//{W}attachedTemplate") is not None:
        raise _external("присоединённый шаблон (attachedTemplate)")
    codes = "".join(t.text or "" for t in tree.iter(f"{W}instrText"))
    codes += " " + " ".join(e.get(f"{W}instr") or "" for e in tree.iter(f"{W}fldSimple"))
    found = FORBIDDEN_FIELDS.search(codes.upper())
    if found:
        raise _external(f"поле {found.group(1)} в части «{name}»")


# --- the template language -----------------------------------------------------------------


def allowed_names(kind: str) -> dict[str, set[str] | None]:
    """What a template of ``kind`` may use: top-level name → its keys (None: unchecked)."""
    from doc_templates.samples import sample_context
    from webforms.forms import FORMS

    sample = sample_context(kind)
    allowed: dict[str, set[str] | None] = {
        name: set(sample[name]) if isinstance(sample[name], dict) else None
        for name in TOP_LEVEL}
    allowed["esign"] = {"signer", "position", "signed_at", "signature_id"}
    allowed["extra"] = None  # the kind's context hook: documented per kind, not checked
    allowed["data"] = set(FORMS[kind]().fields) | set(ENGINE_DATA_KEYS) if kind in FORMS \
        else None
    for name in environment().globals:
        allowed[name] = None
    return allowed


def _check_jinja(kind: str, data: bytes, xml_parts: dict[str, Any]) -> list[str]:
    from workflows.kinds import get_kind

    get_kind(kind)  # NotFound for an unknown kind
    allowed = allowed_names(kind)
    used: set[str] = set()
    env = environment()
    for part in template_sources(data):
        try:
            ast = env.parse(part.source)
        except TemplateSyntaxError as exc:
            raise TemplateProblem(syntax_message(exc, part.source, part.where)) from None
        _check_attributes(ast, part)
        for name in sorted(meta.find_undeclared_variables(ast)):
            if name not in allowed:
                raise _unknown(name, _line_of(ast, name), part)
            used.add(name)
        for node in ast.find_all((nodes.Getattr, nodes.Getitem, nodes.Call)):
            base, key = _mapping_access(node)
            if not isinstance(base, nodes.Name) or base.ctx != "load" or key is None:
                continue
            keys = allowed.get(base.name)
            if keys is None or base.name not in used:
                continue
            if key not in keys:
                raise _unknown(f"{base.name}.{key}", node.lineno, part)
            used.add(f"{base.name}.{key}")
    return sorted(used)


def _mapping_access(node: nodes.Node) -> tuple[nodes.Node | None, str | None]:
    """(the mapping, the key) of ``x.key``, ``x['key']`` or ``x.get('key')``."""
    if isinstance(node, nodes.Call):
        callee = node.node
        if isinstance(callee, nodes.Getattr) and callee.attr == "get" and node.args and \
                isinstance(node.args[0], nodes.Const) and isinstance(node.args[0].value, str):
            return callee.node, node.args[0].value
        return None, None
    key = _key_of(node)
    if isinstance(node, nodes.Getattr) and key in DICT_METHODS:
        return None, None
    return node.node, key


def _key_of(node: nodes.Getattr | nodes.Getitem) -> str | None:
    if isinstance(node, nodes.Getattr):
        return node.attr
    if isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
        return node.arg.value
    return None


def _check_attributes(ast: nodes.Template, part) -> None:
    for node in ast.find_all((nodes.Getattr, nodes.Getitem, nodes.Filter)):
        if isinstance(node, nodes.Filter):
            if node.name != "attr" or not node.args:
                continue
            arg = node.args[0]
            key = arg.value if isinstance(arg, nodes.Const) else None
        else:
            key = _key_of(node)
        if isinstance(key, str) and (key.startswith("_") or key in HIDDEN_ATTRIBUTES):
            around = snippet(part.source, node.lineno)
            raise TemplateProblem(security_message(Exception(f"attribute '{key}'")) +
                                  (f" Текст рядом: «{around}»." if around else ""))


def _line_of(ast: nodes.Template, name: str) -> int | None:
    for node in ast.find_all(nodes.Name):
        if node.name == name:
            return node.lineno
    return None


def _unknown(name: str, lineno: int | None, part) -> TemplateProblem:
    around = snippet(part.source, lineno)
    return TemplateProblem(MISSING.format(name) + (f" Место {part.where}: «{around}»."
                                                   if around else ""))

"""Checking a DOCX template a school uploads, before it is stored or rendered.

``webforms.samples.check_template(kind, data)`` (which gives this module the kind's sample
context and form fields) refuses, with a Russian ``TemplateProblem``, anything that is
not a plain DOCX or that could do more than print the document's data:

- not a zip, a truncated one, or a zip without ``word/document.xml``; over ``MAX_BYTES``;
- a zip bomb or a forged archive: more than ``MAX_ENTRIES`` entries, duplicate or unsafe
  entry names, more than ``MAX_UNCOMPRESSED`` bytes unpacked or packed more than
  ``MAX_RATIO`` times. Every entry is read to its end through a byte budget (the sizes the
  archive declares are not trusted), so a corrupt entry, a bad CRC or a forged size is
  refused here, not met later while rendering;
- nested archives and embedded objects (``word/embeddings/``, an entry that is a zip);
- macros and ActiveX (``vbaProject.bin``, macro-enabled content types, ``activeX`` parts);
- external references: a relationship with ``TargetMode="External"`` (other than an
  ordinary http/https/mailto hyperlink, which Word and LibreOffice never fetch on opening),
  an attached template, INCLUDETEXT / INCLUDEPICTURE / DDE / LINK / IMPORT fields;
- a DOCTYPE or ENTITY declaration in any XML part (XXE);
- Jinja syntax errors (with the text around them), access to attributes starting with
  ``_`` or to docxtpl internals, and any variable the kind does not provide;
- a template too costly to fill: it is trial-rendered with the kind's sample data.

The check parses templates but never evaluates their expressions in this process: the
package and the template language are inspected, and the trial render done, in a limited
child process (``doc_templates.sandbox_process``), which also bounds time and memory.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from collections.abc import Iterable
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
from storage.errors import TemplateProblem

MAX_BYTES = 5 * 1024 * 1024
MAX_UNCOMPRESSED = 50 * 1024 * 1024
MAX_RATIO = 100
MAX_ENTRIES = 1000
CHUNK = 64 * 1024
ZIP_MAGIC = b"PK\x03\x04"
NESTED = (".zip", ".docx", ".docm", ".dotx", ".dotm", ".xlsx", ".xlsm", ".pptx", ".jar",
          ".odt", ".7z", ".rar", ".gz")
TOP_LEVEL = ("org", "head", "doc", "esign", "esigns", "visas", "data", "extra")
ENGINE_DATA_KEYS = ("person", "person_name")  # added by workflows.documents to the form data
SAFE_LINK = re.compile(r"^(https?://|mailto:)", re.I)
FORBIDDEN_FIELDS = re.compile(r"\b(INCLUDETEXT|INCLUDEPICTURE|DDEAUTO|DDE|LINK|IMPORT)\b")
DICT_METHODS = frozenset({"get", "items", "keys", "values"})
MACRO_TYPES = ("macroenabled", "vbaproject", "vbadata", "activex")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
NOT_DOCX = "Файл не является документом DOCX (Word 2007 и новее)."


def inspect_template(data: bytes, allowed: dict[str, set[str] | None]) -> list[str]:
    """The package and template-language checks of ``webforms.samples.check_template`` (run
    in the limited child process); ``allowed`` as ``allowed_names`` gives it."""
    if len(data) > MAX_BYTES:
        raise TemplateProblem(f"Файл шаблона больше {MAX_BYTES // (1024 * 1024)} МБ.")
    parts = _check_package(data)
    return _check_jinja(allowed, data, parts)


# --- the package ---------------------------------------------------------------------------


def _check_package(data: bytes) -> dict[str, bytes]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except Exception:  # zipfile raises many kinds of errors on a broken directory
        if data.startswith(ZIP_MAGIC):
            raise TemplateProblem("Файл шаблона обрезан или повреждён: архив DOCX не "
                                  "читается до конца. Загрузите файл ещё раз.") from None
        raise TemplateProblem(NOT_DOCX) from None
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_ENTRIES:
            raise TemplateProblem(f"В архиве шаблона слишком много частей ({len(infos)}); "
                                  f"обычный документ содержит несколько десятков.")
        unpacked = sum(i.file_size for i in infos)
        packed = sum(i.compress_size for i in infos) or 1
        if unpacked > MAX_UNCOMPRESSED or unpacked / packed > MAX_RATIO:
            raise _bomb()
        names = _check_names(infos)
        if "word/document.xml" not in names or "[content_types].xml" not in names:
            raise TemplateProblem(NOT_DOCX)
        for name in names:
            if name.endswith("vbaproject.bin") or "activex" in name or \
                    name.endswith("vbadata.xml"):
                raise _macros()
        xml_parts = _read_entries(archive, infos, data, budget=min(MAX_UNCOMPRESSED,
                                                                   len(data) * MAX_RATIO))
    trees = {name: _parse_xml(name, raw) for name, raw in xml_parts.items()}
    _check_content_types(next(tree for name, tree in trees.items()
                              if name.lower() == "[content_types].xml"))
    for name, tree in trees.items():
        if name.endswith(".rels"):
            _check_relationships(name, tree)
        elif name.startswith("word/"):
            _check_word_part(name, tree)
    return xml_parts


def _bomb() -> TemplateProblem:
    return TemplateProblem("Файл шаблона похож на «zip-бомбу»: после распаковки он "
                           "занимает несравнимо больше места. Сохраните документ в Word "
                           "заново и загрузите ещё раз.")


def _check_names(infos: list[zipfile.ZipInfo]) -> set[str]:
    """The entry names, lowercased; refuses duplicates, unsafe paths and nested archives."""
    seen: set[str] = set()
    for info in infos:
        name = info.filename.lower()
        if name in seen:
            raise TemplateProblem(f"В архиве шаблона дважды встречается часть "
                                  f"«{info.filename[:80]}»: файл повреждён или подделан.")
        if name.startswith(("/", "\\")) or "\\" in name or ".." in name.split("/") or \
                "\0" in name:
            raise TemplateProblem(f"Недопустимое имя части в архиве шаблона: "
                                  f"«{info.filename[:80]!s}».")
        if name.startswith("word/embeddings/") or name.endswith(NESTED):
            raise _nested(info.filename)
        seen.add(name)
    return seen


def _nested(name: str) -> TemplateProblem:
    return TemplateProblem(f"Шаблон содержит вложенный архив или встроенный объект "
                           f"(«{name[:80]}»). Вставьте в документ само содержимое, без "
                           f"вложенных файлов.")


def _read_entries(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo], data: bytes, *,
                  budget: int) -> dict[str, bytes]:
    """The XML parts' bytes. Every entry's compressed data is inflated to its real end
    against ``budget`` (a size the archive declares is only compared, never trusted), then
    read through zipfile to its end, so its CRC is checked."""
    xml_parts: dict[str, bytes] = {}
    spent = 0
    for info in infos:
        keep = info.filename.lower().endswith((".xml", ".rels"))
        chunks: list[bytes] = []
        try:
            if info.flag_bits & 0x1:
                raise RuntimeError("encrypted")
            real = _inflated_size(data, info, budget - spent)
            if real != info.file_size:
                raise TemplateProblem(f"Архив шаблона подделан: размер части "
                                      f"«{info.filename[:80]}» в оглавлении ({info.file_size} "
                                      f"байт) не совпадает с её содержимым ({real} байт).")
            with archive.open(info) as stream:
                first = True
                while chunk := stream.read(CHUNK):
                    spent += len(chunk)
                    if spent > budget:
                        raise _bomb()
                    if first and chunk.startswith(ZIP_MAGIC):
                        raise _nested(info.filename)
                    first = False
                    if keep:
                        chunks.append(chunk)
        except TemplateProblem:
            raise
        except Exception as exc:  # zipfile, zlib and friends: the entry is broken
            raise TemplateProblem(f"Архив шаблона повреждён: часть «{info.filename[:80]}» "
                                  f"не распаковывается ({_why(exc)}). Сохраните документ в "
                                  f"Word заново и загрузите ещё раз.") from None
        if keep:
            xml_parts[info.filename] = b"".join(chunks)
    return xml_parts


def _inflated_size(data: bytes, info: zipfile.ZipInfo, budget: int) -> int:
    """How many bytes the entry's compressed data really unpacks to (TemplateProblem once
    past ``budget``). Only the methods Word writes, stored and deflate, are accepted."""
    header = data[info.header_offset:info.header_offset + 30]
    if len(header) < 30 or header[:4] != ZIP_MAGIC:
        raise ValueError("truncated: no local header")
    name_length, extra_length = struct.unpack("<HH", header[26:30])
    start = info.header_offset + 30 + name_length + extra_length
    raw = data[start:start + info.compress_size]
    if len(raw) < info.compress_size:
        raise EOFError("truncated")
    if info.compress_type == zipfile.ZIP_STORED:
        if len(raw) > budget:
            raise _bomb()
        return len(raw)
    if info.compress_type != zipfile.ZIP_DEFLATED:
        raise NotImplementedError("compression")
    inflater, size, view = zlib.decompressobj(-15), 0, memoryview(raw)
    for offset in range(0, len(raw), CHUNK):
        piece = view[offset:offset + CHUNK]
        while piece:
            size += len(inflater.decompress(piece, CHUNK))
            if size > budget:
                raise _bomb()
            piece = inflater.unconsumed_tail
        if inflater.eof:
            break
    while not inflater.eof and (out := inflater.decompress(b"", CHUNK)):
        size += len(out)
        if size > budget:
            raise _bomb()
    if not inflater.eof:
        raise zlib.error("truncated deflate stream")
    return size


def _why(exc: Exception) -> str:
    text = str(exc)
    if "CRC" in text:
        return "не совпадает контрольная сумма"
    if isinstance(exc, zlib.error) or "decompress" in text.lower():
        return "испорчены сжатые данные"
    if isinstance(exc, EOFError) or "truncated" in text.lower():
        return "данные обрываются"
    if isinstance(exc, NotImplementedError) or "compression" in text.lower():
        return "неизвестный способ сжатия"
    if "encrypt" in text.lower() or "password" in text.lower():
        return "часть зашифрована"
    return "данные испорчены"


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


def allowed_names(sample: dict[str, Any], data_keys: Iterable[str] | None
                  ) -> dict[str, set[str] | None]:
    """What a template may use: top-level name → its keys (None: unchecked). ``sample`` is
    a sample context of the kind, ``data_keys`` its form's fields (None: no form)."""
    allowed: dict[str, set[str] | None] = {
        name: set(sample[name]) if isinstance(sample[name], dict) else None
        for name in TOP_LEVEL}
    allowed["esign"] = {"signer", "position", "signed_at", "signature_id"}
    allowed["esigns"] = None  # by party key («head», «mentee:12»…): the kind's parties
    allowed["extra"] = None  # the kind's context hook: documented per kind, not checked
    allowed["data"] = set(data_keys) | set(ENGINE_DATA_KEYS) if data_keys is not None \
        else None
    for name in environment().globals:
        allowed[name] = None
    return allowed


def _check_jinja(allowed: dict[str, set[str] | None], data: bytes,
                 xml_parts: dict[str, Any]) -> list[str]:
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

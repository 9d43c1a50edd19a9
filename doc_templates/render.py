"""Rendering a document's DOCX from its kind's template, safely and fast.

``render_docx(template, context)`` is the whole rendering: docxtpl's template language in
our sandboxed, autoescaping, strict environment. Template errors become ``TemplateProblem``
naming the variable (``data.foo``) or showing the text around a syntax error.

docxtpl 0.20 reloads and re-patches the template inside every ``render()``. We do that work
once per template (keyed by the SHA-256 of its bytes): ``prepare`` keeps docxtpl's patched
XML of the body, headers, footers and footnotes compiled as Jinja templates, and the other
zip entries as a ready-made archive; a render then only runs the compiled templates, applies
docxtpl's post-processing (listing, tables, drawing ids) and appends the rendered parts to a
copy of that archive. A template whose core properties hold Jinja tags falls back to plain
docxtpl (same environment).

Every render also finishes the typesetting (``doc_templates.typography``: non-breaking
spaces in the text runs), removes the empty paragraphs a conditional left before a page
break or at the end (each would spill onto a page of its own and leave it blank), and
writes the document's own properties (``document_properties``): its title, the
organization as its author, no «python-docx» — PDF converters copy them into the PDF.

Every render runs under a budget of steps, value sizes and output (``doc_templates.budget``).
``document_template`` picks the organization's active uploaded template of the kind, if any,
else the built-in ``doc_templates/<kind>.docx``. An uploaded template is rendered in a
separate limited process (``doc_templates.sandbox_process``), a built-in one here, from the
cache. A document's context and its render are ``workflows.rendering``'s.
"""

from __future__ import annotations

import hashlib
import io
import re
import threading
import zipfile
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docxtpl import DocxTemplate
from jinja2 import Template, TemplateError, TemplateSyntaxError, UndefinedError
from jinja2.exceptions import SecurityError
from jinja2.runtime import missing
from lxml import etree
from sqlalchemy.orm import Session

from doc_templates import sandbox_process
from doc_templates.budget import render_budget
from doc_templates.document_properties import APP, CORE, app_xml, core_xml
from doc_templates.environment import DocumentSandbox, MissingVariable, make_environment
from doc_templates.typography import nbsp_runs
from doc_templates.versions import active_version
from storage.blobs import blobs
from storage.errors import TemplateLimit, TemplateProblem

TEMPLATES = Path(__file__).parent
XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
HEADER_URI = DocxTemplate.HEADER_URI
FOOTER_URI = DocxTemplate.FOOTER_URI
FOOTNOTES_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
JINJA_TAG = re.compile(r"{{|{%")
CACHE_SIZE = 64
MISSING = "В шаблоне используется переменная, которой нет у этого вида документа: {}."
RECURSION = "Шаблон вызывает сам себя слишком глубоко (предел рекурсии)."

# docxtpl's patch/post-processing methods do not use the instance's state: one helper serves
_DOCXTPL = DocxTemplate.__new__(DocxTemplate)


def template_path(kind: str) -> Path:
    """The built-in template of ``kind``: ``doc_templates/<kind>.docx``."""
    return TEMPLATES / f"{kind}.docx"


@dataclass(frozen=True)
class Part:
    """One XML part of the DOCX that is a Jinja template."""

    name: str  # zip entry, e.g. word/document.xml
    where: str  # «в тексте документа», for messages
    source: str  # docxtpl's patched XML, one paragraph per line
    template: Template | None
    prefix: str = ""  # for the main part: the document element around the rendered body
    suffix: str = ""


@dataclass(frozen=True)
class Prepared:
    """A template made ready once: compiled parts plus the untouched rest of the zip."""

    sha256: str
    data: bytes
    parts: tuple[Part, ...]
    rest: bytes  # a zip of every entry that is not rendered
    plain_docxtpl: bool  # core properties hold Jinja tags: render with docxtpl itself
    # the property parts the template has (``docProps/core.xml``, ``app.xml``), written anew
    # by every render; one a template lacks is not added (it has no content type there)
    properties: frozenset[str] = frozenset()


_env: DocumentSandbox | None = None
_cache: OrderedDict[str, Prepared] = OrderedDict()
_lock = threading.Lock()


def environment() -> DocumentSandbox:
    """The process-wide environment the cached templates are compiled in."""
    global _env
    if _env is None:
        _env = make_environment()
    return _env


def render_docx(template: bytes | Path, context: dict[str, Any], *,
                max_output: int | None = None) -> bytes:
    """Render a DOCX template with ``context``; raise TemplateProblem on any template error.

    The render's budget (``doc_templates.budget``) covers all its parts; ``max_output``
    bounds the XML text rendered (characters; default ``budget.MAX_OUTPUT``).
    """
    data = template if isinstance(template, bytes) else Path(template).read_bytes()
    prepared = prepare(data)
    with render_budget(max_output):
        if prepared.plain_docxtpl:
            return _render_with_docxtpl(prepared, context)
        out = io.BytesIO(prepared.rest)
        with zipfile.ZipFile(out, "a", compression=zipfile.ZIP_DEFLATED,
                             compresslevel=6) as zout:
            for part in prepared.parts:
                xml = _render_part(part, context)
                if part.prefix or part.suffix:
                    xml = part.prefix + _fix_body(xml) + part.suffix
                zout.writestr(part.name, (XML_DECLARATION + xml).encode("utf-8"))
            for name, make in ((CORE, core_xml), (APP, app_xml)):
                if name in prepared.properties:
                    zout.writestr(name, make(context))
        return out.getvalue()


def prepare(data: bytes, *, cache: bool = True) -> Prepared:
    """The template ``data`` made ready to render (cached by SHA-256).

    Raises TemplateProblem if it is not a DOCX or a part has a Jinja syntax error.
    """
    digest = hashlib.sha256(data).hexdigest()
    with _lock:
        if digest in _cache:
            _cache.move_to_end(digest)
            return _cache[digest]
    prepared = _prepare(data, digest, compile_parts=True)
    if cache:
        with _lock:
            _cache[digest] = prepared
            while len(_cache) > CACHE_SIZE:
                _cache.popitem(last=False)
    return prepared


def template_sources(data: bytes) -> tuple[Part, ...]:
    """The patched Jinja sources of every rendered part (not compiled): for checking uploads."""
    return _prepare(data, hashlib.sha256(data).hexdigest(), compile_parts=False).parts


def _prepare(data: bytes, digest: str, *, compile_parts: bool) -> Prepared:
    try:
        tpl = DocxTemplate(io.BytesIO(data))
        tpl.init_docx()
    except Exception:  # python-docx raises many kinds of errors on a broken package
        raise TemplateProblem("Файл шаблона не является документом DOCX или повреждён."
                              ) from None
    docx = tpl.docx
    sources: list[tuple[str, str, str, str, str]] = []  # name, where, source, prefix, suffix

    root = docx.element
    body = root.body
    body_source = _DOCXTPL.patch_xml(tpl.xml_to_string(body))
    marker = etree.Element(body.tag)
    root.replace(body, marker)
    whole = etree.tostring(root, encoding="unicode")
    root.replace(marker, body)
    prefix, _, suffix = whole.partition("<w:body/>")
    sources.append((docx.part.partname.lstrip("/"), "в тексте документа", body_source,
                    prefix, suffix))

    for uri, where in ((HEADER_URI, "в верхнем колонтитуле"), (FOOTER_URI,
                                                                "в нижнем колонтитуле")):
        for rel in docx.part.rels.values():
            if rel.reltype == uri and not rel.is_external and rel.target_part.blob:
                part = rel.target_part
                xml = etree.tostring(etree.fromstring(part.blob), encoding="unicode")
                sources.append((part.partname.lstrip("/"), where, _DOCXTPL.patch_xml(xml),
                                "", ""))
    for part in docx.part.package.parts:
        if part.content_type == FOOTNOTES_TYPE:
            xml = part.blob.decode("utf-8") if isinstance(part.blob, bytes) else part.blob
            xml = re.sub(r"^<\?xml[^>]*\?>\s*", "", xml)
            sources.append((part.partname.lstrip("/"), "в сносках", _DOCXTPL.patch_xml(xml),
                            "", ""))

    props = docx.core_properties
    plain = any(JINJA_TAG.search(getattr(props, name) or "") for name in
                ("author", "comments", "identifier", "language", "subject", "title"))

    parts = []
    for name, where, source, pre, post in sources:
        source = re.sub(r"<w:p([ >])", r"\n<w:p\1", source)
        template = _compile(source, where) if compile_parts else None
        parts.append(Part(name, where, source, template, pre, post))
    names = {p.name for p in parts}
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        properties = frozenset() if plain else frozenset({CORE, APP} & set(z.namelist()))
    return Prepared(digest, data, tuple(parts), _zip_without(data, names | properties), plain,
                    properties)


def _compile(source: str, where: str) -> Template:
    try:
        return environment().from_string(source)
    except TemplateSyntaxError as exc:
        raise TemplateProblem(syntax_message(exc, source, where)) from None
    except SecurityError as exc:
        raise TemplateProblem(security_message(exc)) from None


def _zip_without(data: bytes, names: set[str]) -> bytes:
    """The template's zip minus the rendered parts, entries copied as they are."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, \
            zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            if info.filename not in names:
                zout.writestr(info, zin.read(info.filename))
    return out.getvalue()


def _render_part(part: Part, context: dict[str, Any]) -> str:
    try:
        xml = part.template.render(context)
    except TemplateError as exc:
        raise TemplateProblem(render_message(exc, context, part)) from None
    except RecursionError:
        raise TemplateLimit(RECURSION) from None
    except (TypeError, ValueError, AttributeError, KeyError, ArithmeticError) as exc:
        raise TemplateProblem(f"Ошибка при заполнении шаблона {part.where}: {exc}.") from None
    xml = re.sub(r"\n<w:p([ >])", r"<w:p\1", xml)
    xml = xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%")
    xml = xml.replace("%_}", "%}")
    return nbsp_runs(_DOCXTPL.resolve_listing(xml))


def _fix_body(xml: str) -> str:
    """docxtpl's table-grid repair and drawing-id renumbering of the rendered body."""
    tree = _DOCXTPL.fix_tables(xml)
    _drop_spilling_blanks(tree)
    _keep_last_rows(tree)
    ids = 1000
    for element in tree.xpath("//wp:docPr", namespaces={
            "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"}):
        ids += 1
        element.attrib["id"] = str(ids)
    return etree.tostring(tree, encoding="unicode")


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# a table whose last printed row keeps with what follows (a signature block after it): the
# builder marks it so (``signing._keep_text_before``), the render sets it on the last row
KEEP_LAST_ROW = "keep-last-row-with-next"
KEPT_TABLES = etree.XPath(f"//w:tblPr/w:tblDescription[@w:val='{KEEP_LAST_ROW}']",
                          namespaces={"w": W[1:-1]})
# the paragraphs of the body that begin a page of their own
PAGE_STARTS = etree.XPath("./w:p[w:pPr/w:pageBreakBefore]", namespaces={"w": W[1:-1]})
PRINTED = {W + "t", W + "drawing", W + "pict", W + "object", W + "br", W + "fldChar",
           W + "sym", W + "tab"}


def _blank(element) -> bool:
    """An empty paragraph: no text, nothing drawn, no break of its own, no section end."""
    if element.tag != W + "p":
        return False
    ppr = element.find(W + "pPr")
    if ppr is not None and (ppr.find(W + "sectPr") is not None
                            or ppr.find(W + "pageBreakBefore") is not None):
        return False
    return not any(e.tag in PRINTED and (e.tag != W + "t" or (e.text or "").strip())
                   for e in element.iter())


def _drop_spilling_blanks(body) -> None:
    """Remove the empty paragraphs just before a paragraph that starts a page, and those
    that end the body: when the page before is full they make a page without text."""
    for p in PAGE_STARTS(body):
        while (prev := p.getprevious()) is not None and _blank(prev):
            body.remove(prev)
    last = body[-1] if len(body) else None
    while last is not None and last.tag == W + "sectPr":
        last = last.getprevious()
    while last is not None and _blank(last):
        before = last.getprevious()
        body.remove(last)
        last = before


def _keep_last_rows(body) -> None:
    """The last row of each table marked ``KEEP_LAST_ROW`` keeps with the next paragraph
    (whole, each of its paragraphs kept with the next); the mark is removed."""
    for mark in KEPT_TABLES(body):
        tbl = mark.getparent().getparent()
        mark.getparent().remove(mark)
        rows = tbl.findall(W + "tr")
        if not rows:
            continue
        for p in rows[-1].iter(W + "p"):
            ppr = p.find(W + "pPr")
            if ppr is None:
                ppr = etree.Element(W + "pPr")
                p.insert(0, ppr)
            if ppr.find(W + "keepNext") is None:
                style = ppr.find(W + "pStyle")
                ppr.insert(0 if style is None else 1, etree.Element(W + "keepNext"))


def _render_with_docxtpl(prepared: Prepared, context: dict[str, Any]) -> bytes:
    tpl = DocxTemplate(io.BytesIO(prepared.data))
    try:
        tpl.render(context, jinja_env=environment(), autoescape=True)
    except TemplateSyntaxError as exc:
        raise TemplateProblem(syntax_message(exc, exc.source or "", "в шаблоне")) from None
    except TemplateError as exc:
        raise TemplateProblem(render_message(exc, context, None)) from None
    except RecursionError:
        raise TemplateLimit(RECURSION) from None
    out = io.BytesIO()
    tpl.save(out)
    return out.getvalue()


# --- messages a template author understands ------------------------------------------------


def snippet(source: str, lineno: int | None, width: int = 160) -> str:
    """The text (tags stripped) of line ``lineno`` of a patched part, shortened."""
    lines = source.splitlines()
    if not lineno or lineno > len(lines):
        return ""
    text = re.sub(r"<[^>]+>", "", lines[lineno - 1])
    text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')
    text = text.replace("&amp;", "&").strip()
    return text if len(text) <= width else text[: width - 1] + "…"


def syntax_message(exc: TemplateSyntaxError, source: str, where: str) -> str:
    line = max((exc.lineno or 1) - 1, 1)
    around = snippet(source, exc.lineno)
    text = f"Ошибка в записи шаблона {where} (абзац {line}): {exc.message}."
    return text + (f" Текст рядом: «{around}»." if around else "")


def security_message(exc: Exception) -> str:
    found = re.search(r"attribute '([^']+)'", str(exc))
    name = f" «{found.group(1)}»" if found else ""
    return (f"Шаблон пытается обратиться к служебному атрибуту{name}. Это запрещено: "
            f"шаблон может использовать только данные документа.")


def render_message(exc: TemplateError, context: dict[str, Any], part: Part | None) -> str:
    if isinstance(exc, SecurityError):
        return security_message(exc)
    if isinstance(exc, MissingVariable):
        return MISSING.format(variable_path(exc.obj, exc.name, context))
    if isinstance(exc, UndefinedError):
        found = re.search(r"'([^']+)' is undefined|has no attribute '([^']+)'", exc.message or "")
        name = next((g for g in found.groups() if g), None) if found else None
        return MISSING.format(name or exc.message)
    if isinstance(exc, TemplateSyntaxError) and part is not None:
        return syntax_message(exc, part.source, part.where)
    where = part.where if part else ""
    return f"Ошибка при заполнении шаблона {where}: {exc.message}.".replace("  ", " ")


def variable_path(obj: Any, name: str | None, context: dict[str, Any]) -> str:
    """``data.foo`` for «the dict under data has no foo»; ``foo`` for an unknown top name."""
    if obj is missing:
        return str(name)
    found = _find(obj, context, "", depth=4)
    return f"{found}.{name}" if found else str(name)


def _find(target: Any, value: Any, path: str, depth: int) -> str | None:
    if depth < 0:
        return None
    if isinstance(value, dict):
        for key, item in value.items():
            sub = f"{path}.{key}" if path else str(key)
            if item is target:
                return sub
            if isinstance(item, (dict, list, tuple)) and (found := _find(target, item, sub,
                                                                          depth - 1)):
                return found
    elif isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            sub = f"{path}[{i}]"
            if item is target:
                return sub
            if isinstance(item, (dict, list, tuple)) and (found := _find(target, item, sub,
                                                                          depth - 1)):
                return found
    return None


# --- documents -----------------------------------------------------------------------------


def document_template(session: Session, organization_id: int, kind: str):
    """(template bytes or built-in path, the active TemplateVersion or None) for a kind."""
    version = active_version(session, organization_id, kind)
    if version is not None:
        return blobs().get(version.sha256), version
    return template_path(kind), None


def render_file(template: bytes | Path, context: dict[str, Any], *, uploaded: bool) -> bytes:
    """Render a built-in template here, an uploaded one in a limited process."""
    if uploaded:
        return sandbox_process.render(bytes(template) if isinstance(template, bytes)
                                      else Path(template).read_bytes(), context)
    return render_docx(template, context)

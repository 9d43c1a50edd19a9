"""The properties of a rendered DOCX (``docProps/core.xml``, ``docProps/app.xml``).

An archive copy says what it is and whose it is: the title is the document's own («О
закреплении наставнических пар/групп…», its heading when it has no title), the author and
the company are the organization, the language Russian, the date the registration date.
LibreOffice copies title and author into the PDF (``/Title``, ``/Author``, XMP). Nothing of
the tool that built the template («python-docx», a date of 2013) is left; no clock time is
written, so two renders of the same context give the same bytes.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from xml.sax.saxutils import escape

CORE = "docProps/core.xml"
APP = "docProps/app.xml"
APPLICATION = "Наставник"


def _requisites(context: dict[str, Any]) -> tuple[str, str, date | None]:
    doc = context.get("doc") if isinstance(context.get("doc"), dict) else {}
    org = context.get("org") if isinstance(context.get("org"), dict) else {}
    title = str(doc.get("title") or doc.get("heading") or "").strip()
    author = str(org.get("full_name") or org.get("short_name") or "").strip()
    when = doc.get("date")
    return title, author, when if isinstance(when, date) else None


def core_xml(context: dict[str, Any]) -> bytes:
    """``docProps/core.xml`` of the document rendered from ``context``."""
    title, author, when = _requisites(context)
    dated = ""
    if when is not None:
        stamp = f"{when:%Y-%m-%d}T00:00:00Z"
        dated = (f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
                 f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified>')
    return (
        "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
        'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/'
        'dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{escape(title)}</dc:title><dc:creator>{escape(author)}</dc:creator>"
        f"<cp:lastModifiedBy>{escape(author)}</cp:lastModifiedBy>"
        f"<dc:language>ru-RU</dc:language>{dated}</cp:coreProperties>"
    ).encode()


def app_xml(context: dict[str, Any]) -> bytes:
    """``docProps/app.xml``: the application and the organization as the company."""
    _, author, _ = _requisites(context)
    return (
        "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
        'extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/'
        f'2006/docPropsVTypes"><Application>{APPLICATION}</Application>'
        f"<DocSecurity>0</DocSecurity><Company>{escape(author)}</Company></Properties>"
    ).encode()

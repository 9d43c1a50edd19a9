"""File names that come from users and go out in headers: cleaned in, encoded out.

``clean_filename`` is applied to an uploaded file's name before it is stored: the last
path component only (``../../etc/passwd`` → ``passwd``, ``..\\..\\win.ini`` → ``win.ini``),
no control characters (CR/LF cannot reach a header), at most ``MAX_LENGTH`` characters.

``send_download`` is the one way the service sends a file to save: its
``Content-Disposition`` follows RFC 6266, the UTF-8 name in ``filename*`` (RFC 8187) and
a readable ASCII ``filename`` fallback (Cyrillic transliterated, «№» as «No») for old
clients, whatever the stored name holds.
"""

from __future__ import annotations

import io
import re
import unicodedata
from pathlib import Path
from urllib.parse import quote

from flask import Response, send_file

MAX_LENGTH = 200
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff\u2028\u2029]")
_TRANSLIT = dict(zip(
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
    ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "i", "k", "l", "m", "n", "o", "p",
     "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "ie", "y", "", "e", "iu", "ia"],
    strict=True))
_PUNCT = {"№": "No", "«": '', "»": '', "—": "-", "–": "-", "\u00a0": " "}
_ASCII_UNSAFE = re.compile(r'[^A-Za-z0-9 !#$&+\-.^_`|~(),;=@\[\]{}\']')


def clean_filename(name: str | None, default: str = "файл") -> str:
    """The user's file name made safe to store and to send (see the module docstring)."""
    text = _CONTROL.sub("", name or "")
    text = re.split(r"[/\\]", text)[-1].strip().strip(".").strip()
    if len(text) > MAX_LENGTH:
        stem, suffix = _split_suffix(text)
        text = stem[: MAX_LENGTH - len(suffix)] + suffix
    return text or default


def ascii_fallback(name: str) -> str:
    """A readable ASCII spelling of ``name`` for the plain ``filename`` parameter."""
    out = []
    for ch in name:
        low = ch.lower()
        if low in _TRANSLIT:
            latin = _TRANSLIT[low]
            out.append(latin.capitalize() if ch != low else latin)
        elif ch in _PUNCT:
            out.append(_PUNCT[ch])
        else:
            out.append(unicodedata.normalize("NFKD", ch).encode("ascii", "ignore").decode())
    text = _ASCII_UNSAFE.sub("_", "".join(out))
    text = re.sub(r"\s+", " ", text).strip() or "file"
    return text


def content_disposition(name: str, *, attachment: bool = True) -> str:
    """The ``Content-Disposition`` header value for a file named ``name`` (RFC 6266)."""
    name = clean_filename(name)
    kind = "attachment" if attachment else "inline"
    fallback = ascii_fallback(name).replace("\\", "_").replace('"', "'")
    if fallback == name:
        return f'{kind}; filename="{fallback}"'
    return f"{kind}; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def send_download(data: bytes | str | Path, name: str, mimetype: str, *,
                  attachment: bool = True) -> Response:
    """A response sending ``data`` (bytes or a path) to be saved as ``name``."""
    source = io.BytesIO(data) if isinstance(data, bytes) else data
    response = send_file(source, mimetype=mimetype, as_attachment=False)
    response.headers["Content-Disposition"] = content_disposition(name, attachment=attachment)
    return response


def _split_suffix(text: str) -> tuple[str, str]:
    stem, dot, suffix = text.rpartition(".")
    if dot and stem and len(suffix) <= 10:
        return stem, "." + suffix
    return text, ""

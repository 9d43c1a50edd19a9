"""Scans of paper originals: a hand-signed document, photographed or scanned, uploaded.

A scan is what a party's hand signature rests on, so it is checked by its content, never by
its name: a PDF (it must start as one, end with ``%%EOF`` and open in pypdf with at least
one page), a JPEG (start of image, a frame header with the size, the image data and its
end marker) or a PNG (signature, header, every chunk's CRC, the image data and the end
chunk). A file named ``.pdf`` that is a PNG is taken as the PNG it is; an HTML page or a
ZIP renamed ``.pdf``, an empty file, a truncated one, an image too small to read a
signature on or a file over ``SCAN_MAX_MB`` is refused with a Russian ``ValidationError``
(422) that says why.

An accepted scan is stored in the blob store under its SHA-256 and listed as a
``StoredFile`` of the document (``store``, through ``signatures.evidence``). It is kept
exactly as uploaded: a scan is evidence, and its hash is the one the signature record holds.
"""

from __future__ import annotations

import hashlib
import io
import logging
import struct
import zlib
from dataclasses import dataclass
from pathlib import PurePath

from pypdf import PdfReader
from pypdf.errors import PdfReadError
from sqlalchemy.orm import Session

from signatures.evidence import file_evidence
from storage.errors import ValidationError
from storage.models import Document, StoredFile

SCAN_MAX_MB = 15  # below the request limit (MAX_UPLOAD_BYTES, 20 MB) so this message shows
SCAN_MAX_BYTES = SCAN_MAX_MB * 1024 * 1024
MIN_SIDE_PX = 500  # an A4 page at 60 dpi; smaller, a signature cannot be made out
MAX_SIDE_PX = 30_000
ACCEPTED = "PDF, JPEG или PNG"

PDF_MAGIC = b"%PDF-"
JPEG_MAGIC = b"\xff\xd8\xff"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
# JPEG frame headers (SOF0–SOF15 except DHT, JPG and DAC) carry the image's size
SOF_MARKERS = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}
STANDALONE = frozenset({0x01, *range(0xD0, 0xD8)})  # markers without a length
SOS, EOI = 0xDA, b"\xff\xd9"


@dataclass(frozen=True)
class Scan:
    """What an accepted scan is: its real type, size and hash, and its pages or pixels."""

    kind: str  # "pdf" | "jpeg" | "png"
    size: int
    sha256: str
    pages: int | None = None
    width: int | None = None
    height: int | None = None

    @property
    def ext(self) -> str:
        return {"jpeg": "jpg"}.get(self.kind, self.kind)

    @property
    def media_type(self) -> str:
        return {"pdf": "application/pdf", "jpeg": "image/jpeg", "png": "image/png"}[self.kind]

    def describe(self) -> str:
        """In Russian, e.g. «PDF, 2 стр., 1,4 МБ» or «PNG 1240×1754 пикс., 310 КБ»."""
        shape = f", {self.pages} стр." if self.pages else f" {self.width}×{self.height} пикс."
        return f"{self.kind.upper()}{shape}, {_size(self.size)}"


def _size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} МБ".replace(".", ",")
    return f"{max(1, round(size / 1024))} КБ"


def _refuse(name: str, why: str) -> ValidationError:
    return ValidationError(f"Скан «{name}» не принят: {why}", {"file": [why]})


def check(data: bytes, filename: str = "скан", *, max_bytes: int = SCAN_MAX_BYTES) -> Scan:
    """The scan ``data`` (uploaded as ``filename``) if it is a readable PDF, JPEG or PNG
    within ``max_bytes``; otherwise ValidationError naming what is wrong."""
    name = PurePath(filename).name or "скан"
    if not data:
        raise _refuse(name, "файл пуст (0 байт).")
    if len(data) > max_bytes:
        raise _refuse(name, f"файл больше {max_bytes // (1024 * 1024)} МБ "
                            f"({_size(len(data))}). Отсканируйте с меньшим разрешением "
                            "(150–300 dpi) или сохраните в JPEG.")
    digest = hashlib.sha256(data).hexdigest()
    if data.startswith(PDF_MAGIC):
        return Scan("pdf", len(data), digest, pages=_pdf_pages(data, name))
    if data.startswith(JPEG_MAGIC):
        width, height = _jpeg_size(data, name)
    elif data.startswith(PNG_MAGIC):
        width, height = _png_size(data, name)
    else:
        raise _refuse(name, f"это не {ACCEPTED}{_what_it_is(data)}. Загрузите скан "
                            "подписанного документа в одном из этих форматов.")
    _check_pixels(width, height, name)
    kind = "jpeg" if data.startswith(JPEG_MAGIC) else "png"
    return Scan(kind, len(data), digest, width=width, height=height)


def _what_it_is(data: bytes) -> str:
    """A guess at what was uploaded instead, for the message («: это архив ZIP»)."""
    head = data[:512].lstrip().lower()
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        return ": это архив ZIP (или документ Word/Excel)"
    if head.startswith((b"<!doctype html", b"<html", b"<?xml", b"<")):
        return ": это веб-страница или XML"
    if data.startswith(b"GIF8"):
        return ": это изображение GIF"
    if data[:4] in (b"II*\x00", b"MM\x00*"):
        return ": это изображение TIFF — сохраните его как PDF или PNG"
    return ""


def _pdf_pages(data: bytes, name: str) -> int:
    if b"%%EOF" not in data[-2048:]:
        raise _refuse(name, "PDF-файл обрезан (нет конца файла): загрузите его заново.")
    pypdf_log = logging.getLogger("pypdf")
    level = pypdf_log.level
    pypdf_log.setLevel(logging.ERROR)  # pypdf warns of repairs; the refusal below says why
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise _refuse(name, "PDF защищён паролем: сохраните скан без пароля.")
        pages = len(reader.pages)
    except ValidationError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError,
            RecursionError, struct.error, zlib.error) as exc:
        raise _refuse(name, "PDF-файл повреждён и не открывается.") from exc
    finally:
        pypdf_log.setLevel(level)
    if pages < 1:
        raise _refuse(name, "в PDF-файле нет ни одной страницы.")
    return pages


def _jpeg_size(data: bytes, name: str) -> tuple[int, int]:
    """Walk the JPEG's markers to the first scan: the frame header gives the size; the end
    marker must follow the image data (inside it 0xFF is always stuffed, so an FFD9 there
    is the real end)."""
    truncated = _refuse(name, "файл JPEG обрезан или повреждён: загрузите его заново.")
    pos, size = 2, None
    while True:
        while pos < len(data) and data[pos] == 0xFF and pos + 1 < len(data) \
                and data[pos + 1] == 0xFF:
            pos += 1  # fill bytes before a marker
        if pos + 4 > len(data) or data[pos] != 0xFF:
            raise truncated
        marker = data[pos + 1]
        if marker in STANDALONE:
            pos += 2
            continue
        (length,) = struct.unpack(">H", data[pos + 2:pos + 4])
        if length < 2 or pos + 2 + length > len(data):
            raise truncated
        if marker in SOF_MARKERS:
            if length < 7:
                raise truncated
            height, width = struct.unpack(">HH", data[pos + 5:pos + 9])
            size = (width, height)
        if marker == SOS:
            break
        pos += 2 + length
    if size is None or data.rfind(EOI) <= pos:
        raise truncated
    return size


def _png_size(data: bytes, name: str) -> tuple[int, int]:
    """Read every chunk with its CRC; the header gives the size, the image data and the end
    chunk must be there."""
    broken = _refuse(name, "файл PNG обрезан или повреждён: загрузите его заново.")
    pos, size, seen = len(PNG_MAGIC), None, set()
    while True:
        if pos + 12 > len(data):
            raise broken
        length, ctype = struct.unpack(">I4s", data[pos:pos + 8])
        end = pos + 12 + length
        if end > len(data):
            raise broken
        body = data[pos + 8:pos + 8 + length]
        (crc,) = struct.unpack(">I", data[end - 4:end])
        if zlib.crc32(ctype + body) != crc:
            raise broken
        if not seen and (ctype != b"IHDR" or length != 13):
            raise broken
        if ctype == b"IHDR":
            size = struct.unpack(">II", body[:8])
        seen.add(ctype)
        pos = end
        if ctype == b"IEND":
            break
    if b"IDAT" not in seen or size is None:
        raise broken
    return size


def _check_pixels(width: int, height: int, name: str) -> None:
    if min(width, height) < MIN_SIDE_PX:
        raise _refuse(name, f"изображение {width}×{height} пикс. слишком мало, чтобы "
                            f"прочесть подпись (нужно не меньше {MIN_SIDE_PX} пикс. по "
                            "меньшей стороне): отсканируйте с разрешением 150–300 dpi.")
    if max(width, height) > MAX_SIDE_PX:
        raise _refuse(name, f"изображение {width}×{height} пикс. слишком велико (больше "
                            f"{MAX_SIDE_PX} пикс. по стороне).")


def store(session: Session, doc: Document, scan: Scan, data: bytes, *, role: str,
          filename: str) -> StoredFile:
    """Keep the checked ``data`` as ``doc``'s file ``role`` (``scan:<party>`` or
    ``scan:copy``), named ``filename`` with the extension of its real type."""
    if scan.sha256 != hashlib.sha256(data).hexdigest():
        raise ValueError("the scan checked is not the data stored")
    stem = PurePath(filename).stem or "скан"
    return file_evidence(session, doc, data, role=role, filename=f"{stem}.{scan.ext}",
                         media_type=scan.media_type)

"""Files that stand for scans of hand-signed originals, made here (no image library): a PDF
of blank A4 pages, a PNG and a JPEG of a given size."""

from __future__ import annotations

import io
import struct
import zlib

from pypdf import PdfWriter


def pdf(pages: int = 1) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(595, 842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _chunk(ctype: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + ctype + body + \
        struct.pack(">I", zlib.crc32(ctype + body))


def png(width: int = 1240, height: int = 1754) -> bytes:
    """A real, decodable white greyscale PNG."""
    rows = (b"\x00" + b"\xff" * width) * height
    return (b"\x89PNG\r\n\x1a\n"
            + _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + _chunk(b"IDAT", zlib.compress(rows, 9)) + _chunk(b"IEND", b""))


def _segment(marker: int, body: bytes) -> bytes:
    return bytes([0xFF, marker]) + struct.pack(">H", len(body) + 2) + body


def jpeg(width: int = 1240, height: int = 1754) -> bytes:
    """A baseline JPEG's markers (JFIF, quantization and Huffman tables, frame, scan) around
    image data with no 0xFF in it, then the end marker; an EXIF-like thumbnail's end marker
    before the scan, which must not count as the end of the image."""
    return (b"\xff\xd8"
            + _segment(0xE0, b"JFIF\x00\x01\x01\x00\x00\x48\x00\x48\x00\x00")
            + _segment(0xE1, b"Exif\x00\x00thumbnail\xff\xd8\xff\xd9")
            + _segment(0xDB, b"\x00" + bytes(range(1, 65)))
            + _segment(0xC0, struct.pack(">BHHB", 8, height, width, 1) + b"\x01\x11\x00")
            + _segment(0xC4, b"\x00" + b"\x00\x01" + b"\x00" * 14 + b"\x00")
            + _segment(0xDA, b"\x01\x01\x00\x00\x3f\x00")
            + bytes(range(0, 255)) * 8 + b"\xff\x00\x12\x34"
            + b"\xff\xd9")

"""The demo's scans of hand-signed papers: what a clerk would upload after the signatory
signed the printout, made without a scanner.

When the document is at hand as a PDF (the signing copy with PDF enabled, or the лист
ознакомления converted) and poppler's ``pdftoppm`` is installed, each page is rendered as a
100 dpi grey image, the signatory's pen stroke is drawn over her signature line (the
underscores before her name) or, on a list, on her row, and the pages are put together as
a scanned PDF (one image per page), with a scanner's grey paper and the shadow of its lid.
Without them the page is drawn: grey bars for the lines of text, the signature line and
the stroke. Either passes ``signatures.scans.check`` as an upload does; a blank page
would not show a signature, so the demo never files one.
"""

from __future__ import annotations

import hashlib
import html
import math
import re
import shutil
import subprocess
import tempfile
import zlib
from dataclasses import dataclass
from pathlib import Path

DPI = 100
A4_PT = (595.3, 841.9)
PAPER, SHADOW, INK = 242, 150, 40  # grey levels: the scanned paper, the lid's edge, the pen
WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">'
                  r"([^<]*)</word>")
PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">')


@dataclass
class Raster:
    """One grey page, a byte per pixel, top row first."""

    width: int
    height: int
    pixels: bytearray

    @classmethod
    def blank(cls, width: int, height: int, level: int = 255) -> Raster:
        return cls(width, height, bytearray([level]) * (width * height))

    def fill(self, x0: int, y0: int, x1: int, y1: int, level: int) -> None:
        x0, x1 = max(0, x0), min(self.width, x1)
        for y in range(max(0, y0), min(self.height, y1)):
            row = y * self.width
            self.pixels[row + x0:row + x1] = bytes([level]) * max(0, x1 - x0)

    def dot(self, x: float, y: float, radius: float = 1.2) -> None:
        r = math.ceil(radius)
        for dy in range(-r, r + 1):
            for dx in range(-r, r + 1):
                px, py = int(x) + dx, int(y) + dy
                if dx * dx + dy * dy <= radius * radius and 0 <= px < self.width \
                        and 0 <= py < self.height:
                    self.pixels[py * self.width + px] = INK


def scan(document_pdf: bytes | None, signers: list[str], *, seed: str) -> bytes:
    """A scanned PDF of ``document_pdf`` with a pen stroke at each of ``signers``' places
    (surnames), or a drawn page when the PDF or ``pdftoppm`` is missing."""
    pages = _rendered(document_pdf, signers, seed) if document_pdf else None
    if not pages:
        pages = [_drawn_page(signers, seed)]
    for page in pages:
        _as_scanned(page)
    return image_pdf(pages)


def _rendered(document_pdf: bytes, signers: list[str], seed: str) -> list[Raster] | None:
    tool = shutil.which("pdftoppm")
    if tool is None or shutil.which("pdftotext") is None:
        return None
    with tempfile.TemporaryDirectory(prefix="nastavnik-scan-") as folder:
        source = Path(folder) / "document.pdf"
        source.write_bytes(document_pdf)
        try:
            subprocess.run([tool, "-r", str(DPI), "-gray", str(source), f"{folder}/page"],
                           check=True, capture_output=True, timeout=60)
            boxes = subprocess.run(["pdftotext", "-bbox", str(source), "-"], check=True,
                                   capture_output=True, timeout=60).stdout.decode()
        except (subprocess.SubprocessError, OSError):
            return None
        pages = [_read_pgm(p.read_bytes()) for p in sorted(Path(folder).glob("page-*.pgm"))]
    if not pages:
        return None
    places = _places(boxes, signers)
    if not places:  # no line of hers found: she signs at the foot of the last page
        places = [(len(pages) - 1, 0.55, 0.86, 0.25, 0.035)]
    for n, (page, x, y, w, h) in enumerate(places):
        raster = pages[page]
        _stroke(raster, x * raster.width, y * raster.height, w * raster.width,
                h * raster.height, f"{seed}:{n}")
    return pages


def _places(boxes: str, signers: list[str]) -> list[tuple[int, float, float, float, float]]:
    """Where each signer signs, as (page, x, y, width, height) in fractions of the page: the
    underscores just before her surname on a line; for a signer with no such line, the
    right part of each line naming her (a list such as the лист ознакомления)."""
    lined, listed = [], {}
    for page_no, chunk in enumerate(boxes.split("<page ")[1:]):
        size = PAGE.match("<page " + chunk)
        if size is None:
            continue
        pw, ph = float(size[1]), float(size[2])
        words = [(float(a), float(b), float(c), float(d), html.unescape(t))
                 for a, b, c, d, t in WORD.findall(chunk)]
        for i, (_x0, y0, _x1, y1, text) in enumerate(words):
            surname = text.strip(".,;:()")
            if surname not in signers:
                continue
            before = [w for w in words[max(0, i - 3):i]
                      if abs(w[1] - y0) < 3 and set(w[4]) == {"_"}]
            if before:
                u = before[-1]
                lined.append((surname, (page_no, u[0] / pw, (u[1] - 4) / ph,
                                        (u[2] - u[0]) / pw, (u[3] - u[1] + 4) / ph)))
            else:
                listed.setdefault(surname, []).append(
                    (page_no, 0.68, y0 / ph, 0.2, (y1 - y0) / ph))
    signed = {name for name, _ in lined}
    return [place for _, place in lined] + [
        place for name, places in listed.items() if name not in signed for place in places]


def _read_pgm(data: bytes) -> Raster:
    """A binary PGM (P5, 8 bits) as pdftoppm writes it."""
    fields, pos = [], 0
    while len(fields) < 4:
        while data[pos:pos + 1].isspace():
            pos += 1
        if data[pos:pos + 1] == b"#":
            pos = data.index(b"\n", pos)
            continue
        end = pos
        while not data[end:end + 1].isspace():
            end += 1
        fields.append(data[pos:end])
        pos = end
    if fields[0] != b"P5" or fields[3] != b"255":
        raise ValueError("not an 8-bit binary PGM")
    width, height = int(fields[1]), int(fields[2])
    pixels = bytearray(data[pos + 1:pos + 1 + width * height])
    return Raster(width, height, pixels)


def _drawn_page(signers: list[str], seed: str) -> Raster:
    """An A4 page drawn without the document: a heading, lines of text as grey bars, and a
    signature line with the stroke for each signer."""
    width, height = round(A4_PT[0] / 72 * DPI), round(A4_PT[1] / 72 * DPI)
    page = Raster.blank(width, height)
    margin, line = round(width * 0.12), round(DPI * 0.25)
    digest = hashlib.sha256(seed.encode()).digest()
    page.fill(width // 3, margin, width * 2 // 3, margin + 12, 90)  # the heading
    y = margin + 3 * line
    for n in range(24):
        if n % 8 == 7:  # a paragraph's short last line
            page.fill(margin, y, margin + width // 3, y + 8, 120)
            y += 2 * line
            continue
        end = width - margin - digest[n % len(digest)] % 40
        page.fill(margin + (30 if n % 8 == 0 else 0), y, end, y + 8, 120)
        y += line
    for n, _name in enumerate(signers or ["—"]):
        y += 2 * line
        page.fill(width // 2, y, width - margin, y + 2, 60)  # the signature line
        _stroke(page, width // 2 + 10, y - 40, width // 3, 44, f"{seed}:{n}")
    return page


def _stroke(page: Raster, x: float, y: float, width: float, height: float, seed: str) -> None:
    """A hand signature: a looped capital and a running tail across the box, its shape
    taken from ``seed`` (each signer's own)."""
    d = hashlib.sha256(seed.encode()).digest()
    loops, wave, tilt = 2 + d[0] % 3, 2.5 + d[1] % 4, (d[2] % 20 - 10) / 100
    mid, amp = y + height * 0.55, height * 0.45
    steps = max(200, int(width * 3))
    last = None
    for i in range(steps + 1):
        t = i / steps
        px = x + width * (0.08 + 0.9 * t)
        py = mid - amp * math.sin(2 * math.pi * wave * t) * (1 - 0.6 * t) - tilt * width * t
        if t < 0.25:  # the capital: loops over the start
            angle = 2 * math.pi * loops * t / 0.25
            px += math.cos(angle) * height * 0.25 - height * 0.1
            py += math.sin(angle) * height * 0.35
        if last is not None:
            for k in range(1, 4):  # close the gaps between points
                page.dot(last[0] + (px - last[0]) * k / 3, last[1] + (py - last[1]) * k / 3)
        last = (px, py)


def _as_scanned(page: Raster) -> None:
    """The look of a flatbed scan: the paper not quite white, the lid's shadow on the left."""
    page.pixels[:] = page.pixels.translate(bytes(
        round(v * PAPER / 255) if v > INK else v for v in range(256)))
    edge = max(4, page.width // 120)
    page.fill(0, 0, edge, page.height, SHADOW)


def image_pdf(pages: list[Raster]) -> bytes:
    """A PDF with one grey image per A4 page (FlateDecode), as a scanner saves it."""
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    catalog = add(b"")  # filled in below
    tree = add(b"")
    kids = []
    for page in pages:
        data = zlib.compress(bytes(page.pixels), 6)
        image = add(b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace "
                    b"/DeviceGray /BitsPerComponent 8 /Filter /FlateDecode /Length %d >>\n"
                    b"stream\n%s\nendstream" % (page.width, page.height, len(data), data))
        w, h = page.width * 72 / DPI, page.height * 72 / DPI
        draw = b"q %.2f 0 0 %.2f 0 0 cm /Scan Do Q" % (w, h)
        content = add(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(draw), draw))
        kids.append(add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %.2f %.2f] /Resources "
                        b"<< /XObject << /Scan %d 0 R >> >> /Contents %d 0 R >>"
                        % (tree, w, h, image, content)))
    objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % tree
    objects[tree - 1] = b"<< /Type /Pages /Count %d /Kids [%s] >>" % (
        len(kids), b" ".join(b"%d 0 R" % k for k in kids))
    out, offsets = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"), []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (n, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, catalog, xref)
    return bytes(out)

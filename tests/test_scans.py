"""Scans of paper originals (issue 9 point 4): checked by their content, not their name,
size-limited, stored by SHA-256 as files of the document."""

from __future__ import annotations

import hashlib
import zipfile
from io import BytesIO

import pytest
from sqlalchemy import select

from signatures import scans
from storage.blobs import blobs
from storage.db import db_session
from storage.errors import RuleViolation, ValidationError
from storage.models import StoredFile
from tests.helpers import documents as f
from tests.helpers import scans as make
from tests.helpers.kinds import pd_data


def refusal(data: bytes, name: str = "скан.pdf", **limits) -> str:
    with pytest.raises(ValidationError) as caught:
        scans.check(data, name, **limits)
    assert caught.value.status == 422
    message = caught.value.message
    assert message.startswith(f"Скан «{name}» не принят: ")
    assert caught.value.fields["file"]
    return message


def test_a_pdf_a_png_and_a_jpeg_are_accepted_with_their_pages_or_size():
    pdf = make.pdf(pages=2)
    scan = scans.check(pdf, "скан.pdf")
    assert (scan.kind, scan.pages, scan.ext, scan.media_type) == ("pdf", 2, "pdf",
                                                                  "application/pdf")
    assert scan.sha256 == hashlib.sha256(pdf).hexdigest() and scan.size == len(pdf)
    assert scan.describe().startswith("PDF, 2 стр., ")
    png = scans.check(make.png(1240, 1754), "скан.png")
    assert (png.kind, png.width, png.height, png.media_type) == ("png", 1240, 1754,
                                                                 "image/png")
    assert png.describe().startswith("PNG 1240×1754 пикс., ")
    jpeg = scans.check(make.jpeg(2480, 3508), "фото.jpeg")
    assert (jpeg.kind, jpeg.width, jpeg.height, jpeg.ext) == ("jpeg", 2480, 3508, "jpg")


def test_the_type_is_the_content_s_not_the_name_s():
    assert scans.check(make.png(), "подписано.pdf").kind == "png"
    assert scans.check(make.jpeg(), "подписано.png").kind == "jpeg"
    assert scans.check(make.pdf(), "без расширения").kind == "pdf"


def zipped() -> bytes:
    out = BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


@pytest.mark.parametrize(("data", "says"), [
    (b"<!DOCTYPE html><html><body>scan</body></html>", "это веб-страница или XML"),
    (zipped(), "это архив ZIP (или документ Word/Excel)"),
    (b"GIF89a" + b"\x00" * 40, "это изображение GIF"),
    (b"II*\x00" + b"\x00" * 40, "это изображение TIFF"),
    (b"just some words", "это не PDF, JPEG или PNG. Загрузите скан"),
])
def test_other_files_renamed_pdf_are_refused_saying_what_they_are(data, says):
    assert says in refusal(data)


def test_an_empty_file_is_refused():
    assert "файл пуст (0 байт)" in refusal(b"")


def test_truncated_or_damaged_files_are_refused():
    pdf, png, jpeg = make.pdf(), make.png(), make.jpeg()
    assert "PDF-файл обрезан" in refusal(pdf[: len(pdf) // 2])
    assert "PDF-файл повреждён" in refusal(b"%PDF-1.7\nnot a pdf at all\n%%EOF\n")
    assert "файл PNG обрезан или повреждён" in refusal(png[:-20], "скан.png")
    broken_crc = png[:40] + bytes([png[40] ^ 0xFF]) + png[41:]
    assert "файл PNG обрезан или повреждён" in refusal(broken_crc, "скан.png")
    assert "файл JPEG обрезан или повреждён" in refusal(jpeg[:-2], "скан.jpg")
    assert "файл JPEG обрезан или повреждён" in refusal(jpeg[:200], "скан.jpg")


def test_a_pdf_without_pages_is_refused():
    assert "нет ни одной страницы" in refusal(make.pdf(pages=0))


def test_an_image_too_small_to_read_a_signature_on_is_refused():
    message = refusal(make.png(300, 400), "скан.png")
    assert "изображение 300×400 пикс. слишком мало" in message
    assert f"не меньше {scans.MIN_SIDE_PX} пикс." in message
    assert "слишком мало" in refusal(make.jpeg(120, 90), "скан.jpg")


def test_an_oversize_scan_is_refused_with_the_limit_in_megabytes():
    limit = 1024 * 1024
    big = make.pdf() + b"%" + b"0" * limit + b"\n%%EOF\n"
    message = refusal(big, max_bytes=limit)
    assert "файл больше 1 МБ" in message and "Отсканируйте с меньшим разрешением" in message
    assert scans.SCAN_MAX_BYTES == scans.SCAN_MAX_MB * 1024 * 1024


def test_a_scan_is_stored_by_its_hash_as_a_file_of_the_document(app):
    with app.app_context():
        doc = f.draft("pd_consent", pd_data(f.person("Иванова").id))
        data = make.png()
        scan = scans.check(data, "согласие.pdf")
        stored = scans.store(db_session(), doc, scan, data, role="scan:author",
                             filename="согласие.pdf")
        db_session().commit()
        assert (stored.sha256, stored.size, stored.media_type) == (scan.sha256, len(data),
                                                                   "image/png")
        assert stored.filename == "согласие.png"  # named by its real type
        assert blobs().get(stored.sha256) == data
        row = db_session().scalars(select(StoredFile).where(
            StoredFile.document_id == doc.id, StoredFile.role == "scan:author")).one()
        assert row.organization_id == doc.organization_id
        with pytest.raises(RuleViolation, match="уже загружен"):
            scans.store(db_session(), doc, scans.check(make.pdf(), "другой.pdf"),
                        make.pdf(), role="scan:author", filename="другой.pdf")

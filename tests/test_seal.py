"""The organization's seal (PAdES) on archived PDFs: sealed files verify as valid, a byte
changed after sealing as altered, another CA's seal as an unknown signer, a bare PDF as
unsealed; the head's PKCS#12 upload refuses what cannot seal with a Russian 400; one
organization never sees or replaces another's certificate; ``flask archive verify`` and the
document page name each PDF's status; and (LibreOffice) signing a document files a sealed
PDF/A that verifies.

Most tests seal a one-page PDF made by pypdf, which takes milliseconds; only the last needs
LibreOffice (the ``pdf`` marker)."""

from __future__ import annotations

import io
import shutil
import subprocess
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from fontTools.ttLib import TTFont
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.metadata.model import VENDOR
from pypdf import PdfReader, PdfWriter
from pypdf import generic as generic_pypdf
from sqlalchemy import select

from doc_templates import pdf as pdf_module
from signatures import seal, seal_certificates
from signatures.seal import SealStatus
from signatures.seal_certificates import Credentials
from storage.blobs import blobs
from storage.db import db_session
from storage.errors import ConversionFailed, NastavnikError
from storage.models import AuditEntry, SealCertificate, Signature, StoredFile
from tests.helpers.documents import draft, organization, person, signed
from tests.helpers.http import login_as, post
from tests.helpers.kinds import pd_data
from workflows import jobs, sealing
from workflows.filing import file_document

SCHOOL, LYCEUM = "МОУ СШ № 5", "МОУ Лицей № 12"


def small_pdf(title: str = "Приказ № 1") -> bytes:
    """A one-page A4 PDF with an Info dictionary, as a converter would leave it."""
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.add_metadata({"/Producer": "LibreOffice 7.4", "/Title": title})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture(scope="module")
def org_credentials() -> Credentials:
    return seal_certificates.development(SCHOOL, "Муниципальное общеобразовательное "
                                                 "учреждение «Средняя школа № 5»")


@pytest.fixture(scope="module")
def sealed(org_credentials) -> tuple[bytes, bytes]:
    """(the PDF, the PDF sealed by the school's development certificate)."""
    original = small_pdf()
    return original, seal.seal_pdf(original, org_credentials, location="г. Волгоград")


def roots_of(credentials: Credentials) -> list:
    return seal.trust_roots_from_pem(credentials.trust_roots_pem())


# --- sealing and checking bytes -------------------------------------------------------------


def test_a_sealed_pdf_is_valid_pades_with_its_stamp_and_the_original_as_prefix(
        sealed, org_credentials):
    original, data = sealed
    found = seal.examine(data, roots_of(org_credentials))
    assert found.status is SealStatus.VALID
    assert seal.check(data, roots_of(org_credentials)) == "valid"
    assert found.signer.startswith(SCHOOL) and "Средняя школа № 5" in found.signer
    assert found.serial == seal_certificates.serial_of(org_credentials.certificate)
    assert abs(found.sealed_at - datetime.now(UTC)) < timedelta(minutes=5)
    assert data.startswith(original)  # an incremental update: the original bytes untouched
    added = data[len(original):]
    assert b"/ETSI.CAdES.detached" in added and b"/FontFile2" in added  # PT Serif embedded
    info = PdfReader(io.BytesIO(data)).metadata
    assert info["/Producer"] == VENDOR  # the XMP's producer, as PDF/A wants
    assert SealStatus.VALID.label == "печать организации действительна, файл не изменён"


def stamp_fonts(data: bytes):
    """The CID fonts of the stamp's appearance in a sealed PDF."""
    def walk(resources):
        resources = resources.get_object()
        for font in resources.get("/Font", {}).values():
            yield from font.get_object()["/DescendantFonts"]
        for xobject in resources.get("/XObject", {}).values():
            if "/Resources" in xobject.get_object():
                yield from walk(xobject.get_object()["/Resources"])

    for annotation in PdfReader(io.BytesIO(data)).pages[-1]["/Annots"]:
        appearance = annotation.get_object()["/AP"]["/N"].get_object()
        yield from (font.get_object() for font in walk(appearance["/Resources"]))


def widths(w_array) -> dict[int, float]:
    """CID → width of a CID font's /W array (``c [w …]`` and ``c1 c2 w`` runs)."""
    out, i = {}, 0
    while i < len(w_array):
        if isinstance(w_array[i + 1], list):
            out.update({w_array[i] + k: w for k, w in enumerate(w_array[i + 1])})
            i += 2
        else:
            out.update(dict.fromkeys(range(w_array[i], w_array[i + 1] + 1), w_array[i + 2]))
            i += 3
    return out


def test_the_stamps_font_is_embedded_with_its_own_glyph_widths(sealed):
    """pyHanko 0.38.0 writes /W in font units: right only for a font of 1000 units per em
    (../shared/notes/signing.md). PDF/A wants /W to match the embedded font program; with
    a font of 2048 units (Liberation, DejaVu) every width here would be twice the font's."""
    fonts = list(stamp_fonts(sealed[1]))
    assert len(fonts) == 1 and "PTSerif" in fonts[0]["/BaseFont"]
    font = TTFont(io.BytesIO(fonts[0]["/FontDescriptor"]["/FontFile2"].get_data()))
    order, units = font.getGlyphOrder(), font["head"].unitsPerEm
    declared = widths(fonts[0]["/W"])
    assert len(declared) > 30  # the stamp's letters, digits and signs
    for cid, width in declared.items():  # CIDToGIDMap /Identity: the CID is the glyph
        assert abs(font["hmtx"][order[cid]][0] * 1000 / units - width) <= 1, (cid, width)


def test_a_stamp_font_of_other_units_or_none_is_refused(monkeypatch, tmp_path):
    other = next(iter(sorted(Path("/usr/share/fonts/truetype").rglob("LiberationSerif-*.ttf"))),
                 None)
    cases = [(tmp_path / "absent.ttf", "установите пакет Debian fonts-paratype")]
    if other is not None and TTFont(other)["head"].unitsPerEm != 1000:
        cases.append((other, "пишет ширины букв верно только при 1000"))
    try:
        for font, message in cases:
            monkeypatch.setattr(seal, "STAMP_FONT", font)
            seal.stamp_font.cache_clear()
            with pytest.raises(RuntimeError, match=message):
                seal.seal_pdf(small_pdf(), seal_certificates.development(SCHOOL))
    finally:
        seal.stamp_font.cache_clear()


@pytest.mark.parametrize("where", ["header", "middle", "the seal's update", "last byte"])
def test_one_byte_changed_after_sealing_is_altered(sealed, org_credentials, where):
    original, data = sealed
    position = {"header": 3, "middle": len(original) // 2,
                "the seal's update": len(original) + 40, "last byte": len(data) - 2}[where]
    changed = bytearray(data)
    changed[position] ^= 0x01
    found = seal.examine(bytes(changed), roots_of(org_credentials))
    assert found.status is SealStatus.ALTERED
    assert found.status.label == "файл изменён после заверения печатью"


def test_an_update_appended_after_sealing_is_altered(sealed, org_credentials):
    _, data = sealed
    writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    info = writer.trailer.raw_get("/Info")
    info.get_object()["/Title"] = generic.TextStringObject("Другой приказ")
    writer.mark_update(info)
    out = io.BytesIO()
    writer.write(out)
    found = seal.examine(out.getvalue(), roots_of(org_credentials))
    assert found.status is SealStatus.ALTERED
    assert found.detail == "после заверения в файл дописаны изменения"


def test_a_seal_of_another_ca_is_an_unknown_signer(sealed):
    _, data = sealed
    stranger = seal_certificates.development(SCHOOL)  # same name, another CA
    found = seal.examine(data, roots_of(stranger))
    assert found.status is SealStatus.UNKNOWN_SIGNER
    assert found.status.label == "заверен неизвестным сертификатом (не печатью организации)"
    assert seal.check(data, []) is SealStatus.UNKNOWN_SIGNER  # nothing trusted, not the OS's


def test_an_unsealed_pdf_is_unsealed_and_garbage_is_altered(org_credentials):
    assert seal.check(small_pdf(), roots_of(org_credentials)) is SealStatus.UNSEALED
    assert SealStatus.UNSEALED.label == "не заверено печатью организации"
    found = seal.examine(b"%PDF-1.7\n garbage", roots_of(org_credentials))
    assert found.status is SealStatus.ALTERED and "не читается как PDF" in found.detail


def test_a_seal_stays_valid_after_its_certificate_expires():
    """A B-B seal has no timestamp: it is checked at the sealing time the PDF states."""
    now = datetime.now(UTC)
    short = seal_certificates.development(SCHOOL, now=now - timedelta(days=365 * 3)
                                          + timedelta(seconds=2))
    data = seal.seal_pdf(small_pdf(), short)
    time.sleep(max(0.0, (short.certificate.not_valid_after_utc - datetime.now(UTC))
                   .total_seconds()) + 0.5)
    assert datetime.now(UTC) > short.certificate.not_valid_after_utc
    assert seal.check(data, roots_of(short)) is SealStatus.VALID


def text_pdf(lines: int) -> bytes:
    """A one-page A4 PDF with ``lines`` lines of text from the top, 14 pt apart, each its
    own ``BT x y Td … ET`` as LibreOffice writes them."""
    writer = PdfWriter()
    page = writer.add_blank_page(595, 842)
    text = b"".join(b"BT 85 %d Td /F1 12 Tf (Line) Tj ET\n" % (800 - 14 * n)
                    for n in range(lines))
    stream = generic_pypdf.StreamObject()
    stream.set_data(text)
    page[generic_pypdf.NameObject("/Contents")] = writer._add_object(stream)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_the_stamp_goes_below_the_last_line_of_text_on_the_last_page():
    (x1, y1, x2, y2), text = seal.stamp_box(small_pdf())  # blank: the lowest place there is
    assert (y1, y2 - y1, x2 - x1) == (seal.BOTTOM, seal.HEIGHT, seal.WIDTH)
    assert x2 == 595 - seal.RIGHT and text == seal.STAMP_TEXT
    lowest = 800 - 14 * 49 - seal.DESCENT  # 50 lines: the last at 114 pt, room for 44+ pt
    (x1, y1, x2, y2), text = seal.stamp_box(text_pdf(50))
    assert y2 == lowest - seal.GAP and y2 - y1 >= seal.MIN_HEIGHT and text == seal.STAMP_TEXT
    (x1, y1, x2, y2), text = seal.stamp_box(text_pdf(54))  # full: across the bottom margin
    assert y2 < 800 - 14 * 53 - seal.DESCENT and x1 == seal.MARGIN_LEFT
    assert text == seal.MARGIN_TEXT and text.count("\n") == 2


# --- certificates: made, uploaded, refused ---------------------------------------------------


def self_signed(*, usage: dict, days: int = 365) -> Credentials:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "МОУ СШ № 5")])
    now = datetime.now(UTC)
    flags = dict(digital_signature=False, content_commitment=False, key_encipherment=False,
                 data_encipherment=False, key_agreement=False, key_cert_sign=False,
                 crl_sign=False, encipher_only=False, decipher_only=False) | usage
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=days))
            .add_extension(x509.KeyUsage(**flags), critical=True).sign(key, hashes.SHA256()))
    return Credentials(key, cert, ())


def test_the_development_certificate_names_the_organization_in_cyrillic(org_credentials):
    cert = org_credentials.certificate
    assert cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == SCHOOL
    assert "Средняя школа № 5" in cert.subject.get_attributes_for_oid(
        NameOID.ORGANIZATION_NAME)[0].value
    usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and usage.content_commitment
    ca = org_credentials.chain[0]
    assert cert.issuer == ca.subject and "только для разработки" in ca.subject.rfc4514_string()
    again = seal_certificates.read_pkcs12(org_credentials.pkcs12(b"pw"), "pw")
    assert again.certificate == cert and again.chain == (ca,)


REFUSALS = {
    "garbage": (b"not a certificate at all", "pw", "не является контейнером PKCS#12"),
    "empty": (b"", "pw", "Файл сертификата пуст"),
    "wrong password": (None, "wrong", "Неверный пароль контейнера PKCS#12"),
}


@pytest.mark.parametrize("case", sorted(REFUSALS))
def test_what_is_no_usable_pkcs12_is_refused_in_russian(org_credentials, case):
    data, password, message = REFUSALS[case]
    with pytest.raises(NastavnikError) as refused:
        seal_certificates.read_pkcs12(data if data is not None
                                      else org_credentials.pkcs12(b"pw"), password)
    assert message in refused.value.message and refused.value.status == 400


def test_a_certificate_that_cannot_seal_is_refused_with_why():
    now = datetime.now(UTC)
    cases = [
        (seal_certificates.development(SCHOOL, now=now - timedelta(days=365 * 4)),
         "Срок действия сертификата истёк"),
        (seal_certificates.development(SCHOOL, now=now + timedelta(days=10)),
         "начинает действовать только"),
        (self_signed(usage={"key_encipherment": True}), "не предназначен для подписи"),
    ]
    for credentials, message in cases:
        with pytest.raises(NastavnikError) as refused:
            seal_certificates.read_pkcs12(credentials.pkcs12(b"pw"), "pw")
        assert message in refused.value.message
    only_signing = self_signed(usage={"digital_signature": True})  # either bit is enough
    assert seal_certificates.read_pkcs12(only_signing.pkcs12(b"pw"), "pw").chain == ()


# --- the page of the head -----------------------------------------------------------------


def upload(client, data: bytes, password: str = "pw", name: str = "печать.p12"):
    return post(client, "/settings/seal/upload",
                {"file": (io.BytesIO(data), name), "password": password},
                content_type="multipart/form-data")


def test_the_head_uploads_a_pkcs12_and_sees_it_active(client, app, org_credentials):
    login_as(client, "director")
    page = client.get("/settings/seal/").get_data(as_text=True)
    assert "Сертификата нет" in page and "flask seal dev-certificate" in page
    response = upload(client, org_credentials.pkcs12(b"pw"))
    assert response.status_code == 302, response.get_data(as_text=True)
    page = client.get("/settings/seal/").get_data(as_text=True)
    serial = seal_certificates.serial_of(org_credentials.certificate)
    assert serial in page and "CN=МОУ СШ № 5" in page
    assert "загружен руководителем (PKCS#12)" in page
    with app.app_context():
        row = db_session().scalars(select(SealCertificate)).one()
        assert row.is_active and row.source == "uploaded" and row.serial == serial
        # re-encrypted, not kept as uploaded: the uploader's password no longer opens it
        with pytest.raises(ValueError):
            pkcs12.load_key_and_certificates(blobs().get(row.pkcs12_sha256), b"pw")
        assert sealing.credentials_of(row).certificate == org_credentials.certificate
        entry = db_session().scalars(select(AuditEntry).where(
            AuditEntry.action == "seal_certificate")).one()
        assert serial in entry.comment
    chain = client.get(f"/settings/seal/{row.id}/chain.pem")
    assert chain.status_code == 200 and b"BEGIN CERTIFICATE" in chain.data


@pytest.mark.parametrize("case", ["garbage", "empty", "no file", "wrong password", "expired",
                                  "no signing use"])
def test_the_upload_refuses_with_400_and_a_russian_message(client, app, org_credentials, case):
    now = datetime.now(UTC)
    data, password, message = {
        "garbage": (b"\x00garbage" * 50, "pw", "не является контейнером PKCS#12"),
        "empty": (b"", "pw", "Файл сертификата пуст"),
        "no file": (None, "pw", "выберите файл PKCS#12 (.p12 или .pfx)."),
        "wrong password": (org_credentials.pkcs12(b"pw"), "другой", "Неверный пароль"),
        "expired": (seal_certificates.development(SCHOOL, now=now - timedelta(days=3000))
                    .pkcs12(b"pw"), "pw", "Срок действия сертификата истёк"),
        "no signing use": (self_signed(usage={"key_encipherment": True}).pkcs12(b"pw"), "pw",
                           "не предназначен для подписи"),
    }[case]
    login_as(client, "director")
    response = upload(client, data, password) if data is not None else \
        post(client, "/settings/seal/upload", {"password": password})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Сертификат не принят:" in page and message in page
    with app.app_context():
        assert db_session().scalars(select(SealCertificate)).all() == []


def test_only_the_head_manages_the_seal(client, org_credentials):
    for login in ("clerk", "ivanova", "inspector"):
        login_as(client, login)
        assert client.get("/settings/seal/").status_code == 403
        assert upload(client, org_credentials.pkcs12(b"pw")).status_code == 403


def test_another_organizations_head_neither_sees_nor_replaces_the_certificate(
        client, app, org_credentials):
    with app.app_context():
        school = sealing.make_development(db_session(), organization(SCHOOL))
        db_session().commit()
        school_id, school_serial = school.id, school.serial
    login_as(client, "director12")
    page = client.get("/settings/seal/").get_data(as_text=True)
    assert school_serial not in page and "Сертификата нет" in page
    assert client.get(f"/settings/seal/{school_id}/chain.pem").status_code == 404
    assert upload(client, org_credentials.pkcs12(b"pw")).status_code == 302
    with app.app_context():
        assert sealing.active(db_session(), organization(SCHOOL).id).serial == school_serial
        lyceum = sealing.active(db_session(), organization(LYCEUM).id)
        assert lyceum.serial == seal_certificates.serial_of(org_credentials.certificate)


# --- filing, the document page and flask archive verify ------------------------------------


def filed_pdf(app, *, certificate: bool) -> tuple[int, str]:
    """A draft of the school with a PDF filed as its signed copy (sealed if the school has
    a ``certificate``): (the document's id, the file's SHA-256)."""
    with app.app_context():
        session = db_session()
        if certificate:
            sealing.make_development(session, organization(SCHOOL))
            session.commit()
        doc = draft("pd_consent", pd_data(person("Иванова").id))
        stored = file_document(session, doc, small_pdf(), role="signed_pdf", ext="pdf")
        session.commit()
        return doc.id, stored.sha256


def test_filing_seals_every_archived_pdf_but_the_signing_copy(app):
    doc_id, sha = filed_pdf(app, certificate=True)
    with app.app_context():
        session = db_session()
        stored = session.scalars(select(StoredFile).where(StoredFile.sha256 == sha)).one()
        assert sealing.examine_file(session, stored).status is SealStatus.VALID
        mark = session.scalars(select(Signature).where(Signature.document_id == doc_id)).one()
        certificate = sealing.active(session, stored.organization_id)
        assert (mark.party, mark.part, mark.method, mark.sha256, mark.file_id) == \
            ("seal:signed_pdf", "seal", "seal", sha, stored.id)
        assert mark.signer_name.startswith(SCHOOL)
        assert mark.certificate["serial"] == certificate.serial
        signing = file_document(session, stored.document, small_pdf("проект"),
                                role="signing_copy", ext="pdf")
        assert seal.check(blobs().get(signing.sha256), []) is SealStatus.UNSEALED
        assert len(session.scalars(select(Signature)).all()) == 1  # none for the copy


def test_an_expired_certificate_seals_nothing_and_the_page_says_so(app, client):
    with app.app_context():
        old = seal_certificates.development(SCHOOL, now=datetime.now(UTC)
                                            - timedelta(days=365 * 4))
        sealing.install(db_session(), organization(SCHOOL).id, old, source="uploaded")
        db_session().commit()
        with pytest.raises(ConversionFailed) as refused:
            sealing.seal_archived(db_session(), organization(SCHOOL).id, small_pdf())
        assert "не заверена печатью организации: Срок действия сертификата истёк" in \
            refused.value.message
    login_as(client, "director")
    page = client.get("/settings/seal/").get_data(as_text=True)
    assert "Срок действия сертификата истёк: PDF-копии для архива не создаются" in page


def test_files_received_are_kept_as_they_came_and_not_listed_as_unsealed(app, runner):
    """A scan of a hand-signed paper or a detached signature is evidence: not sealed (its
    SHA-256 is in the signature record), not reported as unsealed."""
    with app.app_context():
        session = db_session()
        sealing.make_development(session, organization(SCHOOL))
        doc = draft("pd_consent", pd_data(person("Иванова").id))
        scan = file_document(session, doc, small_pdf("скан"), role="scan:employee", ext="pdf")
        session.commit()
        assert seal.check(blobs().get(scan.sha256), []) is SealStatus.UNSEALED
        assert not sealing.is_archived_pdf(scan)
        assert list(sealing.verify(session)) == []
    assert "Печать на архивных PDF: проверено 0;" in runner.invoke(
        args=["archive", "verify"]).output


def test_a_pdf_filed_without_a_certificate_records_no_seal(app):
    doc_id, sha = filed_pdf(app, certificate=False)
    with app.app_context():
        assert db_session().scalars(select(Signature)).all() == []


def flip(app, sha: str) -> None:
    with app.app_context():
        path = blobs().path(sha)
    path.chmod(0o644)
    data = bytearray(path.read_bytes())
    data[len(data) // 3] ^= 0x01
    path.write_bytes(bytes(data))


def test_archive_verify_names_each_pdfs_seal(app, runner):
    doc_id, sha = filed_pdf(app, certificate=True)
    result = runner.invoke(args=["archive", "verify"])
    assert result.exit_code == 0, result.output
    assert (f"ЗАВЕРЕН файл «Согласие (проект, id {doc_id}).pdf» (подписанная копия PDF, "
            f"SHA-256 {sha[:16]}…) — документ «Согласие на обработку персональных данных»"
            in result.output)
    assert "печать организации действительна, файл не изменён (печать: МОУ СШ № 5" in \
        result.output
    assert ("Печать на архивных PDF: проверено 1; действительна: 1, изменены после "
            "заверения: 0, неизвестная печать: 0, не заверены: 0.") in result.output
    flip(app, sha)
    result = runner.invoke(args=["archive", "verify"])
    assert result.exit_code == 1
    assert "ИЗМЕНЁН ПОСЛЕ ЗАВЕРЕНИЯ файл «" in result.output
    assert "файл изменён после заверения печатью" in result.output
    assert "изменены после заверения: 1" in result.output


def test_archive_verify_names_an_unsealed_pdf_and_how_to_seal(app, runner):
    filed_pdf(app, certificate=False)
    result = runner.invoke(args=["archive", "verify"])
    assert result.exit_code == 0, result.output
    assert "НЕ ЗАВЕРЕН файл «" in result.output and ": не заверено печатью организации." \
        in result.output
    assert "не заверены: 1." in result.output and "flask seal dev-certificate" in result.output


def test_archive_verify_fails_for_a_seal_of_an_unknown_signer(app, runner):
    with app.app_context():
        doc = draft("pd_consent", pd_data(person("Иванова").id))
        foreign = seal.seal_pdf(small_pdf(), seal_certificates.development("Чужая школа"))
        file_document(db_session(), doc, foreign, role="signed_pdf", ext="pdf", sealed=True)
        db_session().commit()
    result = runner.invoke(args=["archive", "verify"])
    assert result.exit_code == 1
    assert "НЕИЗВЕСТНАЯ ПЕЧАТЬ файл «" in result.output and "(печать: Чужая школа" in \
        result.output


def test_the_document_page_reports_the_seal(app, client):
    doc_id, sha = filed_pdf(app, certificate=False)
    login_as(client, "director")
    page = client.get(f"/documents/{doc_id}").get_data(as_text=True)
    assert "не заверено печатью организации" in page and "flask seal dev-certificate" in page
    assert 'href="/settings/seal/"' in page
    doc_id, sha = filed_pdf(app, certificate=True)
    page = client.get(f"/documents/{doc_id}").get_data(as_text=True)
    assert "печать организации действительна, файл не изменён" in page
    assert "Печать: МОУ СШ № 5" in page
    flip(app, sha)
    page = client.get(f"/documents/{doc_id}").get_data(as_text=True)
    assert "файл изменён после заверения печатью" in page


def test_flask_seal_dev_certificate_makes_one_per_organization_once(app, runner):
    result = runner.invoke(args=["seal", "dev-certificate"])
    assert result.exit_code == 0, result.output
    assert result.output.count("создан сертификат печати для разработки") == 2
    again = runner.invoke(args=["seal", "dev-certificate"])
    assert again.output.count("сертификат печати уже есть") == 2
    with app.app_context():
        rows = db_session().scalars(select(SealCertificate)).all()
        assert len(rows) == 2 and all(r.is_active and r.source == "development" for r in rows)


# --- end to end, with LibreOffice -------------------------------------------------------------


@pytest.mark.pdf
@pytest.mark.skipif(not pdf_module.available(), reason="LibreOffice (soffice) or a Python "
                    "with uno (python3-uno) is not installed")
def test_signing_a_document_files_a_sealed_pdfa_that_verifies(app, client):
    app.config["PDF_ENABLED"] = True
    with app.app_context():
        sealing.make_development(db_session(), organization(SCHOOL))
        db_session().commit()
        doc = signed("pd_consent", pd_data(person("Иванова").id))
        assert doc.state == "signed"
        doc_id = doc.id
        sha = jobs.convert_signed_to_pdf(doc_id)
        stored = db_session().scalars(select(StoredFile).where(
            StoredFile.document_id == doc_id, StoredFile.role == "signed_pdf")).one()
        assert stored.sha256 == sha
        data = blobs().get(sha)
        assert sealing.examine_file(db_session(), stored).status is SealStatus.VALID
        entry = db_session().scalars(select(AuditEntry).where(
            AuditEntry.document_id == doc_id, AuditEntry.action == "pdf")).one()
        assert entry.comment == "PDF/A-2b, заверена печатью организации"
    reader = PdfReader(io.BytesIO(data))
    xmp = reader.xmp_metadata
    assert xmp.pdfaid_part == "2" and xmp.pdfaid_conformance == "B"  # still PDF/A-2b
    assert reader.metadata["/Producer"] == xmp.pdf_producer == VENDOR
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True,
                              check=True).stdout.decode()
        assert "ЭЛЕКТРОННОЙ ПЕЧАТЬЮ ОРГАНИЗАЦИИ" in text and "Владелец: МОУ СШ № 5" in text
    login_as(client, "director")
    page = client.get(f"/documents/{doc_id}").get_data(as_text=True)
    assert "печать организации действительна, файл не изменён" in page
    listed = client.get(f"/api/documents/{doc_id}").json["signatures"]
    assert [(s["method"], s["part"], s["sha256"]) for s in listed if s["method"] == "seal"] \
        == [("seal", "seal", sha)]
    assert [s["method"] for s in listed if s["method"] != "seal"] == ["simple"]

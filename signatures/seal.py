"""The organization's seal on its archived PDFs (PAdES B-B, pyHanko), and its check.

``seal_pdf`` adds one signature to the PDF as an incremental update (the original bytes stay
the prefix of the sealed file), with a visible stamp in Russian on the last page, below the
last line of text when there is room. ``check`` says whether a PDF is sealed, by whom, and
whether a single byte changed since. The facts this rests on were measured
(../shared/notes/signing.md):

- the stamp's font is PT Serif (Debian ``fonts-paratype``): pyHanko 0.38.0 writes glyph
  widths in font units, right only for fonts of 1000 units per em (``stamp_font`` refuses
  any other), and the default Courier turns Cyrillic into garbage and is not embedded;
- Info ``/Producer`` is set to pyHanko's before signing, as pyHanko writes it into the XMP
  metadata: a PDF/A's Info and XMP must agree;
- ``intact`` (the bytes hash to what was signed) and ``trusted`` (the chain reaches a trust
  root) are checked separately, to tell an altered file from an unknown signer, then
  pyHanko's ``bottom_line``; and the seal must cover the whole file: an incremental
  update after sealing, however harmless pyHanko's diff policy finds it, is a change to the
  archived copy;
- the certificate is validated at the moment of sealing the PDF states (a B-B seal has no
  timestamp): an archive sealed under a certificate that has since expired stays valid.

Nothing here knows HTTP or the workflows: callers give bytes and certificates.
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from functools import cache
from pathlib import Path

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509.oid import NameOID
from fontTools.ttLib import TTFont
from pyhanko.keys import load_certs_from_pemder_data
from pyhanko.pdf_utils import generic, layout
from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.metadata.model import VENDOR
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.sign import signers
from pyhanko.sign.fields import SigFieldSpec, SigSeedSubFilter
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.settings import KeyUsageConstraints
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko.stamp import TextStampStyle
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore
from pyhanko_certvalidator.util import get_pyca_cryptography_hash
from pypdf import PdfReader

from signatures.seal_certificates import Credentials, serial_of, subject_of

log = logging.getLogger(__name__)
# pyHanko logs each failed check as an error with its traceback; ``examine`` reports it in
# Russian instead, so a scan of the archive does not bury its report in tracebacks.
for _noisy in ("pyhanko.sign.validation", "pyhanko.sign.diff_analysis"):
    logging.getLogger(_noisy).setLevel(logging.CRITICAL)

STAMP_FONT = Path("/usr/share/fonts/truetype/paratype/PTF55F.ttf")  # PT Serif, fonts-paratype
FIELD = "OrgSeal"
REASON = "Архивное хранение: копия заверена электронной печатью организации"
STAMP_TEXT = ("ДОКУМЕНТ ЗАВЕРЕН\nЭЛЕКТРОННОЙ ПЕЧАТЬЮ ОРГАНИЗАЦИИ\nВладелец: %(org)s\n"
              "Сертификат: %(serial)s\nДействителен: с %(nb)s по %(na)s\nЗаверен: %(ts)s")
# the same in three lines, for the bottom margin of a page full of text
MARGIN_TEXT = ("ДОКУМЕНТ ЗАВЕРЕН ЭЛЕКТРОННОЙ ПЕЧАТЬЮ ОРГАНИЗАЦИИ. Владелец: %(org)s\n"
               "Сертификат: %(serial)s, действителен с %(nb)s по %(na)s\nЗаверен: %(ts)s")
# the stamp: 280 × 74 pt at the right, 10 pt below the last text, never in the last 10 mm
WIDTH, HEIGHT, MIN_HEIGHT, GAP, RIGHT, BOTTOM = 280.0, 74.0, 44.0, 10.0, 36.0, 28.0
MARGIN_LEFT = 80.0  # the left margin of ГОСТ Р 7.0.97 (30 mm) less a little
SIGNING_USAGE = KeyUsageConstraints(key_usage={"digital_signature", "non_repudiation"})


class SealStatus(StrEnum):
    """What ``check`` found about a PDF's seal; ``label`` is what the page says."""

    VALID = "valid"  # sealed by a trusted certificate, not a byte changed since
    ALTERED = "altered"  # sealed, but the file changed after sealing (or cannot be read)
    UNKNOWN_SIGNER = "unknown_signer"  # intact, but sealed by a certificate not trusted here
    UNSEALED = "unsealed"  # no signature at all

    @property
    def label(self) -> str:
        return LABELS[self]


LABELS = {
    SealStatus.VALID: "печать организации действительна, файл не изменён",
    SealStatus.ALTERED: "файл изменён после заверения печатью",
    SealStatus.UNKNOWN_SIGNER: "заверен неизвестным сертификатом (не печатью организации)",
    SealStatus.UNSEALED: "не заверено печатью организации",
}


@dataclass(frozen=True)
class SealCheck:
    """The status and what the seal says of itself: who sealed, the certificate's serial,
    when (as the PDF states it), and why, in Russian, when it is not valid."""

    status: SealStatus
    signer: str = ""
    serial: str = ""
    sealed_at: datetime | None = None
    detail: str = ""


@cache
def stamp_font() -> Path:
    """The stamp's font, checked once: present and of 1000 units per em (pyHanko 0.38.0's
    width bug, see the module doc). RuntimeError names the Debian package otherwise."""
    if not STAMP_FONT.exists():
        raise RuntimeError(f"Нет шрифта штампа печати {STAMP_FONT}: установите пакет Debian "
                           f"fonts-paratype (./dev его ставит).")
    units = TTFont(STAMP_FONT, lazy=True)["head"].unitsPerEm
    if units != 1000:
        raise RuntimeError(f"Шрифт штампа {STAMP_FONT} размечен в {units} единицах на кегль "
                           f"(unitsPerEm), а pyHanko 0.38.0 пишет ширины букв верно только "
                           f"при 1000.")
    return STAMP_FONT


def _style(text: str) -> TextStampStyle:
    return TextStampStyle(
        stamp_text=text, timestamp_format="%d.%m.%Y %H:%M %Z", border_width=1,
        background=None,  # the default art is drawn translucent, which PDF/A-2b allows badly
        text_box_style=TextBoxStyle(font=GlyphAccumulatorFactory(str(stamp_font())),
                                    font_size=9),
        inner_content_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MIN, y_align=layout.AxisAlignment.ALIGN_MID,
            margins=layout.Margins.uniform(4)))


def _asn1(certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))


class _LoadedKeySigner(signers.SimpleSigner):
    """pyHanko's SimpleSigner parses the private key anew from DER for every signature
    (~30 ms for RSA-2048, whose parsing checks the key); this one signs RSA PKCS#1 v1.5 and
    ECDSA with the key object it is given, and leaves other mechanisms to pyHanko."""

    def __init__(self, credentials: Credentials):
        key = asn1_keys.PrivateKeyInfo.load(credentials.key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption()))
        chain = [_asn1(c) for c in credentials.chain]
        super().__init__(signing_cert=_asn1(credentials.certificate), signing_key=key,
                         cert_registry=SimpleCertificateStore.from_certs(chain))
        self._key = credentials.key

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm)
        try:
            algorithm = mechanism.signature_algo  # e.g. sha256_rsa → rsassa_pkcs1v15
        except ValueError:
            algorithm = mechanism["algorithm"].native
        hash_algorithm = get_pyca_cryptography_hash(digest_algorithm)
        if algorithm == "rsassa_pkcs1v15" and isinstance(self._key, rsa.RSAPrivateKey):
            return self._key.sign(data, padding.PKCS1v15(), hash_algorithm)
        if algorithm == "ecdsa" and isinstance(self._key, ec.EllipticCurvePrivateKey):
            return self._key.sign(data, ec.ECDSA(hash_algorithm))
        return super().sign_raw(data, digest_algorithm)


def stamp_box(pdf: bytes) -> tuple[tuple[float, float, float, float], str]:
    """Where the stamp goes on the last page (x1, y1, x2, y2 in points from the bottom
    left) and its text: at the right, below the lowest line of text if there is room for
    it (at least ``MIN_HEIGHT``), else across the bottom margin, in three lines."""
    page = PdfReader(io.BytesIO(pdf)).pages[-1]
    box = page.mediabox
    left, bottom, right = float(box.left), float(box.bottom), float(box.right)
    lowest = _lowest_text(page, float(box.top))
    x2 = right - RIGHT
    x1 = max(left + 10, x2 - WIDTH)
    top = min(lowest - GAP, bottom + BOTTOM + HEIGHT)
    if top - (bottom + BOTTOM) >= MIN_HEIGHT:
        return (x1, bottom + BOTTOM, x2, top), STAMP_TEXT
    margin_top = min(lowest - 4, bottom + BOTTOM + 20)  # a full page: the margin it is
    return (left + MARGIN_LEFT, bottom + 4, x2, max(margin_top, bottom + 30)), MARGIN_TEXT


_BLOCK = re.compile(rb"\bBT\b(.*?)\bET\b", re.S)
_PLACED = re.compile(rb"\s*(-?[\d.]+)\s+(-?[\d.]+)\s+Td\b")
_MOVES = re.compile(rb"\b(Td|TD|Tm|T\*)\b|[)>]\s*['\"]")
DESCENT = 4.0  # points below the baseline that letters reach (12-14 pt type)


def _lowest_text(page, top: float) -> float:
    """The lowest point text reaches on ``page``. LibreOffice writes each line as its own
    ``BT x y Td … ET`` in page space (no ``cm``): read those with a regular expression, in
    a millisecond; any other page through pypdf's text extraction (~50 ms a page)."""
    content = page.get_contents()
    data = content.get_data() if content is not None else b""
    blocks = _BLOCK.findall(data)
    if not re.search(rb"\bcm\b", data) and all(
            _PLACED.match(b) and len(_MOVES.findall(b)) == 1 for b in blocks):
        return min((float(_PLACED.match(b)[2]) - DESCENT for b in blocks), default=top)
    lowest = [top]

    def visit(text, cm, tm, _font, size):
        if text.strip():
            lowest[0] = min(lowest[0], tm[4] * cm[1] + tm[5] * cm[3] + cm[5] - (size or 0) / 3)

    page.extract_text(visitor_text=visit)
    return lowest[0]


def seal_pdf(pdf: bytes, certificate: Credentials, *, location: str = "") -> bytes:
    """``pdf`` sealed PAdES B-B with ``certificate`` (the organization's credentials):
    subfilter ETSI.CAdES.detached, SHA-256, a visible stamp on the last page naming the
    organization, the certificate's serial and validity and the time. The bytes of ``pdf``
    are the prefix of the result. Raises pyHanko's errors for a PDF it cannot read."""
    cert = certificate.certificate
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    info = writer.trailer.raw_get("/Info") if "/Info" in writer.trailer else None
    if info is not None:  # PDF/A: Info /Producer must equal the XMP's, which pyHanko writes
        info.get_object()["/Producer"] = generic.TextStringObject(VENDOR)
        writer.mark_update(info)
    meta = signers.PdfSignatureMetadata(field_name=FIELD, subfilter=SigSeedSubFilter.PADES,
                                        md_algorithm="sha256", reason=REASON,
                                        location=location or None)
    box, text = stamp_box(pdf)
    pdf_signer = signers.PdfSigner(meta, _LoadedKeySigner(certificate), stamp_style=_style(text),
                                   new_field_spec=SigFieldSpec(FIELD, on_page=-1, box=box))
    org = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    out = io.BytesIO()
    pdf_signer.sign_pdf(writer, output=out, bytes_reserved=_reserved(certificate),
                        appearance_text_params={
                            "org": org[0].value if org else subject_of(cert),
                            "serial": serial_of(cert),
                            "nb": f"{cert.not_valid_before_utc:%d.%m.%Y}",
                            "na": f"{cert.not_valid_after_utc:%d.%m.%Y}"})
    return out.getvalue()


def _reserved(credentials: Credentials) -> int:
    """Room for the CMS signature (bytes): the certificates it embeds and 4 KiB for the
    rest. Giving it spares pyHanko a dry run that signs twice."""
    certs = (credentials.certificate, *credentials.chain)
    size = 4096 + sum(len(c.public_bytes(serialization.Encoding.DER)) for c in certs)
    return size + size % 2  # pyHanko wants it even


def trust_roots_from_pem(pem: str) -> list[asn1_x509.Certificate]:
    """The certificates of a PEM text (``SealCertificate.chain_pem``), for ``check``."""
    return list(load_certs_from_pemder_data(pem.encode())) if pem.strip() else []


def check(pdf: bytes, trust_roots) -> SealStatus:
    """The status of ``pdf``'s seal against ``trust_roots`` (asn1crypto certificates): see
    ``examine``."""
    return examine(pdf, trust_roots).status


def examine(pdf: bytes, trust_roots) -> SealCheck:
    """Check every signature of ``pdf``: UNSEALED with none; ALTERED if the file cannot be
    read, a signature's bytes or CMS do not verify, or the last one does not cover the
    whole file; UNKNOWN_SIGNER if they are intact but none chains to ``trust_roots``;
    VALID otherwise."""
    try:
        signatures = PdfFileReader(io.BytesIO(pdf), strict=False).embedded_signatures
    except Exception as exc:  # pyHanko raises PdfReadError, ValueError, KeyError…
        log.info("seal check: unreadable PDF: %s", exc)
        return SealCheck(SealStatus.ALTERED, detail="файл не читается как PDF: он повреждён")
    if not signatures:
        return SealCheck(SealStatus.UNSEALED)
    roots = list(trust_roots)
    found: SealCheck | None = None
    for signature in signatures:
        one = _examine_one(signature, roots)
        if one.status is SealStatus.ALTERED:
            return one
        if found is None or one.status is SealStatus.VALID:
            found = one
    last = signatures[-1]
    try:
        whole = last.evaluate_signature_coverage() == SignatureCoverageLevel.ENTIRE_FILE
    except Exception:  # noqa: BLE001 — a broken byte range is a change
        whole = False
    if not whole:
        return SealCheck(SealStatus.ALTERED, found.signer, found.serial, found.sealed_at,
                         "после заверения в файл дописаны изменения")
    return found


@dataclass(frozen=True)
class SealMark:
    """Who sealed a PDF, as its last signature says (not checked: see ``examine``)."""

    fingerprint: str  # SHA-256 (hex) of the signer certificate's DER
    signer: str
    serial: str
    sealed_at: datetime | None


def sealer_of(pdf: bytes) -> SealMark | None:
    """The certificate and time of the last signature of ``pdf``, or None if it has none
    or cannot be read: what filing records of the seal it has just put on."""
    try:
        signatures = PdfFileReader(io.BytesIO(pdf), strict=False).embedded_signatures
        if not signatures:
            return None
        cert = signatures[-1].signer_cert
        return SealMark(hashlib.sha256(cert.dump()).hexdigest(), _who(cert),
                        format(cert.serial_number, "X"),
                        signatures[-1].self_reported_timestamp)
    except Exception:  # noqa: BLE001 — an unreadable PDF carries no seal to record
        return None


def _who(cert: asn1_x509.Certificate) -> str:
    """«МОУ СШ № 5 (Муниципальное …)»: the common name, and the organization if other."""
    names = cert.subject.native
    common, organization = names.get("common_name", ""), names.get("organization_name", "")
    if organization and organization != common:
        return f"{common} ({organization})" if common else organization
    return common or cert.subject.human_friendly


def _examine_one(signature, roots) -> SealCheck:
    signer, serial, at = "", "", None
    try:
        cert = signature.signer_cert
        signer, serial = _who(cert), format(cert.serial_number, "X")
        at = signature.self_reported_timestamp
        context = ValidationContext(trust_roots=roots, allow_fetching=False,
                                    **({"moment": at} if at and at.tzinfo else {}))
        status = validate_pdf_signature(signature, context, key_usage_settings=SIGNING_USAGE)
    except Exception as exc:  # a damaged signature dictionary or CMS blob
        log.info("seal check: signature does not verify: %s", exc)
        return SealCheck(SealStatus.ALTERED, signer, serial, at,
                         "подпись повреждена и не проверяется")
    if not (status.intact and status.valid and status.docmdp_ok is not False):
        return SealCheck(SealStatus.ALTERED, signer, serial, at,
                         "содержимое не совпадает с заверенным")
    if not status.trusted:
        return SealCheck(SealStatus.UNKNOWN_SIGNER, signer, serial, at,
                         "сертификат не выдан организации или её удостоверяющим центром")
    if not status.bottom_line:  # trusted and intact, yet pyHanko's verdict is no (revoked…)
        return SealCheck(SealStatus.UNKNOWN_SIGNER, signer, serial, at,
                         f"проверка сертификата не пройдена ({status.summary()})")
    return SealCheck(SealStatus.VALID, signer, serial, at)

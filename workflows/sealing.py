"""The organization's seal: its certificates, the seal on every archived PDF, and the check.

An organization has at most one active ``SealCertificate``: a development one
(``flask seal dev-certificate``, ``make_development``) or a PKCS#12 its head uploaded
(``upload``). Its key lives in the blob store as a PKCS#12 re-encrypted under a passphrase
derived from the integrity key (``storage.keys.SEAL_PKCS12``), never under the password it
came with; ``chain_pem`` keeps the issuing certificates, which verification trusts. The
certificates replaced stay listed: their chains still verify the PDFs they sealed.

``seal_archived`` seals a PDF with the active certificate (or returns it as it is when the
organization has none: it is filed unsealed, and the document page says so);
``workflows.filing`` calls it for every archived PDF. ``examine_file`` and ``verify`` check
filed PDFs against the organization's chains (``signatures.seal``).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache

from cryptography.hazmat.primitives.serialization import pkcs12
from sqlalchemy import select
from sqlalchemy.orm import Session

from signatures import seal, seal_certificates
from signatures.seal import SealCheck, SealStatus
from signatures.seal_certificates import Credentials
from storage import keys
from storage.blobs import blobs
from storage.errors import ConversionFailed, NastavnikError, NotFound
from storage.models import (
    Document,
    Organization,
    SealCertificate,
    Signature,
    StoredFile,
    User,
)
from workflows import audit

log = logging.getLogger(__name__)
SOURCES = {"development": "сертификат для разработки (flask seal dev-certificate)",
           "uploaded": "загружен руководителем (PKCS#12)"}
SEAL_PARTY = "seal"  # Signature.party «seal:<role>» and Signature.part of the seal
# the file the parties sign is not the organization's archived copy: it is sealed only as
# the signed copy, once they have signed (workflows.signing.SIGNING_COPY)
UNSEALED_ROLES = frozenset({"signing_copy"})
# files received, not made: scans of hand-signed papers and detached signatures are kept as
# they came (their SHA-256 is in the signature record), so they carry no seal
RECEIVED_PREFIXES = ("scan:", "sig:")
SEALED = ", заверена печатью организации"  # what the audit row of a filed PDF adds
NOT_SEALED = ", не заверена печатью: у организации нет сертификата печати"
HOW_TO_SEAL = ("Руководитель загружает сертификат организации (PKCS#12) на странице «Печать "
               "организации»; для разработки его создаёт команда flask seal dev-certificate.")


def _passphrase() -> bytes:
    return keys.current().derive(keys.SEAL_PKCS12).hex().encode()


def active(session: Session, organization_id: int) -> SealCertificate | None:
    """The certificate that seals the organization's PDFs now, if any."""
    return session.scalars(select(SealCertificate).where(
        SealCertificate.organization_id == organization_id,
        SealCertificate.is_active.is_(True)).order_by(SealCertificate.id.desc())).first()


def certificates(session: Session, organization_id: int) -> list[SealCertificate]:
    """Every certificate the organization has had, newest first."""
    return list(session.scalars(select(SealCertificate).where(
        SealCertificate.organization_id == organization_id)
        .order_by(SealCertificate.id.desc())))


def expired(row: SealCertificate) -> bool:
    """Whether the certificate's validity has ended (it seals nothing more)."""
    end = row.not_after if row.not_after.tzinfo else row.not_after.replace(tzinfo=UTC)
    return end < datetime.now(UTC)  # SQLite gives back naive UTC datetimes


def install(session: Session, organization_id: int, credentials: Credentials, *,
            source: str, actor: User | None = None) -> SealCertificate:
    """Store ``credentials`` as the organization's active certificate (the previous one is
    kept, inactive) and record it in the audit chain; the caller commits."""
    cert = credentials.certificate
    sha = blobs().put(credentials.pkcs12(_passphrase()))
    for old in certificates(session, organization_id):
        old.is_active = False
    row = SealCertificate(
        organization_id=organization_id, source=source,
        subject=seal_certificates.subject_of(cert)[:500],
        issuer=seal_certificates.name_of(cert.issuer)[:500],
        serial=seal_certificates.serial_of(cert),
        not_before=cert.not_valid_before_utc, not_after=cert.not_valid_after_utc,
        fingerprint=seal_certificates.fingerprint_of(cert), pkcs12_sha256=sha,
        chain_pem=credentials.trust_roots_pem(), is_active=True,
        created_by_id=actor.id if actor else None)
    session.add(row)
    session.flush()
    audit.append(session, organization_id=organization_id, document_id=None, actor=actor,
                 action="seal_certificate", from_state=None, to_state=None,
                 comment=f"Сертификат печати организации: {row.subject}, серийный номер "
                         f"{row.serial}, действует с {row.not_before:%d.%m.%Y} по "
                         f"{row.not_after:%d.%m.%Y}; {SOURCES[source]}")
    return row


def make_development(session: Session, organization: Organization,
                     actor: User | None = None) -> SealCertificate:
    """A development CA and certificate for ``organization``, installed as active."""
    credentials = seal_certificates.development(organization.short_name,
                                                organization.full_name)
    return install(session, organization.id, credentials, source="development", actor=actor)


def upload(session: Session, organization_id: int, data: bytes, password: str, *,
           actor: User) -> SealCertificate:
    """Install the PKCS#12 the head uploaded; NastavnikError (400, Russian) if it cannot
    seal (``signatures.seal_certificates.read_pkcs12``)."""
    credentials = seal_certificates.read_pkcs12(data, password)
    return install(session, organization_id, credentials, source="uploaded", actor=actor)


def credentials_of(row: SealCertificate) -> Credentials:
    """The key and certificates of ``row``, decrypted; ConversionFailed (the PDF job is
    retried, the DOCX stays the signed copy) if the stored key cannot be opened."""
    return _open(row.pkcs12_sha256, keys.current().key_id)


@lru_cache(maxsize=16)
def _open(pkcs12_sha256: str, key_id: str) -> Credentials:
    """Decrypting a PKCS#12 costs 10 ms (ECDSA) to 45 ms (RSA-2048, whose key is checked):
    a process keeps the few it uses, by blob and integrity key (``key_id``: a new key
    opens nothing old)."""
    try:
        key, cert, chain = pkcs12.load_key_and_certificates(blobs().get(pkcs12_sha256),
                                                            _passphrase())
    except (ValueError, NotFound):
        raise ConversionFailed(
            "PDF-копия не заверена: ключ печати организации не открывается (файл ключа "
            "повреждён или сменился ключ целостности INTEGRITY_KEY). Загрузите сертификат "
            "PKCS#12 заново на странице «Печать организации».") from None
    return Credentials(key, cert, tuple(chain))


def seal_archived(session: Session, organization_id: int, pdf: bytes) -> bytes:
    """``pdf`` sealed with the organization's active certificate, or unchanged if it has
    none. ConversionFailed (Russian; the job is retried, the DOCX stays the signed copy) if
    the seal cannot be made, also while the certificate is expired."""
    row = active(session, organization_id)
    if row is None:
        return pdf
    credentials = credentials_of(row)
    try:  # an expired certificate would seal what no one can verify: wait for a new one
        seal_certificates.refuse_unusable(credentials.certificate)
    except NastavnikError as exc:
        raise ConversionFailed(f"PDF-копия не заверена печатью организации: {exc.message} "
                               f"Копия будет подготовлена после этого.") from None
    org = session.get(Organization, organization_id)
    try:
        return seal.seal_pdf(pdf, credentials, location=org.place if org else "")
    except RuntimeError as exc:  # the stamp's font (signatures.seal.stamp_font)
        raise ConversionFailed(f"PDF-копия не заверена печатью: {exc}") from None
    except Exception:  # pyHanko's errors for a PDF it cannot read or write
        log.exception("seal of a PDF of organization %s failed", organization_id)
        raise ConversionFailed("PDF-копия не заверена печатью организации: файл PDF не "
                               "читается; копия будет подготовлена заново.") from None


def record(session: Session, doc: Document, stored: StoredFile, pdf: bytes
           ) -> Signature | None:
    """The organization's seal on a PDF just filed, as a signature of ``doc`` (method
    ``seal``, party ``seal:<role of the file>``), so that the document's signatures and the
    API list it with the others. None if ``pdf`` carries no seal of one of the
    organization's certificates; the row of an earlier filing of the same role is kept."""
    party = f"{SEAL_PARTY}:{stored.role}"[:60]
    existing = session.scalars(select(Signature).where(
        Signature.document_id == doc.id, Signature.party == party)).first()
    mark = seal.sealer_of(pdf) if existing is None else None
    row = session.scalars(select(SealCertificate).where(
        SealCertificate.organization_id == doc.organization_id,
        SealCertificate.fingerprint == mark.fingerprint)).first() if mark else None
    if row is None:
        return existing
    signature = Signature(
        organization_id=doc.organization_id, document_id=doc.id, party=party,
        part=SEAL_PARTY, signer_name=mark.signer[:300], method="seal",
        signed_at=mark.sealed_at or datetime.now(UTC), sha256=stored.sha256,
        file_id=stored.id, certificate={
            "subject": row.subject, "serial": row.serial, "issuer": row.issuer,
            "not_before": row.not_before.isoformat(), "not_after": row.not_after.isoformat(),
            "fingerprint": row.fingerprint, "source": row.source})
    session.add(signature)
    session.flush()
    return signature


def trust_roots(session: Session, organization_id: int) -> list:
    """The chains of every certificate the organization has had: what its seals verify
    against (asn1crypto certificates)."""
    roots = []
    for row in certificates(session, organization_id):
        roots.extend(seal.trust_roots_from_pem(row.chain_pem))
    return roots


def is_archived_pdf(stored: StoredFile) -> bool:
    """Whether ``stored`` is a PDF the organization's seal should be on: one the service
    made for the archive, not the signing copy nor a file received."""
    return stored.media_type == "application/pdf" and sealable(stored.role)


def sealable(role: str) -> bool:
    """Whether a PDF filed as ``role`` is sealed (see ``is_archived_pdf``)."""
    return role not in UNSEALED_ROLES and not role.startswith(RECEIVED_PREFIXES)


# A blob's bytes never change under its name (blobs.get checks them on every read), so
# the seal check of a file against the same trust roots is remembered: a document page
# with many versions of its лист ознакомления does not validate each on every view.
_CHECKED: dict[tuple[str, tuple[bytes, ...]], SealCheck] = {}
CHECKED_MAX = 1024
_CHECKED_LOCK = threading.Lock()


def examine_file(session: Session, stored: StoredFile, roots: list | None = None) -> SealCheck:
    """The seal of a filed PDF, checked against the organization's chains (``roots`` if
    the caller has them already)."""
    if roots is None:
        roots = trust_roots(session, stored.organization_id)
    try:
        data = blobs().get(stored.sha256)
    except NotFound as exc:  # missing, or its bytes no longer hash to its name
        return SealCheck(SealStatus.ALTERED, detail=exc.message.rstrip(".").lower())
    key = (stored.sha256, tuple(root.sha256 for root in roots))
    found = _CHECKED.get(key)
    if found is None:  # the bytes were just checked against their name
        found = seal.examine(data, roots)
        with _CHECKED_LOCK:  # pages are served by several threads
            if len(_CHECKED) >= CHECKED_MAX:
                _CHECKED.pop(next(iter(_CHECKED)))
            _CHECKED[key] = found
    return found


@dataclass(frozen=True)
class FileSeal:
    """One archived PDF and what its seal check found."""

    stored: StoredFile
    document: Document
    organization: Organization
    check: SealCheck


def verify(session: Session, organization_id: int | None = None) -> Iterator[FileSeal]:
    """Check the seal of every archived PDF (of one organization, if given), in filing
    order; ``flask archive verify`` reports each."""
    query = (select(StoredFile, Document, Organization)
             .join(Document, StoredFile.document_id == Document.id)
             .join(Organization, StoredFile.organization_id == Organization.id)
             .where(StoredFile.media_type == "application/pdf",
                    StoredFile.role.not_in(UNSEALED_ROLES),
                    *(StoredFile.role.not_like(f"{prefix}%") for prefix in RECEIVED_PREFIXES))
             .order_by(StoredFile.id))
    if organization_id is not None:
        query = query.where(StoredFile.organization_id == organization_id)
    roots: dict[int, list] = {}
    for stored, doc, org in session.execute(query).all():
        if org.id not in roots:
            roots[org.id] = trust_roots(session, org.id)
        yield FileSeal(stored, doc, org, examine_file(session, stored, roots[org.id]))

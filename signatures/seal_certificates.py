"""The organization's seal certificate: made for development, or read from an uploaded PKCS#12.

``Credentials`` is what sealing needs in memory: the private key, its certificate and the
chain of issuing certificates (the trust roots that verification accepts). A certificate is
taken only if it can seal: not expired, not yet to come, its key matching it, and its key
usage allowing signatures (digitalSignature or nonRepudiation, the bits pyHanko's
validation accepts, see ../shared/notes/signing.md). Every refusal is a ``NastavnikError``
(400) with a Russian message that says what to do.

A development certificate is issued by a development CA made at the same time, both ECDSA
P-256 (a signature costs a tenth of RSA-2048's); it proves nothing outside this installation
and its CA's name says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from asn1crypto import pkcs12 as asn1_pkcs12
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed448, ed25519, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from storage.errors import NastavnikError

DEV_CA_NAME = "Учебный УЦ «Наставник»"
DEV_CA_ORGANIZATION = "Наставник: только для разработки, не для юридически значимых документов"
CN_BYTES = 64  # X.520 ub-common-name, which cryptography counts in UTF-8 bytes
DEV_CA_YEARS, DEV_CERT_YEARS = 10, 3
MAX_PKCS12_BYTES = 1 << 20  # a PKCS#12 with its chain is a few kilobytes
SIGNING_KEYS = (rsa.RSAPrivateKey, ec.EllipticCurvePrivateKey, ed25519.Ed25519PrivateKey,
                ed448.Ed448PrivateKey, dsa.DSAPrivateKey)


@dataclass(frozen=True)
class Credentials:
    """A private key, its certificate and the issuing chain (nearest issuer first)."""

    key: object
    certificate: x509.Certificate
    chain: tuple[x509.Certificate, ...]

    def __repr__(self) -> str:  # never print the key
        return f"Credentials(subject={subject_of(self.certificate)!r})"

    def pkcs12(self, passphrase: bytes) -> bytes:
        """The credentials as a PKCS#12 encrypted under ``passphrase``."""
        return pkcs12.serialize_key_and_certificates(
            b"seal", self.key, self.certificate, list(self.chain) or None,
            serialization.BestAvailableEncryption(passphrase))

    def trust_roots_pem(self) -> str:
        """What verification trusts for this certificate: its chain, or the certificate
        itself when it is self-signed (a chain-less PKCS#12 is refused otherwise)."""
        trusted = self.chain or (self.certificate,)
        return "".join(c.public_bytes(serialization.Encoding.PEM).decode() for c in trusted)


def name_of(name: x509.Name) -> str:
    """A distinguished name as a reader expects it: «C=RU, O=…, CN=…» in its own order and
    words (RFC 4514 reverses the order and escapes commas, which no clerk reads)."""
    return ", ".join(f"{a.rfc4514_attribute_name}={a.value}" for a in name)


def subject_of(certificate: x509.Certificate) -> str:
    return name_of(certificate.subject)


def serial_of(certificate: x509.Certificate) -> str:
    """The serial number in upper-case hex, as certificate viewers show it."""
    return format(certificate.serial_number, "X")


def fingerprint_of(certificate: x509.Certificate) -> str:
    return certificate.fingerprint(hashes.SHA256()).hex()


def _name(common_name: str, organization: str | None = None) -> x509.Name:
    attributes = [x509.NameAttribute(NameOID.COUNTRY_NAME, "RU")]
    if organization:
        attributes.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization))
    cut = common_name.encode()[:CN_BYTES].decode(errors="ignore")  # whole letters only
    attributes.append(x509.NameAttribute(NameOID.COMMON_NAME, cut))
    return x509.Name(attributes)


def development(short_name: str, full_name: str = "", *,
                now: datetime | None = None) -> Credentials:
    """A development CA and, issued by it, the organization's certificate (subject CN the
    short name, O the full name; key usage digitalSignature and nonRepudiation)."""
    now = now or datetime.now(UTC)
    ca_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca_name = _name(DEV_CA_NAME, DEV_CA_ORGANIZATION)
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name)
          .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
          .not_valid_before(now - timedelta(minutes=5))
          .not_valid_after(now + timedelta(days=365 * DEV_CA_YEARS))
          .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
          .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False,
                                       key_encipherment=False, data_encipherment=False,
                                       key_agreement=False, key_cert_sign=True, crl_sign=True,
                                       encipher_only=False, decipher_only=False),
                         critical=True)
          .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()),
                         critical=False)
          .sign(ca_key, hashes.SHA256()))
    certificate = (
        x509.CertificateBuilder().subject_name(_name(short_name, full_name or short_name))
        .issuer_name(ca_name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=365 * DEV_CERT_YEARS))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True,
                                     key_encipherment=False, data_encipherment=False,
                                     key_agreement=False, key_cert_sign=False, crl_sign=False,
                                     encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
                       critical=False)
        .sign(ca_key, hashes.SHA256()))
    return Credentials(key, certificate, (ca,))


def read_pkcs12(data: bytes, password: str, *, now: datetime | None = None) -> Credentials:
    """The credentials in an uploaded PKCS#12 (.p12/.pfx) opened with ``password``, checked
    to be able to seal now. Raises NastavnikError (400, Russian) for a file that is no
    PKCS#12, a wrong password, no key or certificate in it, a key not of the certificate, a
    certificate not valid now, one without a signing key usage, or one whose issuer is not
    in the file."""
    if not data:
        raise NastavnikError("Файл сертификата пуст: выберите файл PKCS#12 (.p12 или .pfx).")
    if len(data) > MAX_PKCS12_BYTES:
        raise NastavnikError("Файл слишком велик для сертификата PKCS#12 (больше 1 МБ): "
                             "выберите файл .p12 или .pfx с ключом печати.")
    try:
        asn1_pkcs12.Pfx.load(data).native  # noqa: B018 — parsing it is the check
    except Exception:  # asn1crypto raises ValueError, TypeError… on anything not DER
        raise NastavnikError("Файл не является контейнером PKCS#12 (.p12 или .pfx): "
                             "выгрузите из криптопровайдера сертификат вместе с закрытым "
                             "ключом в формате PKCS#12.") from None
    try:
        key, certificate, extra = pkcs12.load_key_and_certificates(
            data, password.encode() if password else None)
    except ValueError:
        raise NastavnikError("Неверный пароль контейнера PKCS#12, или он зашифрован "
                             "неподдерживаемым алгоритмом (например, ГОСТ): проверьте пароль "
                             "и выгрузите контейнер заново.") from None
    if key is None or certificate is None:
        raise NastavnikError("В контейнере PKCS#12 нет закрытого ключа или сертификата: "
                             "выгрузите сертификат вместе с закрытым ключом.")
    if not isinstance(key, SIGNING_KEYS):
        raise NastavnikError("Ключ в контейнере не подходит для подписи PDF (поддерживаются "
                             "RSA, ECDSA, EdDSA; ГОСТ не поддерживается).")
    if key.public_key().public_bytes(serialization.Encoding.DER,
                                     serialization.PublicFormat.SubjectPublicKeyInfo) != \
            certificate.public_key().public_bytes(
                serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo):
        raise NastavnikError("Закрытый ключ в контейнере не соответствует сертификату.")
    credentials = Credentials(key, certificate, _chain(certificate, extra or []))
    refuse_unusable(certificate, now=now)
    return credentials


def _chain(certificate: x509.Certificate,
           others: list[x509.Certificate]) -> tuple[x509.Certificate, ...]:
    """The issuing certificates of ``certificate`` found among ``others``, nearest first;
    a certificate issued by someone absent from the file is refused (verification would
    have nothing to trust), a self-signed one needs no chain."""
    chain, current, pool = [], certificate, list(others)
    while current.issuer != current.subject:
        issuer = next((c for c in pool if c.subject == current.issuer), None)
        if issuer is None:
            if chain:
                return tuple(chain)  # the topmost issuer given is the trust anchor
            raise NastavnikError("В контейнере PKCS#12 нет сертификата удостоверяющего "
                                 "центра, выдавшего сертификат печати: выгрузите контейнер "
                                 "с полной цепочкой сертификатов.")
        chain.append(issuer)
        pool.remove(issuer)
        current = issuer
    return tuple(chain)


def refuse_unusable(certificate: x509.Certificate, *, now: datetime | None = None) -> None:
    """Raise NastavnikError unless ``certificate`` may seal at ``now``: within its validity
    and with digitalSignature or nonRepudiation in its key usage."""
    now = now or datetime.now(UTC)
    start, end = certificate.not_valid_before_utc, certificate.not_valid_after_utc
    if now > end:
        raise NastavnikError(f"Срок действия сертификата истёк {end:%d.%m.%Y}: печатью с "
                             f"ним заверять нельзя. Загрузите действующий сертификат.")
    if now < start:
        raise NastavnikError(f"Сертификат начинает действовать только {start:%d.%m.%Y}: "
                             f"загрузите его с этой даты.")
    try:
        usage = certificate.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        raise NastavnikError("В сертификате не указано назначение ключа (Key Usage): для "
                             "печати нужен сертификат с назначением «цифровая подпись» или "
                             "«неотрекаемость».") from None
    if not (usage.digital_signature or usage.content_commitment):
        raise NastavnikError("Сертификат не предназначен для подписи: в назначении ключа "
                             "(Key Usage) нет «цифровой подписи» и «неотрекаемости». "
                             "Загрузите сертификат для электронной подписи.")

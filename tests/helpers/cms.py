"""Detached CMS signatures made here with ``cryptography`` (no network, no CA): a
self-issued certificate with a Russian subject, signed like signing software does, with
RSA or ECDSA — what a qualified signature is not (GOST-shaped ones: ``tests.helpers.gost``)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.serialization import pkcs7
from cryptography.x509.oid import NameOID

SNILS = x509.ObjectIdentifier("1.2.643.100.3")


def certificate(surname: str = "Иванова", given: str = "Мария Петровна", *, key=None,
                valid_from: timedelta = timedelta(days=-30),
                valid_for: timedelta = timedelta(days=365)):
    """(certificate, key): issued to ``surname given`` by «Тестовый УЦ»."""
    key = key or ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([
        x509.NameAttribute(NameOID.COMMON_NAME, f"{surname} {given}"),
        x509.NameAttribute(NameOID.SURNAME, surname),
        x509.NameAttribute(NameOID.GIVEN_NAME, given),
        x509.NameAttribute(NameOID.TITLE, "Учитель"),
        x509.NameAttribute(SNILS, "12345678901", _type=x509.name._ASN1Type.NumericString),
    ])
    issuer = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Тестовый УЦ")])
    start = datetime.now(UTC) + valid_from
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer)
            .public_key(key.public_key()).serial_number(0x1A2B3C4D5E)
            .not_valid_before(start).not_valid_after(start + valid_for)
            .sign(key, hashes.SHA256()))
    return cert, key


def sign(data: bytes, cert=None, key=None, *, detached: bool = True, with_cert: bool = True,
         encoding=serialization.Encoding.DER, digest=None, pss: bool = False,
         also=None) -> bytes:
    """A CMS signature of ``data`` by ``cert``/``key`` (Ивановой by default); ``also``: a
    second (cert, key) signing the same file."""
    if cert is None:
        cert, key = certificate()
    # Binary: the bytes as they are (without it, S/MIME text canonicalization turns \n into
    # \r\n before hashing, which signing software never does to a file)
    options = [pkcs7.PKCS7Options.Binary]
    if detached:
        options.append(pkcs7.PKCS7Options.DetachedSignature)
    if not with_cert:
        options.append(pkcs7.PKCS7Options.NoCerts)
    padded = {"rsa_padding": padding.PSS(padding.MGF1(hashes.SHA256()),
                                         padding.PSS.DIGEST_LENGTH)} if pss else {}
    builder = pkcs7.PKCS7SignatureBuilder().set_data(data).add_signer(
        cert, key, digest or hashes.SHA256(), **padded)
    if also is not None:
        builder = builder.add_signer(*also, hashes.SHA256())
    return builder.sign(encoding, options)


def rsa_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)

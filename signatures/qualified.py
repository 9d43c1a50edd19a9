"""Detached qualified electronic signatures (УКЭП, 63-ФЗ ст. 5 ч. 4): a CMS file
(``.sig`` / ``.p7s``; DER, PEM or bare base64 as CryptoPro saves it) that a party made of the
signing copy in her own signing software and uploads.

``read(data, signing_copy, signer_name=…)`` parses the CMS with asn1crypto and refuses, with
a Russian ``ValidationError`` (422), anything it cannot stand behind: not a CMS signed-data,
an attached signature (the document inside it), more or fewer than one signer, no signer
certificate, a certificate not valid at the time of signing (the CMS's signing time, or
now if it has none), a certificate issued to someone other than the party, a file of
another document.

What is checked depends on the algorithms:

- SHA-256/384/512 with RSA or ECDSA: the ``messageDigest`` the signer signed is compared
  with the hash of the signing copy (match, or refused as a signature of another file), and
  the signature value over the signed attributes is verified with the certificate's key;
- GOST (ГОСТ Р 34.10-2012 / 34.11-2012, «Стрибог», OIDs 1.2.643.*): the service performs
  no GOST cryptography, and says so in the record and on the page — the signature is to be
  checked in certified software (КриптоПро и т. п.) or a public verification service.

In neither case does the service check the certificate chain up to an accredited
certification centre or the certificate's revocation: the record lists what was checked.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from asn1crypto import cms, pem, x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.serialization import load_der_public_key
from sqlalchemy.orm import Session

from signatures.evidence import file_evidence
from storage.errors import ValidationError
from storage.models import Document, StoredFile

SIG_MAX_BYTES = 1024 * 1024  # a signature with its certificate chain is a few kilobytes
MEDIA_TYPE = "application/pkcs7-signature"
GOST_ARC = "1.2.643."  # the Russian national arc: GOST algorithms and attributes
GOST_NOT_CHECKED = ("Криптографическая проверка подписи по ГОСТ Р 34.10-2012 сервисом не "
                    "выполняется: проверьте подпись в сертифицированном средстве (КриптоПро "
                    "и т. п.) или в сервисе проверки электронной подписи.")
NOT_CHECKED = ("Цепочка сертификата до аккредитованного удостоверяющего центра и его отзыв "
               "сервисом не проверяются.")
HASHES = {"sha256": hashes.SHA256, "sha384": hashes.SHA384, "sha512": hashes.SHA512}
DIGEST_LABELS = {
    "sha256": "SHA-256", "sha384": "SHA-384", "sha512": "SHA-512", "sha1": "SHA-1",
    "md5": "MD5", "1.2.643.7.1.1.2.2": "ГОСТ Р 34.11-2012 «Стрибог» 256 бит",
    "1.2.643.7.1.1.2.3": "ГОСТ Р 34.11-2012 «Стрибог» 512 бит",
    "1.2.643.2.2.9": "ГОСТ Р 34.11-94",
}
# attributes of a subject or issuer as Russian signing software names them
NAME_LABELS = {
    "common_name": "Владелец", "surname": "Фамилия", "given_name": "Имя и отчество",
    "title": "Должность", "organization_name": "Организация",
    "organizational_unit_name": "Подразделение", "locality_name": "Населённый пункт",
    "state_or_province_name": "Регион", "country_name": "Страна",
    "street_address": "Адрес", "email_address": "Эл. почта",
    "1.2.643.100.1": "ОГРН", "1.2.643.100.5": "ОГРНИП", "1.2.643.100.3": "СНИЛС",
    "1.2.643.3.131.1.1": "ИНН", "1.2.643.100.4": "ИНН ЮЛ",
}


@dataclass(frozen=True)
class Certificate:
    """The signer's certificate as the page shows it."""

    subject: str
    serial: str  # hexadecimal, as signing software shows it
    not_before: datetime
    not_after: datetime
    issuer: str
    names: tuple[str, ...]  # surname, given names and common name, for matching the party


@dataclass(frozen=True)
class Detached:
    """A detached signature accepted for a party, with what was and was not checked."""

    certificate: Certificate
    digest_algorithm: str  # Russian/standard label, e.g. «SHA-256»
    gost: bool
    signed_at: datetime | None  # the CMS's signing time, if it carries one
    sha256: str  # of the .sig file itself
    checks: tuple[str, ...] = field(default=())  # Russian sentences: what was checked

    def record(self) -> dict[str, Any]:
        """What ``Signature.certificate`` keeps (JSON): the page and the API read it."""
        cert = self.certificate
        return {"subject": cert.subject, "serial": cert.serial,
                "not_before": cert.not_before.isoformat(),
                "not_after": cert.not_after.isoformat(), "issuer": cert.issuer,
                "digest_algorithm": self.digest_algorithm, "gost": self.gost,
                "signed_at": self.signed_at.isoformat() if self.signed_at else None,
                "signature_file_sha256": self.sha256, "checks": list(self.checks)}


def _refuse(why: str) -> ValidationError:
    return ValidationError(f"Подпись не принята: {why}", {"file": [why]})


def read(data: bytes, signing_copy: bytes, *, signer_name: str | None = None,
         now: datetime | None = None) -> Detached:
    """The detached CMS signature ``data`` of the file ``signing_copy`` made by
    ``signer_name`` (the party's full name, if it must match the certificate); otherwise
    ValidationError saying why not."""
    now = now or datetime.now(UTC)
    if not data:
        raise _refuse("файл подписи пуст (0 байт).")
    if len(data) > SIG_MAX_BYTES:
        raise _refuse(f"файл больше {SIG_MAX_BYTES // 1024} КБ — это не файл подписи.")
    signed_data = _signed_data(_der(data))
    try:
        signer = _only_signer(signed_data)
        cert = _signer_certificate(signed_data, signer)
        certificate = _describe(cert)
        digest_oid = signer["digest_algorithm"]["algorithm"].dotted
        digest_name = signer["digest_algorithm"]["algorithm"].native
        signature_oid = signer["signature_algorithm"]["algorithm"].dotted
        attrs = _signed_attributes(signer)
    except (ValueError, TypeError, KeyError, IndexError, OverflowError) as exc:
        raise _refuse("структура подписи CMS повреждена.") from exc
    signed_at = attrs.get("signing_time")
    _check_validity(certificate, signed_at or now, given=signed_at is not None)
    if signer_name is not None:
        _check_owner(certificate, signer_name)
    label = DIGEST_LABELS.get(digest_name, DIGEST_LABELS.get(digest_oid, digest_oid))
    checks = [f"Сертификат действовал на момент подписания "
              f"({_when(signed_at or now)}{'' if signed_at else ', время загрузки'})."]
    if signer_name is not None:
        checks.append(f"Сертификат выдан подписанту: {signer_name}.")
    gost = any(oid.startswith(GOST_ARC) for oid in (
        digest_oid, signature_oid, cert.public_key["algorithm"]["algorithm"].dotted))
    if gost:
        checks.append(GOST_NOT_CHECKED)
    else:
        checks += _check_digest_and_value(signer, cert, attrs, digest_name, label,
                                          signing_copy)
    checks.append(NOT_CHECKED)
    return Detached(certificate, label, gost, signed_at, hashlib.sha256(data).hexdigest(),
                    tuple(checks))


def _der(data: bytes) -> bytes:
    """DER from DER, PEM or the bare base64 that some signing software writes."""
    if pem.detect(data):
        try:
            return pem.unarmor(data)[2]
        except ValueError as exc:
            raise _refuse("файл в формате PEM повреждён.") from exc
    if data[:1] == b"\x30":
        return data
    compact = re.sub(rb"\s+", b"", data)
    try:
        decoded = base64.b64decode(compact, validate=True)
    except (binascii.Error, ValueError):
        decoded = b""
    if decoded[:1] == b"\x30":
        return decoded
    raise _refuse("это не файл электронной подписи CMS (PKCS#7, .sig или .p7s).")


def _signed_data(der: bytes) -> cms.SignedData:
    try:
        info = cms.ContentInfo.load(der, strict=True)
        content_type = info["content_type"].native
        signed = info["content"]
        if content_type == "signed_data":
            content = signed["encap_content_info"]["content"]
            attached = content.native is not None
    except (ValueError, TypeError, KeyError, IndexError, OverflowError) as exc:
        raise _refuse("это не файл электронной подписи CMS (PKCS#7, .sig или .p7s).") from exc
    if content_type != "signed_data":
        raise _refuse("файл CMS не содержит подписи (это не SignedData).")
    if attached:
        raise _refuse("подпись присоединённая (внутри неё сам документ). Загрузите "
                      "открепленную подпись (.sig/.p7s), сделанную по копии для подписания.")
    return signed


def _only_signer(signed_data: cms.SignedData) -> cms.SignerInfo:
    signers = list(signed_data["signer_infos"])
    if len(signers) != 1:
        raise _refuse(f"в файле {len(signers)} подписей, а нужна одна: загрузите подпись "
                      "каждой стороны отдельным файлом.")
    return signers[0]


def _signer_certificate(signed_data: cms.SignedData,
                        signer: cms.SignerInfo) -> x509.Certificate:
    sid = signer["sid"]
    for choice in signed_data["certificates"] or ():
        if choice.name != "certificate":
            continue
        cert = choice.chosen
        if sid.name == "issuer_and_serial_number":
            wanted = sid.chosen
            if cert.issuer == wanted["issuer"] and \
                    cert.serial_number == wanted["serial_number"].native:
                return cert
        elif cert.key_identifier == sid.chosen.native:
            return cert
    raise _refuse("в файле нет сертификата подписанта. Сохраните подпись вместе с "
                  "сертификатом (в КриптоПро: «Включить сертификат подписанта»).")


def _name(name: x509.Name) -> tuple[str, dict[str, str]]:
    """«Владелец: …; Организация: …» and the values by attribute."""
    values: dict[str, str] = {}
    parts = []
    for rdn in name.chosen:
        for attribute in rdn:
            kind = attribute["type"]
            label = NAME_LABELS.get(kind.native, NAME_LABELS.get(kind.dotted, kind.dotted))
            value = attribute["value"].native
            if isinstance(value, bytes):
                value = value.decode("utf-8", "replace")
            values[kind.native] = str(value)
            parts.append(f"{label}: {value}")
    return "; ".join(parts), values


def _describe(cert: x509.Certificate) -> Certificate:
    subject, values = _name(cert.subject)
    issuer, _ = _name(cert.issuer)
    validity = cert["tbs_certificate"]["validity"]
    names = tuple(values[k] for k in ("surname", "given_name", "common_name") if k in values)
    return Certificate(subject=subject, serial=format(cert.serial_number, "X"),
                       not_before=validity["not_before"].native,
                       not_after=validity["not_after"].native, issuer=issuer, names=names)


def _signed_attributes(signer: cms.SignerInfo) -> dict[str, Any]:
    attrs = signer["signed_attrs"]
    if attrs.native is None:
        raise _refuse("в подписи нет подписанных атрибутов (хеша документа): такую подпись "
                      "нельзя связать с файлом.")
    found: dict[str, Any] = {}
    for attr in attrs:
        values = attr["values"]
        if len(values) == 1:
            found[attr["type"].native] = values[0].native
    if "message_digest" not in found:
        raise _refuse("в подписи нет хеша подписанного файла (messageDigest).")
    return found


def _when(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%d.%m.%Y %H:%M UTC")


def _check_validity(cert: Certificate, at: datetime, *, given: bool) -> None:
    if cert.not_before <= at <= cert.not_after:
        return
    moment = "на момент подписания" if given else "сейчас (время подписания в файле не указано)"
    raise _refuse(f"сертификат подписанта {moment}, {_when(at)}, не действовал: срок его "
                  f"действия с {_when(cert.not_before)} по {_when(cert.not_after)}.")


def _words(text: str) -> set[str]:
    return set(re.findall(r"[а-яa-z]+(?:-[а-яa-z]+)*", text.lower().replace("ё", "е")))


def _check_owner(cert: Certificate, signer_name: str) -> None:
    """Every word of the party's name is in the certificate's surname, given names or
    common name (a certificate of an organization names its head in the first two)."""
    if _words(signer_name) and _words(signer_name) <= _words(" ".join(cert.names)):
        return
    owner = " / ".join(cert.names) or "без имени владельца"
    raise _refuse(f"сертификат выдан «{owner}», а подписать должен(а) {signer_name}.")


def _check_digest_and_value(signer: cms.SignerInfo, cert: x509.Certificate,
                            attrs: dict[str, Any], digest_name: str, label: str,
                            signing_copy: bytes) -> list[str]:
    """Compare the signed hash with the signing copy's and verify the signature value;
    the sentences saying so."""
    if digest_name not in HASHES:
        raise _refuse(f"алгоритм хеширования {label} не принимается: нужна подпись по ГОСТ "
                      "Р 34.11-2012 или SHA-256/384/512.")
    actual = hashlib.new(digest_name, signing_copy).digest()
    if not hmac.compare_digest(actual, attrs["message_digest"]):
        raise _refuse(f"подпись сделана для другого файла: хеш {label} в подписи "
                      f"({attrs['message_digest'].hex()[:16]}…) не совпадает с хешем копии "
                      f"для подписания ({actual.hex()[:16]}…). Скачайте копию для подписания "
                      "и подпишите её.")
    _verify_value(signer, cert, HASHES[digest_name]())
    return [f"Хеш {label} подписанного файла совпадает с хешем копии для подписания.",
            "Значение подписи проверено ключом из сертификата подписанта."]


def _verify_value(signer: cms.SignerInfo, cert: x509.Certificate,
                  digest: hashes.HashAlgorithm) -> None:
    """The signature over the signed attributes (DER, tagged as a SET) is the
    certificate key's."""
    signed = b"\x31" + signer["signed_attrs"].dump()[1:]
    value = signer["signature"].native
    algorithm = signer["signature_algorithm"]
    try:
        key = load_der_public_key(cert.public_key.dump())
        kind = algorithm.signature_algo
        if isinstance(key, rsa.RSAPublicKey) and kind == "rsassa_pkcs1v15":
            key.verify(value, signed, padding.PKCS1v15(), digest)
        elif isinstance(key, rsa.RSAPublicKey) and kind == "rsassa_pss":
            salt = algorithm["parameters"]["salt_length"].native
            key.verify(value, signed, padding.PSS(padding.MGF1(digest), salt), digest)
        elif isinstance(key, ec.EllipticCurvePublicKey) and kind == "ecdsa":
            key.verify(value, signed, ec.ECDSA(digest))
        else:
            raise _refuse(f"алгоритм подписи {algorithm['algorithm'].native} не "
                          "поддерживается.")
    except InvalidSignature as exc:
        raise _refuse("значение подписи не соответствует сертификату подписанта: файл "
                      "подписи повреждён или подделан.") from exc
    except (UnsupportedAlgorithm, ValueError, TypeError, KeyError) as exc:
        raise _refuse(f"алгоритм подписи {algorithm['algorithm'].native} не "
                      "поддерживается.") from exc


def store(session: Session, doc: Document, signature: Detached, data: bytes, *, role: str,
          filename: str) -> StoredFile:
    """Keep the accepted signature file as ``doc``'s file ``role`` (``sig:<party>``)."""
    if signature.sha256 != hashlib.sha256(data).hexdigest():
        raise ValueError("the signature read is not the data stored")
    return file_evidence(session, doc, data, role=role, filename=filename,
                         media_type=MEDIA_TYPE)

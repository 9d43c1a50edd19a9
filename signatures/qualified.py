"""Detached qualified electronic signatures (КЭП, 63-ФЗ ст. 5 ч. 4): a CMS file
(``.sig`` / ``.p7s``; DER, PEM or bare base64 as CryptoPro saves it) that a party made of the
signing copy in her own signing software and uploads.

A qualified signature is made with means certified by the FSB, that is by the Russian
algorithms: ГОСТ Р 34.10-2012 signature, ГОСТ Р 34.11-2012 «Стрибог» hash. A CMS made with
RSA or ECDSA is at most an unqualified enhanced signature, which the labour documents do not
take (ТК РФ ст. 22.1–22.3), so ``read`` refuses it, saying so, and points to paper; so too
the superseded ГОСТ Р 34.10-2001 / 34.11-94. Where the law is unclear, the stricter route.

The service performs no GOST cryptography: neither the signature value nor the «Стрибог»
hash of the signing copy is verified, and the record and the page say so plainly. What can
be checked without GOST is checked, and ``read`` refuses (a Russian ``ValidationError``,
422) a file failing any of it: a CMS signed-data, detached, exactly one signer with her
certificate in the file, GOST algorithms that agree with each other and with the
certificate's key, a certificate carrying the signing tools a qualified certificate names
(63-ФЗ ст. 17 ч. 2 п. 8) and a key usage that allows signing, valid at the time of signing
and issued to the party, signed attributes whose content-type is the signed data's (id-data)
and whose messageDigest has the hash's length. The chain up to an accredited certification
centre and revocation are not checked either: ``Detached.not_checked`` lists all that.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from asn1crypto import cms, core, keys, pem, x509
from sqlalchemy.orm import Session

from signatures.evidence import file_evidence
from storage.errors import ValidationError
from storage.models import Document, StoredFile

SIG_MAX_BYTES = 1024 * 1024  # a signature with its certificate chain is a few kilobytes
MEDIA_TYPE = "application/pkcs7-signature"

STREEBOG_256, STREEBOG_512 = "1.2.643.7.1.1.2.2", "1.2.643.7.1.1.2.3"
KEY_256, KEY_512 = "1.2.643.7.1.1.1.1", "1.2.643.7.1.1.1.2"
DIGESTS = {  # ГОСТ Р 34.11-2012: OID → (label, length of the hash in bytes)
    STREEBOG_256: ("ГОСТ Р 34.11-2012 «Стрибог» 256 бит", 32),
    STREEBOG_512: ("ГОСТ Р 34.11-2012 «Стрибог» 512 бит", 64),
}
# SignerInfo.signatureAlgorithm: CryptoPro names the key's algorithm, other software the
# signature-with-digest one. OID → (label, the certificate key's OID)
SIGNATURES = {
    KEY_256: ("ГОСТ Р 34.10-2012, 256 бит", KEY_256),
    KEY_512: ("ГОСТ Р 34.10-2012, 512 бит", KEY_512),
    "1.2.643.7.1.1.3.2": ("ГОСТ Р 34.10-2012, 256 бит", KEY_256),
    "1.2.643.7.1.1.3.3": ("ГОСТ Р 34.10-2012, 512 бит", KEY_512),
}
KEY_DIGEST = {KEY_256: STREEBOG_256, KEY_512: STREEBOG_512}  # ТК 26: a key, its hash
LEGACY = {  # the superseded GOST: no qualified signature is made with them any more
    "1.2.643.2.2.9": "ГОСТ Р 34.11-94", "1.2.643.2.2.19": "ГОСТ Р 34.10-2001",
    "1.2.643.2.2.3": "ГОСТ Р 34.10-2001 с ГОСТ Р 34.11-94", "1.2.643.2.2.20": "ГОСТ Р 34.10-94",
    "1.2.643.2.2.4": "ГОСТ Р 34.10-94 с ГОСТ Р 34.11-94",
}
FOREIGN = {"rsa": "RSA", "rsassa_pkcs1v15": "RSA", "rsassa_pss": "RSA-PSS", "ecdsa": "ECDSA",
           "dsa": "DSA", "ed25519": "Ed25519", "ed448": "Ed448", "ec": "ECDSA"}
FOREIGN_DIGESTS = {"md5": "MD5", "sha1": "SHA-1", "sha224": "SHA-224", "sha256": "SHA-256",
                   "sha384": "SHA-384", "sha512": "SHA-512", "sha3_256": "SHA3-256",
                   "sha3_384": "SHA3-384", "sha3_512": "SHA3-512"}
SUBJECT_SIGN_TOOL, ISSUER_SIGN_TOOL = "1.2.643.100.111", "1.2.643.100.112"
CERTIFICATE_POLICIES = "2.5.29.32"
PROTECTION_CLASSES = {f"1.2.643.100.113.{n}": label for n, label in enumerate(
    ("КС1", "КС2", "КС3", "КВ1", "КВ2", "КА1"), start=1)}

GOST_NOT_CHECKED = ("Криптографическая проверка подписи по ГОСТ Р 34.10-2012 сервисом не "
                    "выполняется: значение подписи и совпадение хеша «Стрибог» с экземпляром "
                    "для подписания не проверены. Проверьте подпись в сертифицированном "
                    "средстве (КриптоПро и т. п.) или в сервисе подтверждения подлинности "
                    "электронной подписи на портале госуслуг.")
NOT_CHECKED = ("Цепочка сертификата до аккредитованного удостоверяющего центра и его отзыв "
               "сервисом не проверяются.")
TIME_NOT_CHECKED = ("Время подписания указано в подписи самим подписантом; штамп времени "
                    "сервисом не проверяется.")
USE_PAPER = ("Подпишите экземпляр для подписания квалифицированной подписью по ГОСТ "
             "(КриптоПро CSP и т. п.) либо на бумаге: распечатайте его, подпишите от руки и "
             "загрузите скан.")
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
    sign_tool: str  # the owner's signing tool (subjectSignTool)
    ca_tools: str  # the centre's tools and their certificates of conformity (issuerSignTool)
    protection: str = ""  # the classes of the signing tools, «КС1, КС2», if named


@dataclass(frozen=True)
class Detached:
    """A detached signature accepted for a party, with what was and was not checked."""

    certificate: Certificate
    digest_algorithm: str  # «ГОСТ Р 34.11-2012 «Стрибог» 256 бит»
    signature_algorithm: str  # «ГОСТ Р 34.10-2012, 256 бит»
    signed_at: datetime | None  # the CMS's signing time, if it carries one
    sha256: str  # of the .sig file itself
    checks: tuple[str, ...] = field(default=())  # Russian sentences: what was checked
    not_checked: tuple[str, ...] = field(default=())  # and what was not

    def record(self) -> dict[str, Any]:
        """What ``Signature.certificate`` keeps (JSON): the page and the API read it."""
        cert = self.certificate
        return {"subject": cert.subject, "serial": cert.serial,
                "not_before": cert.not_before.isoformat(),
                "not_after": cert.not_after.isoformat(), "issuer": cert.issuer,
                "sign_tool": cert.sign_tool, "ca_tools": cert.ca_tools,
                "protection": cert.protection, "digest_algorithm": self.digest_algorithm,
                "signature_algorithm": self.signature_algorithm,
                "signed_at": self.signed_at.isoformat() if self.signed_at else None,
                "signature_file_sha256": self.sha256, "checks": list(self.checks),
                "not_checked": list(self.not_checked)}


class _Algorithm(core.Sequence):
    """An AlgorithmIdentifier of any algorithm (asn1crypto's own refuse GOST keys)."""

    _fields = [("algorithm", core.ObjectIdentifier),
               ("parameters", core.Any, {"optional": True})]


class _KeyInfo(core.Sequence):
    """SubjectPublicKeyInfo read without knowing the key's algorithm."""

    _fields = [("algorithm", _Algorithm), ("public_key", core.OctetBitString)]


def _refuse(why: str) -> ValidationError:
    return ValidationError(f"Подпись не принята: {why}", {"file": [why]})


def read(data: bytes, *, signer_name: str | None = None,
         now: datetime | None = None) -> Detached:
    """The detached qualified signature ``data`` made by ``signer_name`` (the party's full
    name, if it must match the certificate); otherwise ValidationError saying why not. It
    is not compared with the signing copy: that needs «Стрибог» and the GOST signature
    check, which the service does not do (``GOST_NOT_CHECKED``)."""
    now = now or datetime.now(UTC)
    if not data:
        raise _refuse("файл подписи пуст (0 байт).")
    if len(data) > SIG_MAX_BYTES:
        raise _refuse(f"файл больше {SIG_MAX_BYTES // 1024} КБ — это не файл подписи.")
    signed_data = _signed_data(_der(data))
    try:
        signer = _only_signer(signed_data)
        digest_oid, signature_oid = _gost_algorithms(signer)
        cert = _signer_certificate(signed_data, signer)
        key = _check_key(cert, signature_oid)
        certificate = _describe(cert)
        attrs = _signed_attributes(signer, signed_data, digest_oid)
    except (ValueError, TypeError, KeyError, IndexError, OverflowError) as exc:
        raise _refuse("структура подписи CMS повреждена.") from exc
    signed_at = attrs.get("signing_time")
    _check_validity(certificate, signed_at or now, given=signed_at is not None)
    if signer_name is not None:
        _check_owner(certificate, signer_name)
    digest, signature = DIGESTS[digest_oid][0], SIGNATURES[signature_oid][0]
    checks = [
        "Файл — открепленная подпись CMS одного подписанта с его сертификатом.",
        f"Алгоритмы ГОСТ: подпись {signature}, хеш {digest}; ключ сертификата — "
        f"{SIGNATURES[key][0]}.",
        "В сертификате указаны средства электронной подписи владельца и удостоверяющего "
        "центра, как в квалифицированном сертификате (63-ФЗ ст. 17 ч. 2 п. 8); назначение "
        "ключа допускает подпись.",
        "Подписанные атрибуты: тип содержимого — данные файла (id-data), хеш подписанного "
        f"файла (messageDigest) длиной {DIGESTS[digest_oid][1] * 8} бит.",
        f"Сертификат действовал на момент подписания "
        f"({_when(signed_at or now)}{'' if signed_at else ', время загрузки'}).",
    ]
    if signer_name is not None:
        checks.append(f"Сертификат выдан подписанту: {signer_name}.")
    not_checked = [GOST_NOT_CHECKED, NOT_CHECKED] + ([TIME_NOT_CHECKED] if signed_at else [])
    return Detached(certificate, digest, signature, signed_at,
                    hashlib.sha256(data).hexdigest(), tuple(checks), tuple(not_checked))


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


def _label(algorithm: core.ObjectIdentifier) -> str:
    """A non-GOST algorithm as people know it: «ECDSA с SHA-256», «RSA», «SHA-1»."""
    dotted, native = algorithm.dotted, algorithm.native
    if dotted in LEGACY:
        return LEGACY[dotted]
    digest, _, kind = native.partition("_")
    if digest in FOREIGN_DIGESTS and kind in FOREIGN:
        return f"{FOREIGN[kind]} с {FOREIGN_DIGESTS[digest]}"
    return FOREIGN.get(native) or FOREIGN_DIGESTS.get(native) or (
        dotted if native == dotted else f"{native} ({dotted})")


def _gost_algorithms(signer: cms.SignerInfo) -> tuple[str, str]:
    """The signer's digest and signature OIDs if both are current GOST and agree."""
    digest, signature = signer["digest_algorithm"]["algorithm"], \
        signer["signature_algorithm"]["algorithm"]
    if digest.dotted in DIGESTS and signature.dotted in SIGNATURES:
        if KEY_DIGEST[SIGNATURES[signature.dotted][1]] != digest.dotted:
            raise _refuse(f"алгоритмы подписи не согласованы: подпись "
                          f"{SIGNATURES[signature.dotted][0]} делается с хешем "
                          f"{DIGESTS[KEY_DIGEST[SIGNATURES[signature.dotted][1]]][0]}, а в "
                          f"файле — {DIGESTS[digest.dotted][0]}. Файл подписи повреждён.")
        return digest.dotted, signature.dotted
    named = (f"подписи — {SIGNATURES.get(signature.dotted, (_label(signature),))[0]}, "
             f"хеширования — {DIGESTS.get(digest.dotted, (_label(digest),))[0]}")
    if {digest.dotted, signature.dotted} & LEGACY.keys():
        raise _refuse(f"подпись сделана по устаревшему ГОСТ (алгоритм {named}). Стандарт "
                      "ГОСТ Р 34.10-2001 заменён ГОСТ Р 34.10-2012, и квалифицированная "
                      f"подпись по нему больше не создаётся. {USE_PAPER}")
    raise _refuse(f"это не квалифицированная электронная подпись (алгоритм {named}). "
                  "Квалифицированная подпись создаётся средствами, сертифицированными ФСБ "
                  "России, по ГОСТ Р 34.10-2012 и ГОСТ Р 34.11-2012 (63-ФЗ ст. 5 ч. 4); "
                  "подпись RSA или ECDSA — в лучшем случае неквалифицированная, её для "
                  f"этого документа недостаточно. {USE_PAPER}")


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


def _check_key(cert: x509.Certificate, signature_oid: str) -> str:
    """The certificate key's GOST OID, that of the signature's algorithm; and a key usage,
    if the certificate restricts it, that allows signing."""
    spki = _KeyInfo.load(cert["tbs_certificate"]["subject_public_key_info"].dump())
    key = spki["algorithm"]["algorithm"]
    wanted = SIGNATURES[signature_oid][1]
    if key.dotted != wanted:
        label = SIGNATURES[key.dotted][0] if key.dotted in SIGNATURES else \
            _label(keys.PublicKeyAlgorithmId(key.dotted))
        raise _refuse(f"ключ сертификата подписанта — {label}, а подпись сделана по "
                      f"{SIGNATURES[signature_oid][0]}: сертификат не от этой подписи или не "
                      "квалифицированный.")
    usage = cert.key_usage_value
    if usage is not None and not usage.native & {"digital_signature", "non_repudiation"}:
        raise _refuse("ключ сертификата не предназначен для электронной подписи (в "
                      "сертификате не указано назначение «цифровая подпись»).")
    return key.dotted


def _extensions(cert: x509.Certificate, *wanted: str) -> dict[str, Any]:
    """The certificate's extensions ``wanted`` by OID, their values parsed (only those:
    a signing centre's private extension asn1crypto cannot parse is no reason to refuse)."""
    return {ext["extn_id"].dotted: ext["extn_value"].parsed.native
            for ext in cert["tbs_certificate"]["extensions"] or ()
            if ext["extn_id"].dotted in wanted}


def _sign_tools(cert: x509.Certificate) -> tuple[str, str, str]:
    """The owner's tool, the centre's tools, the classes of protection; refused if the
    certificate does not name the tools, as every qualified certificate does."""
    found = _extensions(cert, SUBJECT_SIGN_TOOL, ISSUER_SIGN_TOOL, CERTIFICATE_POLICIES)
    owner, centre = found.get(SUBJECT_SIGN_TOOL), found.get(ISSUER_SIGN_TOOL)
    if not owner or not centre:
        raise _refuse("сертификат подписанта не квалифицированный: в нём не указаны средства "
                      "электронной подписи владельца и удостоверяющего центра (расширения "
                      "subjectSignTool и issuerSignTool, 63-ФЗ ст. 17 ч. 2 п. 8). "
                      f"{USE_PAPER}")
    tools = [str(v) for v in (centre.values() if isinstance(centre, dict) else [centre]) if v]
    policies = found.get(CERTIFICATE_POLICIES) or []
    classes = [PROTECTION_CLASSES[p["policy_identifier"]] for p in policies
               if p.get("policy_identifier") in PROTECTION_CLASSES]
    return str(owner), "; ".join(tools), ", ".join(classes)


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
    return Certificate(subject, format(cert.serial_number, "X"),
                       validity["not_before"].native, validity["not_after"].native, issuer,
                       names, *_sign_tools(cert))


def _signed_attributes(signer: cms.SignerInfo, signed_data: cms.SignedData,
                       digest_oid: str) -> dict[str, Any]:
    """The signed attributes by name: a content-type that is the signed data's, id-data,
    and a messageDigest of the hash's length."""
    attrs = signer["signed_attrs"]
    if attrs.native is None:
        raise _refuse("в подписи нет подписанных атрибутов (хеша документа): такую подпись "
                      "нельзя связать с файлом.")
    found: dict[str, Any] = {}
    for attr in attrs:
        values = attr["values"]
        if len(values) == 1:
            found[attr["type"].native] = values[0].native
    signed = signed_data["encap_content_info"]["content_type"].native
    if "content_type" not in found:
        raise _refuse("в подписанных атрибутах нет типа содержимого (content-type), "
                      "обязательного в подписи CMS (RFC 5652, п. 5.3).")
    if found["content_type"] != signed:
        raise _refuse(f"тип содержимого в подписанных атрибутах («{found['content_type']}») "
                      f"не совпадает с типом подписанных данных («{signed}»): файл подписи "
                      "собран неправильно или изменён.")
    if signed != "data":
        raise _refuse(f"подписаны не данные файла, а «{signed}». Загрузите открепленную "
                      "подпись самого экземпляра для подписания.")
    digest = found.get("message_digest")
    label, length = DIGESTS[digest_oid]
    if not isinstance(digest, bytes):
        raise _refuse("в подписи нет хеша подписанного файла (messageDigest).")
    if len(digest) != length:
        raise _refuse(f"хеш подписанного файла (messageDigest) длиной {len(digest) * 8} бит, "
                      f"а хеш {label} — {length * 8} бит: файл подписи повреждён.")
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


def store(session: Session, doc: Document, signature: Detached, data: bytes, *, role: str,
          filename: str) -> StoredFile:
    """Keep the accepted signature file as ``doc``'s file ``role`` (``sig:<party>``)."""
    if signature.sha256 != hashlib.sha256(data).hexdigest():
        raise ValueError("the signature read is not the data stored")
    return file_evidence(session, doc, data, role=role, filename=filename,
                         media_type=MEDIA_TYPE)

"""GOST-shaped detached CMS signatures built with asn1crypto: the algorithm OIDs, the
certificate fields and extensions of a qualified certificate (a Russian subject with СНИЛС,
ИНН, ОГРН; subjectSignTool, issuerSignTool, the КС1 class) as CryptoPro writes them. The
key, the signature values and the messageDigest are random or stand-in bytes of the right
length: nothing here can be checked by GOST cryptography, and the service does not try."""

from __future__ import annotations

import base64
import hashlib
import os
from datetime import UTC, datetime, timedelta

from asn1crypto import cms, core, keys, pem, x509

STREEBOG_256, STREEBOG_512 = "1.2.643.7.1.1.2.2", "1.2.643.7.1.1.2.3"
GOST_256, GOST_512 = "1.2.643.7.1.1.1.1", "1.2.643.7.1.1.1.2"  # the key's (CryptoPro)
GOST_256_WITH_DIGEST = "1.2.643.7.1.1.3.2"
GOST_2001, GOST_94_DIGEST = "1.2.643.2.2.19", "1.2.643.2.2.9"
PARAM_SET = {GOST_256: "1.2.643.7.1.2.1.1.1", GOST_512: "1.2.643.7.1.2.1.2.1"}
KEY_BYTES = {GOST_256: 64, GOST_512: 128, GOST_2001: 64}
SNILS, INN, OGRN, INN_LE = "1.2.643.100.3", "1.2.643.3.131.1.1", "1.2.643.100.1", \
    "1.2.643.100.4"
SERIAL = 0x1A2B3C4D5E
CA = "Тестовый УЦ"


class _Algorithm(core.Sequence):
    _fields = [("algorithm", core.ObjectIdentifier),
               ("parameters", core.Any, {"optional": True})]


class _KeyInfo(core.Sequence):
    _fields = [("algorithm", _Algorithm), ("public_key", core.OctetBitString)]


class _KeyParameters(core.Sequence):
    _fields = [("public_key_param_set", core.ObjectIdentifier),
               ("digest_param_set", core.ObjectIdentifier)]


class _IssuerSignTool(core.Sequence):
    _fields = [(name, core.UTF8String) for name in
               ("sign_tool", "ca_tool", "sign_tool_cert", "ca_tool_cert")]


def _name(*pairs: tuple[str, str]) -> x509.Name:
    """An x509 Name, one attribute per RDN; numbers (СНИЛС, ИНН, ОГРН) as NumericString."""
    rdns = []
    for kind, value in pairs:
        typed = core.NumericString(value) if value.isdigit() and "." in kind else \
            x509.DirectoryString(name="utf8_string", value=value)
        rdns.append(x509.RelativeDistinguishedName([x509.NameTypeAndValue(
            {"type": kind, "value": typed})]))
    return x509.Name(name="", value=x509.RDNSequence(rdns))


def _key(algorithm: str) -> keys.PublicKeyInfo:
    parameters = _KeyParameters({"public_key_param_set": PARAM_SET.get(algorithm, GOST_256),
                                 "digest_param_set": STREEBOG_256}) \
        if algorithm in PARAM_SET else None
    info = _KeyInfo({"algorithm": {"algorithm": algorithm, "parameters": parameters},
                     "public_key": core.OctetString(
                         os.urandom(KEY_BYTES.get(algorithm, 64))).dump()})
    return keys.PublicKeyInfo.load(info.dump())


def _extension(oid: str, value, critical: bool = False) -> dict:
    return {"extn_id": oid, "critical": critical, "extn_value": value}


def certificate(surname: str = "Иванова", given: str = "Мария Петровна", *,
                organization: str | None = None, key: str = GOST_256,
                valid_from: timedelta = timedelta(days=-30),
                valid_for: timedelta = timedelta(days=365), tools: bool = True,
                usage: frozenset = frozenset({"digital_signature", "non_repudiation"})
                ) -> x509.Certificate:
    """A qualified-looking certificate of ``surname given`` (of ``organization``, if given:
    then its ИНН ЮЛ and ОГРН as well) issued by «Тестовый УЦ»; ``tools=False``: without the
    signing-tools extensions."""
    subject = [("common_name", organization or f"{surname} {given}"), ("surname", surname),
               ("given_name", given), ("title", "Учитель" if not organization else
                                       "Директор"), (SNILS, "12345678901"),
               (INN, "500100732259")]
    if organization:
        subject += [("organization_name", organization), (INN_LE, "5001007322"),
                    (OGRN, "1025000000017")]
    start = datetime.now(UTC).replace(microsecond=0) + valid_from
    extensions = [_extension("key_usage", x509.KeyUsage(set(usage)), critical=True)]
    if tools:
        extensions += [
            _extension("1.2.643.100.111", core.UTF8String("«КриптоПро CSP» (версия 5.0)").dump()),
            _extension("1.2.643.100.112", _IssuerSignTool({
                "sign_tool": "«КриптоПро CSP» (версия 5.0)",
                "ca_tool": "«КриптоПро УЦ» версии 2.0",
                "sign_tool_cert": "Сертификат соответствия № СФ/124-4256",
                "ca_tool_cert": "Сертификат соответствия № СФ/128-4263"}).dump()),
            _extension("certificate_policies", x509.CertificatePolicies([
                {"policy_identifier": "1.2.643.100.113.1"}]))]
    tbs = x509.TbsCertificate({
        "version": "v3", "serial_number": SERIAL,
        "signature": {"algorithm": GOST_256_WITH_DIGEST},
        "issuer": _name(("common_name", CA), ("organization_name", CA)),
        "validity": {"not_before": x509.Time(name="utc_time", value=start),
                     "not_after": x509.Time(name="utc_time", value=start + valid_for)},
        "subject": _name(*subject), "subject_public_key_info": _key(key),
        "extensions": extensions})
    return x509.Certificate({"tbs_certificate": tbs,
                             "signature_algorithm": {"algorithm": GOST_256_WITH_DIGEST},
                             "signature_value": os.urandom(64)})


def sign(data: bytes, cert: x509.Certificate | None = None, *, detached: bool = True,
         with_cert: bool = True, also: x509.Certificate | None = None,
         digest: str = STREEBOG_256, algorithm: str = GOST_256,
         signed_at: datetime | None | bool = True, content_type: str | None = "data",
         encap_type: str = "data", digest_bytes: int | None = None,
         encoding: str = "der") -> bytes:
    """A detached CMS «signature» of ``data`` by ``cert`` (Ивановой's by default) with the
    GOST algorithm OIDs ``digest`` and ``algorithm``; ``signed_at``: True for now, None for
    no signing time; ``content_type``: the signed attribute's (None: none); ``also``: a
    second signer; ``encoding``: der, pem or base64 (CryptoPro's bare .sig)."""
    cert = cert or certificate()
    length = digest_bytes or (64 if digest == STREEBOG_512 else 32)
    # a stand-in of the right length: «Стрибог» is not computed here
    stand_in = (hashlib.sha512(data).digest() * 2)[:length]
    when = datetime.now(UTC).replace(microsecond=0) if signed_at is True else signed_at
    attrs = [{"type": "message_digest", "values": [stand_in]}]
    if content_type is not None:
        attrs.insert(0, {"type": "content_type", "values": [content_type]})
    if when:
        attrs.append({"type": "signing_time", "values": [cms.Time(name="utc_time",
                                                                  value=when)]})
    signers = [{"version": "v1", "sid": {"issuer_and_serial_number": {
        "issuer": c.issuer, "serial_number": c.serial_number}},
        "digest_algorithm": {"algorithm": digest}, "signed_attrs": attrs,
        "signature_algorithm": {"algorithm": algorithm}, "signature": os.urandom(64)}
        for c in ([cert, also] if also is not None else [cert])]
    encap = {"content_type": encap_type} if detached else {"content_type": encap_type,
                                                           "content": data}
    signed = cms.SignedData({
        "version": "v1", "digest_algorithms": [{"algorithm": digest}],
        "encap_content_info": encap,
        "certificates": ([cert] + ([also] if also is not None else [])) if with_cert
        else None, "signer_infos": signers})
    der = cms.ContentInfo({"content_type": "signed_data", "content": signed}).dump()
    if encoding == "pem":
        return pem.armor("PKCS7", der)
    return base64.encodebytes(der) if encoding == "base64" else der

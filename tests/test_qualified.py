"""Detached qualified signatures (issue 9 point 3): only GOST is qualified (63-ФЗ ст. 5 ч. 4),
so an RSA or ECDSA file is refused saying so; a GOST file (built here with asn1crypto: its
signature bytes cannot be checked, which is the point) is read, its certificate shown, what
the service checked and what it did not (the GOST cryptography) said plainly, and every
file it cannot stand behind refused in Russian."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import pytest
from cryptography.hazmat.primitives import hashes

from signatures import qualified
from storage.errors import ValidationError
from tests.helpers import cms, gost

OWNER = "Иванова Мария Петровна"
COPY = b"%PDF-1.7\nthe signing copy\n%%EOF\n"
NOT_QUALIFIED = "Подпись не принята: это не квалифицированная электронная подпись (алгоритм "
LAW = ("Квалифицированная подпись создаётся средствами, сертифицированными ФСБ России, по ГОСТ "
       "Р 34.10-2012 и ГОСТ Р 34.11-2012 (63-ФЗ ст. 5 ч. 4)")


def refusal(data: bytes, signer: str | None = OWNER) -> str:
    with pytest.raises(ValidationError) as caught:
        qualified.read(data, signer_name=signer)
    assert caught.value.status == 422
    assert caught.value.message.startswith("Подпись не принята: ")
    assert caught.value.fields["file"][0] in caught.value.message
    return caught.value.message


def test_a_gost_signature_shows_its_certificate_and_what_was_and_was_not_checked():
    sig = gost.sign(COPY)
    read = qualified.read(sig, signer_name=OWNER)
    cert = read.certificate
    assert cert.subject == ("Владелец: Иванова Мария Петровна; Фамилия: Иванова; Имя и "
                            "отчество: Мария Петровна; Должность: Учитель; СНИЛС: "
                            "12345678901; ИНН: 500100732259")
    assert cert.issuer == "Владелец: Тестовый УЦ; Организация: Тестовый УЦ"
    assert cert.serial == "1A2B3C4D5E"
    assert cert.not_before < datetime.now(UTC) < cert.not_after
    assert cert.sign_tool == "«КриптоПро CSP» (версия 5.0)"
    assert "Сертификат соответствия № СФ/128-4263" in cert.ca_tools
    assert cert.protection == "КС1"
    assert read.digest_algorithm == "ГОСТ Р 34.11-2012 «Стрибог» 256 бит"
    assert read.signature_algorithm == "ГОСТ Р 34.10-2012, 256 бит"
    assert read.signed_at is not None and read.sha256 == hashlib.sha256(sig).hexdigest()
    assert read.checks == (
        "Файл — открепленная подпись CMS одного подписанта с его сертификатом.",
        "Алгоритмы ГОСТ: подпись ГОСТ Р 34.10-2012, 256 бит, хеш ГОСТ Р 34.11-2012 «Стрибог» "
        "256 бит; ключ сертификата — ГОСТ Р 34.10-2012, 256 бит.",
        "В сертификате указаны средства электронной подписи владельца и удостоверяющего "
        "центра, как в квалифицированном сертификате (63-ФЗ ст. 17 ч. 2 п. 8); назначение "
        "ключа допускает подпись.",
        "Подписанные атрибуты: тип содержимого — данные файла (id-data), хеш подписанного "
        "файла (messageDigest) длиной 256 бит.",
        f"Сертификат действовал на момент подписания ({read.signed_at:%d.%m.%Y %H:%M} UTC).",
        f"Сертификат выдан подписанту: {OWNER}.")
    assert read.not_checked == (qualified.GOST_NOT_CHECKED, qualified.NOT_CHECKED,
                                qualified.TIME_NOT_CHECKED)
    assert qualified.GOST_NOT_CHECKED.startswith(
        "Криптографическая проверка подписи по ГОСТ Р 34.10-2012 сервисом не выполняется")
    record = read.record()
    assert record["serial"] == "1A2B3C4D5E" and record["sign_tool"] == cert.sign_tool
    assert record["not_after"] == cert.not_after.isoformat()
    assert record["checks"] == list(read.checks)
    assert record["not_checked"] == list(read.not_checked)
    assert record["signature_algorithm"] == "ГОСТ Р 34.10-2012, 256 бит"


def test_pem_base64_512_bit_and_signature_with_digest_oids_are_read():
    assert qualified.read(gost.sign(COPY, encoding="pem")).certificate.serial == "1A2B3C4D5E"
    bare = gost.sign(COPY, encoding="base64")  # CryptoPro's .sig: base64 without armour
    assert not bare.startswith(b"-----") and qualified.read(bare).signed_at is not None
    long = qualified.read(gost.sign(COPY, gost.certificate(key=gost.GOST_512),
                                    digest=gost.STREEBOG_512, algorithm=gost.GOST_512))
    assert (long.signature_algorithm, long.digest_algorithm) == (
        "ГОСТ Р 34.10-2012, 512 бит", "ГОСТ Р 34.11-2012 «Стрибог» 512 бит")
    assert "хеш подписанного файла (messageDigest) длиной 512 бит." in long.checks[3]
    other = qualified.read(gost.sign(COPY, algorithm=gost.GOST_256_WITH_DIGEST))
    assert other.signature_algorithm == "ГОСТ Р 34.10-2012, 256 бит"


def test_a_signature_without_signing_time_is_checked_at_upload_time():
    read = qualified.read(gost.sign(COPY, signed_at=None), signer_name=OWNER)
    assert read.signed_at is None
    assert any(line.endswith(", время загрузки).") for line in read.checks)
    assert qualified.TIME_NOT_CHECKED not in read.not_checked


def test_an_organizations_certificate_names_its_head():
    cert = gost.certificate("Петров", "Иван Сергеевич", organization="МОУ СШ № 5")
    read = qualified.read(gost.sign(COPY, cert), signer_name="Петров Иван Сергеевич")
    assert "Организация: МОУ СШ № 5; ИНН ЮЛ: 5001007322; ОГРН: 1025000000017" in \
        read.certificate.subject


@pytest.mark.parametrize(("make", "named"), [
    (lambda: cms.sign(COPY), "подписи — ECDSA с SHA-256, хеширования — SHA-256"),
    (lambda: cms.sign(COPY, *cms.certificate(key=cms.rsa_key())),
     "подписи — RSA, хеширования — SHA-256"),
    (lambda: cms.sign(COPY, *cms.certificate(key=cms.rsa_key()), pss=True),
     "подписи — RSA-PSS, хеширования — SHA-256"),
    (lambda: cms.sign(COPY, digest=hashes.SHA512()),
     "подписи — ECDSA с SHA-512, хеширования — SHA-512"),
    (lambda: gost.sign(COPY, digest="2.16.840.1.101.3.4.2.1"),
     "подписи — ГОСТ Р 34.10-2012, 256 бит, хеширования — SHA-256"),
    (lambda: gost.sign(COPY, algorithm="1.2.840.10045.4.3.2"),
     "подписи — ECDSA с SHA-256, хеширования — ГОСТ Р 34.11-2012 «Стрибог» 256 бит"),
])
def test_rsa_or_ecdsa_is_refused_as_not_a_qualified_signature(make, named):
    message = refusal(make())
    assert message.startswith(NOT_QUALIFIED + named + "). ")
    assert LAW in message
    assert "подпись RSA или ECDSA — в лучшем случае неквалифицированная" in message
    assert message.endswith(qualified.USE_PAPER)
    assert "на бумаге: распечатайте его, подпишите от руки и загрузите скан" in message


def test_the_superseded_gost_2001_is_refused():
    message = refusal(gost.sign(COPY, gost.certificate(key=gost.GOST_2001),
                                digest=gost.GOST_94_DIGEST, algorithm=gost.GOST_2001))
    assert ("подпись сделана по устаревшему ГОСТ (алгоритм подписи — ГОСТ Р 34.10-2001, "
            "хеширования — ГОСТ Р 34.11-94). Стандарт ГОСТ Р 34.10-2001 заменён ГОСТ Р "
            "34.10-2012, и квалифицированная подпись по нему больше не создаётся.") in message
    assert message.endswith(qualified.USE_PAPER)


def test_algorithms_that_do_not_agree_are_refused():
    message = refusal(gost.sign(COPY, digest=gost.STREEBOG_512))
    assert ("алгоритмы подписи не согласованы: подпись ГОСТ Р 34.10-2012, 256 бит делается с "
            "хешем ГОСТ Р 34.11-2012 «Стрибог» 256 бит, а в файле — ГОСТ Р 34.11-2012 "
            "«Стрибог» 512 бит. Файл подписи повреждён.") in message
    ecdsa_key = refusal(gost.sign(COPY, gost.certificate(key="1.2.840.10045.2.1")))
    assert ("ключ сертификата подписанта — ECDSA, а подпись сделана по ГОСТ Р 34.10-2012, "
            "256 бит: сертификат не от этой подписи или не квалифицированный.") in ecdsa_key
    longer = refusal(gost.sign(COPY, gost.certificate(key=gost.GOST_512)))
    assert "ключ сертификата подписанта — ГОСТ Р 34.10-2012, 512 бит" in longer


def test_a_certificate_without_the_signing_tools_of_a_qualified_one_is_refused():
    message = refusal(gost.sign(COPY, gost.certificate(tools=False)))
    assert ("сертификат подписанта не квалифицированный: в нём не указаны средства "
            "электронной подписи владельца и удостоверяющего центра (расширения "
            "subjectSignTool и issuerSignTool, 63-ФЗ ст. 17 ч. 2 п. 8).") in message


def test_a_certificate_whose_key_is_not_for_signing_is_refused():
    cert = gost.certificate(usage=frozenset({"key_encipherment"}))
    assert "ключ сертификата не предназначен для электронной подписи" in refusal(
        gost.sign(COPY, cert))


@pytest.mark.parametrize(("options", "says"), [
    ({"content_type": None}, "в подписанных атрибутах нет типа содержимого (content-type), "
                             "обязательного в подписи CMS (RFC 5652, п. 5.3)."),
    ({"content_type": "signed_data"}, "тип содержимого в подписанных атрибутах "
                                      "(«signed_data») не совпадает с типом подписанных "
                                      "данных («data»): файл подписи собран неправильно"),
    ({"content_type": "enveloped_data", "encap_type": "enveloped_data"},
     "подписаны не данные файла, а «enveloped_data». Загрузите открепленную подпись самого "
     "экземпляра для подписания."),
    ({"digest_bytes": 20}, "хеш подписанного файла (messageDigest) длиной 160 бит, а хеш "
                           "ГОСТ Р 34.11-2012 «Стрибог» 256 бит — 256 бит: файл подписи "
                           "повреждён."),
])
def test_signed_attributes_that_do_not_describe_a_file_are_refused(options, says):
    assert says in refusal(gost.sign(COPY, **options))


@pytest.mark.parametrize(("data", "says"), [
    (b"", "файл подписи пуст (0 байт)."),
    (b"not a signature at all", "это не файл электронной подписи CMS (PKCS#7, .sig или .p7s)."),
    (b"\x30\x03\x02\x01\x05", "это не файл электронной подписи CMS"),
    (b"-----BEGIN PKCS7-----\nAAAA\n-----END PKCS7-----\n",
     "это не файл электронной подписи CMS"),
    (b"%PDF-1.7 a pdf, not a signature", "это не файл электронной подписи CMS"),
])
def test_garbage_is_refused(data, says):
    assert says in refusal(data)


def test_an_oversize_file_is_refused():
    assert "файл больше 1024 КБ — это не файл подписи." in refusal(
        b"\x30" * (qualified.SIG_MAX_BYTES + 1))


def test_a_signature_without_the_signer_certificate_is_refused():
    assert ("в файле нет сертификата подписанта. Сохраните подпись вместе с сертификатом "
            "(в КриптоПро: «Включить сертификат подписанта»).") in refusal(
        gost.sign(COPY, with_cert=False))


def test_an_attached_signature_is_refused():
    assert "подпись присоединённая (внутри неё сам документ). Загрузите открепленную" in \
        refusal(gost.sign(COPY, detached=False))


def test_two_signers_in_one_file_are_refused():
    other = gost.certificate("Петров", "Иван Сергеевич")
    assert ("в файле 2 подписей, а нужна одна: загрузите подпись каждой стороны отдельным "
            "файлом.") in refusal(gost.sign(COPY, also=other))


def test_a_certificate_expired_or_not_yet_valid_at_signing_time_is_refused():
    expired = gost.certificate(valid_from=timedelta(days=-400), valid_for=timedelta(days=365))
    message = refusal(gost.sign(COPY, expired))
    assert "сертификат подписанта на момент подписания" in message
    assert "не действовал: срок его действия с" in message
    future = gost.certificate(valid_from=timedelta(days=2))
    assert "сейчас (время подписания в файле не указано)" in refusal(
        gost.sign(COPY, future, signed_at=None))
    long_ago = datetime.now(UTC).replace(microsecond=0) - timedelta(days=60)
    assert "на момент подписания" in refusal(gost.sign(COPY, signed_at=long_ago))


def test_a_certificate_of_someone_else_is_refused():
    message = refusal(gost.sign(COPY, gost.certificate("Петров", "Иван Сергеевич")))
    assert ("сертификат выдан «Петров / Иван Сергеевич / Петров Иван Сергеевич», а "
            "подписать должен(а) Иванова Мария Петровна.") in message
    # ё and е are the same letter in a name
    read = qualified.read(gost.sign(COPY, gost.certificate("Семёнова", "Анна")),
                          signer_name="Семенова Анна")
    assert read.certificate.names[0] == "Семёнова"

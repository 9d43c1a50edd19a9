"""Detached qualified signatures (issue 9 point 3): the CMS read, the certificate shown,
the signed hash compared with the signing copy's, GOST said plainly not to be checked, and
every file the service cannot stand behind refused in Russian."""

from __future__ import annotations

import base64
import hashlib
from datetime import timedelta

import pytest
from cryptography.hazmat.primitives import hashes, serialization

from signatures import qualified
from storage.errors import ValidationError
from tests.helpers import cms

COPY = b"%PDF-1.7\nthe signing copy of the supplementary agreement\n%%EOF\n"
OWNER = "Иванова Мария Петровна"


def refusal(data: bytes, copy: bytes = COPY, signer: str | None = OWNER) -> str:
    with pytest.raises(ValidationError) as caught:
        qualified.read(data, copy, signer_name=signer)
    assert caught.value.status == 422
    assert caught.value.message.startswith("Подпись не принята: ")
    return caught.value.message


def test_a_detached_sha256_signature_shows_its_certificate_and_what_was_checked():
    sig = cms.sign(COPY)
    read = qualified.read(sig, COPY, signer_name=OWNER)
    cert = read.certificate
    assert cert.subject.startswith("Владелец: Иванова Мария Петровна; Фамилия: Иванова; "
                                   "Имя и отчество: Мария Петровна; Должность: Учитель")
    assert "СНИЛС: 12345678901" in cert.subject
    assert cert.issuer == "Владелец: Тестовый УЦ"
    assert cert.serial == "1A2B3C4D5E"
    assert cert.not_before < cert.not_after
    assert (read.digest_algorithm, read.gost) == ("SHA-256", False)
    assert read.signed_at is not None and read.sha256 == hashlib.sha256(sig).hexdigest()
    assert "Хеш SHA-256 подписанного файла совпадает с хешем копии для подписания." \
        in read.checks
    assert "Значение подписи проверено ключом из сертификата подписанта." in read.checks
    assert f"Сертификат выдан подписанту: {OWNER}." in read.checks
    assert qualified.NOT_CHECKED in read.checks
    record = read.record()
    assert record["serial"] == "1A2B3C4D5E" and record["gost"] is False
    assert record["not_after"] == cert.not_after.isoformat()
    assert record["checks"] == list(read.checks)


def test_pem_and_bare_base64_rsa_and_pss_signatures_are_read():
    pem = cms.sign(COPY, encoding=serialization.Encoding.PEM)
    assert pem.startswith(b"-----BEGIN")
    assert qualified.read(pem, COPY, signer_name=OWNER).digest_algorithm == "SHA-256"
    bare = base64.encodebytes(cms.sign(COPY))  # CryptoPro's .sig: base64 without armour
    assert qualified.read(bare, COPY, signer_name=OWNER).certificate.serial == "1A2B3C4D5E"
    key = cms.rsa_key()
    cert, _ = cms.certificate(key=key)
    assert qualified.read(cms.sign(COPY, cert, key), COPY).gost is False
    assert qualified.read(cms.sign(COPY, cert, key, pss=True), COPY).gost is False
    sha512 = qualified.read(cms.sign(COPY, digest=hashes.SHA512()), COPY)
    assert sha512.digest_algorithm == "SHA-512"


def test_a_gost_signature_is_accepted_saying_plainly_that_gost_is_not_checked():
    read = qualified.read(cms.as_gost(cms.sign(b"any other bytes")), COPY, signer_name=OWNER)
    assert read.gost is True
    assert read.digest_algorithm == "ГОСТ Р 34.11-2012 «Стрибог» 256 бит"
    assert qualified.GOST_NOT_CHECKED in read.checks
    assert "Криптографическая проверка подписи по ГОСТ Р 34.10-2012 сервисом не " \
           "выполняется" in read.record()["checks"][-2]
    assert not any("совпадает" in line for line in read.checks)


def test_a_signature_of_another_file_is_refused_as_a_mismatch():
    message = refusal(cms.sign(b"another document"))
    assert "подпись сделана для другого файла: хеш SHA-256 в подписи" in message
    assert "Скачайте копию для подписания и подпишите её" in message


def test_a_forged_signature_value_is_refused():
    assert "значение подписи не соответствует сертификату" in refusal(
        cms.tampered(cms.sign(COPY)))


@pytest.mark.parametrize(("data", "says"), [
    (b"", "файл подписи пуст"),
    (b"not a signature at all", "это не файл электронной подписи CMS"),
    (b"\x30\x03\x02\x01\x05", "это не файл электронной подписи CMS"),
    (b"-----BEGIN PKCS7-----\nAAAA\n-----END PKCS7-----\n",
     "это не файл электронной подписи CMS"),
    (b"%PDF-1.7 a pdf, not a signature", "это не файл электронной подписи CMS"),
])
def test_garbage_is_refused(data, says):
    assert says in refusal(data)


def test_an_oversize_file_is_refused():
    assert "файл больше 1024 КБ" in refusal(b"\x30" * (qualified.SIG_MAX_BYTES + 1))


def test_a_signature_without_the_signer_certificate_is_refused():
    assert "в файле нет сертификата подписанта" in refusal(cms.sign(COPY, with_cert=False))


def test_an_attached_signature_is_refused():
    assert "подпись присоединённая" in refusal(cms.sign(COPY, detached=False))


def test_two_signers_in_one_file_are_refused():
    other = cms.certificate("Петров", "Иван Сергеевич")
    assert "в файле 2 подписей, а нужна одна" in refusal(cms.sign(COPY, also=other))


def test_a_certificate_expired_or_not_yet_valid_at_signing_time_is_refused():
    expired = cms.certificate(valid_from=timedelta(days=-400), valid_for=timedelta(days=365))
    message = refusal(cms.sign(COPY, *expired))
    assert "сертификат подписанта на момент подписания" in message
    assert "не действовал: срок его действия с" in message
    future = cms.certificate(valid_from=timedelta(days=2))
    assert "не действовал" in refusal(cms.sign(COPY, *future))


def test_a_certificate_of_someone_else_is_refused():
    message = refusal(cms.sign(COPY, *cms.certificate("Петров", "Иван Сергеевич")))
    assert "сертификат выдан «Петров / Иван Сергеевич / Петров Иван Сергеевич», а " \
           "подписать должен(а) Иванова Мария Петровна" in message
    # ё and е are the same letter in a name
    read = qualified.read(cms.sign(COPY, *cms.certificate("Семёнова", "Анна")), COPY,
                          signer_name="Семенова Анна")
    assert read.certificate.names[0] == "Семёнова"

"""Benchmark of the organization's seal: sealing a PDF against converting its DOCX.

Run: ``.venv/bin/python bench/seal_bench.py``. Converts ``pdf_bench``'s order (a 50-row table
of pairs) to PDF/A-2b with the warm converter pool, then, in the same run and process, seals
that PDF (``signatures.seal.seal_pdf``: PAdES B-B with the visible PT Serif stamp) with a
development certificate (ECDSA P-256, what ``flask seal dev-certificate`` makes) and with an
RSA-2048 one (what a school's uploaded PKCS#12 usually holds), and checks the seal
(``signatures.seal.check``). Each is the median of ``-n`` (default 20) after three warm-up
rounds, the four interleaved so that each sees the same load; the seal is printed as a ratio
of the conversion it follows. Asserts nothing.
"""

import argparse
import io
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from pdf_bench import order_docx
from pypdf import PdfReader

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from doc_templates import pdf  # noqa: E402
from signatures import seal, seal_certificates  # noqa: E402
from signatures.seal_certificates import Credentials  # noqa: E402

SCHOOL = "МОУ СШ № 7"


def rsa_credentials() -> Credentials:
    """A self-signed RSA-2048 seal certificate (key usage digitalSignature)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, SCHOOL),
                      x509.NameAttribute(NameOID.COMMON_NAME, SCHOOL)])
    now = datetime.now(UTC)
    usage = x509.KeyUsage(digital_signature=True, content_commitment=True,
                          key_encipherment=False, data_encipherment=False, key_agreement=False,
                          key_cert_sign=False, crl_sign=False, encipher_only=False,
                          decipher_only=False)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=365))
            .add_extension(usage, critical=True).sign(key, hashes.SHA256()))
    return Credentials(key, cert, ())


def medians_ms(n: int, runs: dict) -> dict:
    """The median time (ms) of each of ``runs`` (name → a call), run interleaved so that
    every one sees the same load of the machine: three warm-up rounds, then ``n``."""
    times: dict = {name: [] for name in runs}
    for round_ in range(n + 3):
        for name, run in runs.items():
            started = time.perf_counter()
            run()
            if round_ >= 3:
                times[name].append(time.perf_counter() - started)
    return {name: statistics.median(values) * 1000 for name, values in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=20, help="timed runs of each (default 20)")
    args = parser.parse_args()
    if not pdf.available():
        sys.exit("LibreOffice or python3-uno is not installed")
    document = order_docx()
    development, rsa_2048 = seal_certificates.development(SCHOOL), rsa_credentials()
    with pdf.ConverterPool(size=1) as pool:
        pool.wait_ready()
        converted = pool.convert(document, pdfa=True)
        sealed = seal.seal_pdf(converted, development)
        roots = seal.trust_roots_from_pem(development.trust_roots_pem())
        assert seal.check(sealed, roots) is seal.SealStatus.VALID
        ms = medians_ms(args.n, {
            "convert": lambda: pool.convert(document, pdfa=True),
            "ecdsa": lambda: seal.seal_pdf(converted, development),
            "rsa": lambda: seal.seal_pdf(converted, rsa_2048),
            "check": lambda: seal.check(sealed, roots)})
    convert, ecdsa, rsa_ms, check = ms["convert"], ms["ecdsa"], ms["rsa"], ms["check"]
    pages = len(PdfReader(io.BytesIO(converted)).pages)
    added = (len(sealed) - len(converted)) // 1024
    print(f"Order with a 50-row table: {pages} pages, PDF {len(converted) // 1024} KiB; "
          f"medians of {args.n}; the seal adds {added} KiB")
    for label, value in (("DOCX -> PDF/A-2b, warm pool", convert),
                         ("seal, development ECDSA P-256", ecdsa), ("seal, RSA-2048", rsa_ms),
                         ("check of the seal", check)):
        ratio = f"{value / convert:.2f}x of the conversion" if label.startswith("seal") else ""
        print(f"{label:<32}{value:>7.0f} ms   {ratio}")

if __name__ == "__main__":
    main()

"""``flask demo`` on an empty database: every state and many kinds, idempotent, and every
route of signing (issue 9 point 8): the teachers' consents signed by the teachers with ПЭП
after joining the regulation, a supplementary agreement on paper with the scan of its
signed copy, an order acknowledged by some (a click, the paper sheet) and awaited from
others, a new hire who has not joined the regulation, every archived PDF sealed."""

from __future__ import annotations

import io

import pytest
from flask import current_app
from pypdf import PdfReader
from sqlalchemy import func, select

from doc_templates import pdf
from signatures import agreement, scans
from signatures.seal import SealStatus
from storage.blobs import blobs
from storage.db import db_session
from storage.models import Document, EsignAcceptance, Organization, StoredFile, User
from tests.helpers.database import Snapshot, empty_tables
from webforms import create_app, demo_scans
from workflows import acknowledgments, audit, sealing, signatories

CONFIG = {"TESTING": True, "REDIS_URL": None, "SECRET_KEY": "test-secret",
          "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"}


def run_demo() -> None:
    result = current_app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.output


def demo_built(database_url: str, folder, *, pdf_enabled: bool) -> Snapshot:
    return Snapshot.build(database_url, folder, run_demo,
                          {**CONFIG, "PDF_ENABLED": pdf_enabled})


@pytest.fixture(scope="module")
def built(database_url, tmp_path_factory) -> Snapshot:
    """What ``flask demo`` makes on an empty database (PDF off), built once."""
    return demo_built(database_url, tmp_path_factory.mktemp("flask-demo"), pdf_enabled=False)


def app_on(snapshot: Snapshot, tmp_path, *, pdf_enabled: bool = False):
    url, storage = snapshot.restore(tmp_path)
    return create_app({**CONFIG, "PDF_ENABLED": pdf_enabled, "DATABASE_URL": url,
                       "STORAGE_DIR": storage})


@pytest.fixture
def session(built, tmp_path):
    """A session on this test's copy of the demo."""
    app = app_on(built, tmp_path)
    with app.app_context():
        yield db_session()
    app.extensions["db_engine"].dispose()


def signed_of(session, kind: str) -> list[Document]:
    return list(session.scalars(select(Document).where(
        Document.kind == kind, Document.state == "signed").order_by(Document.id)))


def ink(data: bytes) -> int:
    """The dark pixels of a scan's last page, where the signatures are (its image, as the
    demo makes scans)."""
    page = PdfReader(io.BytesIO(data)).pages[-1]
    image = next(iter(page["/Resources"]["/XObject"].values())).get_object()
    return sum(1 for v in image.get_data() if v <= demo_scans.INK)


def test_demo_fills_an_empty_database_once(app, runner):
    empty_tables(app.config["DATABASE_URL"])
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    assert "director" in first.output and "nastavnik2026" in first.output
    with app.app_context():
        session = db_session()
        count = session.scalar(select(func.count()).select_from(Document))
        states = set(session.scalars(select(Document.state)))
        kinds = set(session.scalars(select(Document.kind)))
        assert states == {"draft", "in_approval", "approved", "returned", "cancelled", "signed"}
        assert {"mentor_consent", "pd_consent", "pairing_order", "mentoring_program",
                "regulation_order", "curator_order", "final_report"} <= kinds
        signed = session.scalars(select(Document).where(Document.state == "signed")).all()
        assert all(session.scalars(select(StoredFile).where(
            StoredFile.document_id == d.id, StoredFile.role == "signed_docx")).first()
            for d in signed)
        for org_id in session.scalars(select(Organization.id)):
            assert audit.verify(session, org_id).ok
    again = runner.invoke(args=["demo"])
    assert again.exit_code == 0, again.output
    with app.app_context():
        assert db_session().scalar(select(func.count()).select_from(Document)) == count


def test_the_teachers_sign_their_consents_themselves_with_pep_after_joining(session):
    consents = signed_of(session, "pd_consent") + signed_of(session, "participant_consent")
    assert len(consents) == 8  # five personal-data consents, three of the mentees
    for doc in consents:
        [sig] = signatories.signatures_of(session, doc)
        account = session.get(User, sig.user_id)
        assert (sig.part, sig.method) == ("subject", "simple"), doc.title
        assert account.person_id == doc.person_id and sig.person_id == doc.person_id
        assert sig.signature_id and sig.sha256 == session.scalars(select(StoredFile.sha256).where(
            StoredFile.document_id == doc.id, StoredFile.role == "signing_copy")).one()
        acceptance = agreement.accepted(session, account, doc.organization_id)
        assert acceptance is not None and acceptance.accepted_at <= sig.signed_at


def test_a_supplementary_agreement_is_signed_on_paper_with_the_scan_of_its_copy(session):
    agreements = signed_of(session, "mentoring_agreement")
    assert agreements
    for doc in agreements:
        sigs = signatories.signatures_of(session, doc)
        assert [(s.part, s.method) for s in sigs] == [("employee", "paper"), ("employer", "paper")]
        [scan] = {session.get(StoredFile, s.file_id) for s in sigs}  # one scan of the copy
        data = blobs().get(scan.sha256)
        assert scan.role == "scan:copy" and "скан (подписанный экземпляр)" in scan.filename
        assert scans.check(data, scan.filename).kind == "pdf"
        assert ink(data) > 500  # the pen strokes, not a blank page
        assert all(s.sha256 == scan.sha256 and s.signature_id is None for s in sigs)


def test_an_order_is_acknowledged_by_some_and_awaited_from_others(session):
    [order] = signed_of(session, "regulation_order")
    lines = {s.person.last_name: s for s in acknowledgments.status(session, order)}
    given = {name: s.method for name, s in lines.items() if s.acknowledged_at}
    assert given == {"Иванова": "click", "Шевчук": "click", "Петрова-Водкина": "paper"}
    assert {"Седых", "Гоголь", "Кравец"} <= {n for n, s in lines.items() if not s.acknowledged_at}
    paper = acknowledgments.records(session, order)[lines["Петрова-Водкина"].person.id]
    scan = blobs().get(session.get(StoredFile, paper.file_id).sha256)
    assert scans.check(scan).kind == "pdf" and ink(scan) > 200
    sheet = acknowledgments.sheet(session, order)
    assert "Ознакомлены: 3 из" in sheet.notes[0]
    assert audit.verify(session, order.organization_id).ok


def test_a_new_hire_has_an_account_but_has_not_joined_the_pep_regulation(session):
    vodkina = session.scalars(select(User).where(User.login == "vodkina")).one()
    org_id = vodkina.memberships[0].organization_id
    assert session.scalars(select(EsignAcceptance).where(
        EsignAcceptance.user_id == vodkina.id)).all() == []
    assert agreement.accepted(session, vodkina, org_id) is None
    others = session.scalars(select(User).where(User.login.in_(("ivanova", "sedykh")))).all()
    assert all(agreement.accepted(session, u, org_id) for u in others)


@pytest.mark.pdf
@pytest.mark.skipif(not pdf.available(), reason="LibreOffice (soffice) or a Python with uno "
                    "(python3-uno) is not installed")
def test_every_archived_pdf_of_the_demo_is_sealed_and_valid(database_url, tmp_path):
    (tmp_path / "built").mkdir()
    snapshot = demo_built(database_url, tmp_path / "built", pdf_enabled=True)
    app = app_on(snapshot, tmp_path / "copy", pdf_enabled=True)
    with app.app_context():
        session = db_session()
        found = list(sealing.verify(session))
        signed = session.scalar(select(func.count()).select_from(Document).where(
            Document.state == "signed"))
        assert len(found) == signed + 1  # each signed copy and the newest sheet
        assert {f.check.status for f in found} == {SealStatus.VALID}
        assert {f.stored.role for f in found} == {"signed_pdf", "ack_sheet_pdf:3"}
        agreement_scan = session.scalars(select(StoredFile).where(
            StoredFile.role == "scan:copy")).first()
        data = blobs().get(agreement_scan.sha256)
        assert len(PdfReader(io.BytesIO(data)).pages) == 2  # both pages of the copy
        assert ink(data) > 500
    app.extensions["db_engine"].dispose()

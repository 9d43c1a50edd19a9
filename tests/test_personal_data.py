"""Withdrawal of the personal-data consent and erasure within 30 days (152-ФЗ ст. 21 ч. 5)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from storage.db import db_session
from storage.models import AuditEntry, BankEntry, Document, Erasure, User
from tests.helpers import documents as f
from tests.helpers.kinds import agreement_data, participant_data, pd_data
from workflows import audit, bank, personal_data
from workflows.errors import RuleViolation
from workflows.vocabulary import MENTEE_CATEGORIES

WITHDRAWN = date(2026, 9, 10)


def setup_sedykh() -> dict[str, int]:
    """Седых: consents signed, in the bank, named in a draft agreement and her own draft."""
    sedykh = f.person("Седых")
    pd = f.signed("pd_consent", pd_data(sedykh.id))
    signed = f.signed("participant_consent", participant_data(sedykh.id))
    bank.add(db_session(), sedykh, "mentee", category=MENTEE_CATEGORIES[0],
             competences="хочу освоить проектную методику")
    own_draft = f.draft("participant_consent", participant_data(
        sedykh.id, request="запрос Седых Ирины Павловны о помощи"))
    agreement = f.draft("mentoring_agreement", agreement_data("Иванова", mentees=("Седых",)))
    f.walk(agreement, "submit")
    other = f.draft("mentoring_agreement", agreement_data("Иванова", mentees=("Гоголь",)))
    db_session().commit()
    return {"person": sedykh.id, "pd": pd.id, "signed": signed.id, "own_draft": own_draft.id,
            "agreement": agreement.id, "other": other.id}


def withdraw_sedykh() -> Erasure:
    erasure = personal_data.withdraw(db_session(), f.person("Седых"), WITHDRAWN, f.user("curator"))
    db_session().commit()
    return erasure


def test_withdrawal_takes_the_person_out_of_the_bank_and_unsigned_documents(demo, app):
    with app.app_context():
        ids = setup_sedykh()
        erasure = withdraw_sedykh()
        session = db_session()
        sedykh = f.person("Седых")
        assert sedykh.pd_withdrawn_on == WITHDRAWN
        assert erasure.due_on == date(2026, 10, 10)
        entry = session.scalars(select(BankEntry).where(BankEntry.person_id == sedykh.id)).one()
        assert entry.withdrawn_at is not None
        assert not bank.in_bank(session, sedykh, "mentee")
        for key in ("own_draft", "agreement"):
            doc = session.get(Document, ids[key])
            assert doc.state == "cancelled"
            assert "отозвал согласие на их обработку 10.09.2026" in doc.last_comment
        assert session.get(Document, ids["other"]).state == "draft"  # does not name her
        assert session.get(Document, ids["signed"]).state == "signed"
        assert session.get(Document, ids["pd"]).state == "signed"
        actions = session.scalars(select(AuditEntry.action).where(
            AuditEntry.document_id == ids["agreement"])).all()
        assert actions[-1] == "cancel"
        assert audit.verify(session, sedykh.organization_id).ok


def test_withdrawn_person_cannot_enter_the_bank_nor_withdraw_twice(demo, app):
    with app.app_context():
        setup_sedykh()
        withdraw_sedykh()
        sedykh = f.person("Седых")
        with pytest.raises(RuleViolation) as err:
            bank.add(db_session(), sedykh, "mentee", category=MENTEE_CATEGORIES[0])
        assert err.value.message == (
            "Нельзя внести Седых Ирину Павловну в банк наставляемых: согласие на обработку "
            "персональных данных отозвано 10.09.2026.")
        with pytest.raises(RuleViolation, match="уже отозвал\\(а\\) согласие"):
            personal_data.withdraw(db_session(), sedykh, WITHDRAWN, None)
        # and consents that need the personal-data consent are refused
        doc = f.draft("participant_consent", participant_data(sedykh.id))
        with pytest.raises(RuleViolation, match="нет подписанного согласия на обработку"):
            f.walk(doc, "submit")


def test_erasure_after_30_days_leaves_signed_documents_untouched(demo, app):
    with app.app_context():
        ids = setup_sedykh()
        withdraw_sedykh()
        session = db_session()
        signed_before = dict(session.get(Document, ids["signed"]).data)
        signed_hash = session.get(Document, ids["signed"]).content_hash

        assert personal_data.erase_due(session, date(2026, 10, 9)) == []
        assert f.person("Седых").erased_at is None

        done = personal_data.erase_due(session, date(2026, 10, 10))
        session.commit()
        assert len(done) == 1
        erasure = session.scalars(select(Erasure)).one()
        assert erasure.erased_at is not None
        assert f"№ {ids['own_draft']}" in erasure.details
        assert f"не изменялись: № {ids['pd']}, № {ids['signed']}" in erasure.details

        person = session.get(type(f.person("Иванова")), ids["person"])
        assert person.last_name == "Субъект ПДн удалён" and person.first_name == ""
        assert person.position == "" and person.subject == "" and person.email == ""
        assert person.erased_at is not None
        login = session.scalars(select(User).where(User.login == "sedykh")).one()
        assert login.last_name == "Субъект ПДн удалён" and not login.is_active
        entry = session.scalars(select(BankEntry).where(BankEntry.person_id == person.id)).one()
        assert entry.competences == "" and entry.category == ""

        own = session.get(Document, ids["own_draft"])
        assert own.data["person_name"] == "Субъект ПДн удалён"
        assert own.data["person"]["last_name"] == "Субъект ПДн удалён"
        assert own.data["request"] == ""
        assert "Седых" not in own.title
        assert "Седых" not in repr(own.data)

        signed = session.get(Document, ids["signed"])
        assert signed.data == signed_before and signed.content_hash == signed_hash
        assert signed.data["person"]["last_name"] == "Седых"
        assert audit.verify(session, person.organization_id).ok

        assert personal_data.erase_due(session, date(2026, 12, 1)) == []  # idempotent


def test_a_new_consent_before_the_due_date_cancels_the_erasure(demo, app):
    with app.app_context():
        setup_sedykh()
        withdraw_sedykh()
        f.signed("pd_consent", pd_data(f.person("Седых").id, statement_date="2026-09-20"))
        assert f.person("Седых").pd_withdrawn_on is None
        assert personal_data.erase_due(db_session(), date(2026, 10, 10)) == []
        erasure = db_session().scalars(select(Erasure)).one()
        assert erasure.erased_at is None and "новое согласие" in erasure.details


def test_cli_erase_due(demo, app, runner):
    with app.app_context():
        setup_sedykh()
        withdraw_sedykh()
    result = runner.invoke(args=["people", "erase-due", "--today", "2026-10-10"])
    assert result.exit_code == 0, result.output
    assert "Уничтожено: 1." in result.output
    with app.app_context():
        assert db_session().scalars(select(Erasure)).one().erased_at is not None

"""The demo pairs and programs: built through the workflow, in several states, idempotent."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select

from storage.db import db_session
from storage.models import Document, MentoringGroup, Program
from tests.helpers.documents import organization, person, user
from tests.helpers.pairs import on_file
from webforms.demo_programs import seed
from workflows import approval_routes, audit

LOGINS = ("clerk", "curator", "director", "ivanova", "shevchuk", "sedykh", "gogol", "kravets",
          "vodkina")


def agreement(mentor: str, *mentees: str, form="традиционная форма наставничества") -> None:
    on_file(mentor, "pd_consent", "mentor_consent")
    for m in mentees:
        on_file(m, "pd_consent", "participant_consent")
    p = person(mentor)
    db_session().add(Document(
        organization_id=p.organization_id, kind="mentoring_agreement", state="signed",
        title="соглашение", person_id=p.id, author_id=user("clerk").id,
        signed_at=datetime.now(UTC), data={
            "person_id": p.id, "mentee_ids": [person(m).id for m in mentees], "form": form,
            "start_date": "2026-09-01", "end_date": "2027-06-30", "pay": "5000.00"}))
    db_session().commit()


def test_demo_programs_in_every_state(app):
    with app.app_context():
        agreement("Иванова", "Кравец")
        agreement("Шевчук", "Гоголь", "Петрова-Водкина", form="наставничество в группе")
        agreement("Седых", "Кравец")  # Кравец is taken: this agreement gives no row
        on_file("Сидорова", "pd_consent", "mentor_consent")
        agreement("Сидорова", "Седых")
        users = {login: user(login) for login in LOGINS}
        seed(db_session(), organization(), users)
        db_session().commit()

        order = db_session().scalars(select(Document).where(
            Document.kind == "pairing_order")).one()
        assert order.state == "signed" and order.number == "1-од"
        groups = db_session().scalars(select(MentoringGroup).order_by(MentoringGroup.id)).all()
        assert [g.mentor.last_name for g in groups] == ["Иванова", "Шевчук", "Сидорова"]
        assert groups[1].form == "наставничество в группе" and len(groups[1].members) == 2

        programs = db_session().scalars(select(Program).order_by(Program.id)).all()
        assert [p.status for p in programs] == ["active", "ended_early"]
        assert programs[1].results_published_at is None  # published once its end date comes
        assert groups[1].status == "ended" and groups[0].status == "active"

        change = db_session().scalars(select(Document).where(
            Document.kind == "program_change")).one()
        assert change.state == "in_approval"
        waiting = approval_routes.pending(db_session(), change)
        assert waiting[0].person_ids == [person("Кравец").id]  # the mentor has agreed

        third = db_session().scalars(select(Document).where(
            Document.kind == "mentoring_program", Document.state == "in_approval")).one()
        assert third.data["group_id"] == groups[2].id
        assert date.fromisoformat(third.data["end_date"]) == date(2027, 6, 1)
        assert audit.verify(db_session(), organization().id).ok

        seed(db_session(), organization(), users)  # idempotent
        assert db_session().scalars(select(Document).where(
            Document.kind == "pairing_order")).all() == [order]


def test_demo_programs_without_agreements_do_nothing(app):
    with app.app_context():
        seed(db_session(), organization(), {login: user(login) for login in LOGINS})
        assert db_session().scalars(select(MentoringGroup)).all() == []

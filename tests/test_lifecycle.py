"""The lifecycle table is the whole machine: every effect and condition it names is applied,
edit goes through its arrow only, the arrows a user is offered come from the same rows, and
a job never commits its caller's transaction."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from storage.db import db_session
from storage.models import Document, Organization, Person, User
from storage.roles import Role
from workflows import documents, jobs, lifecycle
from workflows.errors import RuleViolation
from workflows.lifecycle import TRANSITIONS

CLERK, DIRECTOR = frozenset({Role.CLERK}), frozenset({Role.DIRECTOR})


def _user(login: str) -> User:
    return db_session().scalars(select(User).where(User.login == login)).one()


def _consent() -> Document:
    """A committed draft of a mentor's consent in the demo school, by the clerk."""
    session = db_session()
    org = session.scalars(select(Organization).where(
        Organization.short_name == "МОУ СШ № 5")).one()
    person = session.scalars(select(Person).where(Person.last_name == "Седых")).one()
    doc = documents.create(session, organization_id=org.id, kind="mentor_consent",
                           data={"person_id": person.id, "statement_date": "2026-11-20",
                                 "duties": "наставничество", "notes": ""},
                           author=_user("clerk"))
    session.commit()
    return doc


def test_every_effect_and_condition_of_the_table_has_its_function():
    effects = {e for t in TRANSITIONS.values() for e in (*t.effects, *t.completing)}
    conditions = {b.when for t in TRANSITIONS.values() for b in t.branches}
    assert effects <= set(documents.EFFECTS) and conditions <= set(documents.CONDITIONS)
    assert lifecycle.takers(TRANSITIONS["approve"]) == frozenset(Role)


def test_the_signature_arrow_is_declared_in_the_table():
    """Any party still to sign takes it; it stays approved while parties remain (a partial
    branch), and registers the document only when the last has signed (issue 9)."""
    sign = TRANSITIONS["sign"]
    assert sign.signature_due and sign.needs_password and not sign.roles
    assert lifecycle.takers(sign) == frozenset(Role)
    assert sign.effects == (lifecycle.RECORD_SIGNATURE,)
    assert sign.branches == (lifecycle.Branch(lifecycle.SIGNATURES_PENDING,
                                              lifecycle.DocState.APPROVED, partial=True),)
    assert sign.completing == (lifecycle.NUMBER, lifecycle.SIGN, lifecycle.FILE_SIGNED)
    assert TRANSITIONS["return"].before_signatures


def test_the_sign_arrow_is_offered_to_the_party_and_shown_in_its_own_section(app):
    with app.app_context():
        doc = _consent()
        for action in ("submit", "approve"):
            documents.transition(db_session(), doc, action, actor=_user("director"),
                                 roles=DIRECTOR)
        db_session().commit()
        teacher = _user("sedykh")  # the consent is hers: she signs it, on paper
        mine = [t.action for t in documents.available(db_session(), doc, teacher,
                                                       {Role.TEACHER})]
        assert "sign" in mine
        assert "sign" not in [t.action for t in documents.available(
            db_session(), doc, _user("director"), DIRECTOR)]
        page = documents.page(db_session(), doc, teacher, {Role.TEACHER})
        assert "sign" not in [t.action for t in page.actions]
        assert page.signing.mine.key == "employee"


def test_edit_is_taken_by_saving_the_form_not_as_an_action(app):
    with app.app_context():
        doc = _consent()
        with pytest.raises(RuleViolation) as refused:
            documents.act(db_session(), doc, "edit", actor=_user("clerk"), roles=CLERK)
        assert refused.value.message == "Действие «Исправить» выполняют, сохраняя форму " \
                                        "документа."
        db_session().rollback()
        assert doc.state == "draft" and doc.version == 1
        offered = [t.action for t in documents.available(db_session(), doc, _user("clerk"),
                                                           CLERK)]
        assert offered == ["submit", "edit", "cancel"]
        page = documents.page(db_session(), doc, _user("clerk"), CLERK)
        assert [t.action for t in page.actions] == ["submit", "cancel"] and page.editable


def test_submit_with_the_heads_visa_waits_and_approve_by_the_head_ends_the_route(app):
    with app.app_context():
        doc = _consent()
        documents.transition(db_session(), doc, "submit", actor=_user("clerk"), roles=CLERK)
        assert doc.state == "in_approval"
        outcome = documents.act(db_session(), doc, "approve", actor=_user("director"),
                                roles=DIRECTOR)
        assert doc.state == "approved" and outcome.jobs == ()


def test_an_in_process_job_never_commits_the_callers_changes(app):
    with app.app_context():
        doc = _consent()
        doc.title = "не сохранено"
        with pytest.raises(RuntimeError):
            jobs.enqueue("convert_signed_to_pdf", doc.id)
        db_session().rollback()
        assert doc.title != "не сохранено"

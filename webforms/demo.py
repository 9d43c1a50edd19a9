"""``flask demo``: a demo school with its people and documents in every state. Idempotent."""

from __future__ import annotations

import importlib
import importlib.util
from datetime import date

import click
from flask import Flask, current_app
from sqlalchemy import select

from signatures import agreement
from storage.db import db_session
from storage.migrate import upgrade
from storage.models import Document, Membership, Organization, Person, User
from storage.roles import Role
from webforms import demo_signing
from webforms.auth import hash_password
from workflows import documents, sealing
from workflows.jobs import enqueue
from workflows.mentor_consent import DEFAULT_DUTIES

DEMO_PASSWORD = "nastavnik2026"

SCHOOL = dict(
    full_name="Муниципальное общеобразовательное учреждение «Средняя школа № 5 "
              "Дзержинского района Волгограда»",
    short_name="МОУ СШ № 5", place="г. Волгоград",
    address="400000, г. Волгоград, ул. Школьная, д. 5", inn="3443000005", ogrn="1023402000005",
    head_position="Директор", head_last_name="Петров", head_first_name="Иван",
    head_middle_name="Сергеевич",
)
OTHER_SCHOOL = dict(
    full_name="Муниципальное общеобразовательное учреждение «Лицей № 12 Волгограда»",
    short_name="МОУ Лицей № 12", place="г. Волгоград", head_position="Директор",
    head_last_name="Соколова", head_first_name="Анна", head_middle_name="Викторовна",
)

# login, role, last, first, middle, gender, position, subject
STAFF = [
    ("director", Role.DIRECTOR, "Петров", "Иван", "Сергеевич", "m", "Директор", ""),
    ("curator", Role.CURATOR, "Сидорова", "Елена", "Викторовна", "f",
     "Заместитель директора по учебно-воспитательной работе", ""),
    ("clerk", Role.CLERK, "Кузнецова", "Ольга", "Николаевна", "f", "Секретарь", ""),
    ("ivanova", Role.TEACHER, "Иванова", "Мария", "Петровна", "f", "Учитель", "математика"),
    ("shevchuk", Role.TEACHER, "Шевчук", "Олег", "Игоревич", "m", "Учитель", "физика"),
    ("sedykh", Role.TEACHER, "Седых", "Ирина", "Павловна", "f", "Учитель", "русский язык"),
    ("gogol", Role.TEACHER, "Гоголь", "Никита", "Андреевич", "m", "Учитель", "история"),
    ("kravets", Role.TEACHER, "Кравец", "Любовь", "Ивановна", "f", "Учитель",
     "начальные классы"),
    ("vodkina", Role.TEACHER, "Петрова-Водкина", "Ольга", "Сергеевна", "f", "Учитель",
     "изобразительное искусство"),
    ("inspector", Role.INSPECTOR, "Белова", "Татьяна", "Андреевна", "f",
     "Главный специалист отдела образования", ""),
]
# who signs documents, and so has accepted the ПЭП regulation (signatures/agreement.py)
SIGNING_ROLES = {Role.DIRECTOR, Role.CURATOR, Role.TEACHER}
# the new hire: she has an account but has not yet joined the regulation, so the demo shows
# the acceptance (/esign) before her first simple signature; until then she signs on paper
NEW_HIRES = {"vodkina"}
OTHER_STAFF = [
    ("director12", Role.DIRECTOR, "Соколова", "Анна", "Викторовна", "f", "Директор", ""),
    ("clerk12", Role.CLERK, "Орлова", "Наталья", "Юрьевна", "f", "Секретарь", ""),
]


def _org(session, fields) -> tuple[Organization, bool]:
    org = session.scalars(select(Organization).where(
        Organization.short_name == fields["short_name"])).first()
    if org:
        return org, False
    org = Organization(**fields)
    session.add(org)
    session.flush()
    return org, True


def _staff(session, org: Organization, rows) -> dict[str, User]:
    users = {}
    for login, role, last, first, middle, gender, position, subject in rows:
        person = None
        if role is not Role.INSPECTOR:  # an inspector comes from outside, not a pedagogue
            person = Person(organization_id=org.id, last_name=last, first_name=first,
                            middle_name=middle, gender=gender, position=position,
                            subject=subject)
            session.add(person)
            session.flush()
        u = User(login=login, password_hash=hash_password(DEMO_PASSWORD), last_name=last,
                 first_name=first, middle_name=middle, position=position,
                 person_id=person.id if person else None)
        u.memberships.append(Membership(organization_id=org.id, role=role))
        if role is Role.CLERK:
            u.memberships.append(Membership(organization_id=org.id, role=Role.INSPECTOR))
        session.add(u)
        session.flush()
        if role in SIGNING_ROLES and login not in NEW_HIRES:
            agreement.record_acceptance(session, u, org.id)
        users[login] = u
    return users


def roles_in(user: User, organization_id: int) -> set[Role]:
    return {Role(m.role) for m in user.memberships if m.organization_id == organization_id}


def create(session, org: Organization, author: User, kind: str, data: dict) -> Document:
    """A draft of ``kind`` in the demo school (the demo seeds share these two helpers)."""
    return documents.create(session, organization_id=org.id, kind=kind, data=data,
                            author=author)


def act(session, doc: Document, user: User, *actions: str, comment: str = "") -> None:
    """Take ``actions`` in order as ``user``, with his roles in the document's school;
    ``sign``: every party signs itself, ``user`` files the paper ones (demo_signing)."""
    for action in actions:
        if action == "sign":
            demo_signing.sign_all(session, doc, user)
            continue
        documents.transition(session, doc, action, actor=user,
                             roles=roles_in(user, doc.organization_id), comment=comment)


def _consent(session, org, author, person_id, day: date):
    return create(session, org, author, "mentor_consent", {
        "person_id": person_id, "statement_date": day.isoformat(), "duties": DEFAULT_DUTIES,
        "notes": ""})


def _walk(session, doc, director, clerk, steps):
    for action, actor, comment in steps:
        act(session, doc, actor, action, comment=comment)


# Demo data of further kinds, functions ``(session, org, users)``, in the order a school
# meets them: the Положение and the curator, consents and the bank, pairs and programs,
# and at the end the curator's report, which counts them.
EXTRA_SEEDS = (
    ("webforms.demo_orders", "seed"),
    ("webforms.demo_people", "seed"),
    ("webforms.demo_programs", "seed"),
    ("webforms.demo_orders", "seed_report"),
)


def seed(*, full: bool = False, consents: bool = True) -> list[tuple[str, str]]:
    """Create the demo data unless it exists; return (login, role) of the demo users.

    ``full`` adds documents of every kind and a development seal certificate for each
    school (``flask demo``); ``consents=False`` makes only the schools, their staff and
    people (the tests' small school, no mentor's consents).
    """
    session = db_session()
    org, created = _org(session, SCHOOL)
    if created:
        users = _staff(session, org, STAFF)
        curator = session.get(Person, users["curator"].person_id)
        curator.is_deputy_head = True
        director, clerk = users["director"], users["clerk"]
        p = {login: users[login].person_id for login in users}
        today = date.today()
        plan = [
            ("ivanova", [("submit", clerk, ""), ("approve", director, ""),
                         ("sign", director, "")]),
            ("shevchuk", [("submit", clerk, ""), ("approve", director, ""),
                          ("sign", director, "")]),
            ("kravets", [("submit", clerk, ""), ("approve", director, "")]),
            ("gogol", [("submit", clerk, "")]),
            ("vodkina", [("submit", clerk, ""),
                         ("return", director, "Уточните перечень дополнительных обязанностей.")]),
            ("sedykh", []),
        ]
        for login, steps in plan if consents else ():
            doc = _consent(session, org, clerk, p[login], today)
            _walk(session, doc, director, clerk, steps)
        if consents:
            cancelled = _consent(session, org, clerk, p["sedykh"], today)
            _walk(session, cancelled, director, clerk,
                  [("cancel", clerk, "Создан по ошибке, дублирует черновик.")])
    other, created_other = _org(session, OTHER_SCHOOL)
    if created_other:
        _staff(session, other, OTHER_STAFF)
    for school in (org, other) if full else ():  # every archived demo PDF sealed
        if sealing.active(session, school.id) is None:
            sealing.make_development(session, school)
    session.commit()
    if created and full:
        # by name: the seed modules import this one (act, create), a real cycle
        for module, function in EXTRA_SEEDS:
            if importlib.util.find_spec(module) is not None:
                getattr(importlib.import_module(module), function)(session, org, users)
                session.commit()
    return [(r[0], r[1].label) for r in STAFF + OTHER_STAFF]


def init_app(app: Flask) -> None:
    @app.cli.command("demo")
    def demo_command() -> None:
        """Create the demo organization, its users and documents (idempotent).

        The schema is brought up to date first, so the command works alone on a fresh
        machine (``flask db upgrade`` is idempotent)."""
        upgrade(current_app.config["DATABASE_URL"])
        accounts = seed(full=True)
        signed = list(db_session().scalars(select(Document.id).where(
            Document.state == "signed")))
        db_session().commit()  # end the read so in-process jobs can write
        for doc_id in signed:
            enqueue("convert_signed_to_pdf", doc_id)
        from webforms import demo_orders  # it imports this module (act, create)

        for failure in demo_orders.sheet_pdfs():  # the newest лист ознакомления of each
            click.echo(f"Лист ознакомления сохранён в DOCX, PDF не создан: {failure}")
        click.echo("Демонстрационные данные готовы. Учётные записи (пароль у всех: "
                   f"{DEMO_PASSWORD}):")
        for login, role in accounts:
            click.echo(f"  {login:<12} {role}")

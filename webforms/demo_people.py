"""Demo consents and the bank of mentors and mentees (П2 stages 2–3) for ``flask demo``.

Called by ``webforms.demo.seed`` after the base demo (two teachers with signed mentor
consents): personal-data consents, mentees' participation consents, the mentors'
supplementary agreements, and the bank — all through ``workflows.documents``, visas given
by whoever the route names.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy.orm import Session

from doc_templates.texts.pd_consent import TERM
from storage.models import Document, Organization, Person, User
from storage.states import BankRole
from webforms.demo import act, roles_in
from workflows import approval_routes, bank, documents
from workflows.mentoring_agreement import DEFAULT_CONTENT
from workflows.vocabulary import MENTEE_CATEGORIES

PASSPORTS = {  # login: (series, number, address)
    "ivanova": ("18 05", "512345", "400005, г. Волгоград, ул. Рабоче-Крестьянская, д. 10, кв. 4"),
    "shevchuk": ("18 11", "604512", "400066, г. Волгоград, пр-т Ленина, д. 21, кв. 37"),
    "sedykh": ("18 20", "701122", "400087, г. Волгоград, ул. Невская, д. 6, кв. 12"),
    "gogol": ("18 22", "803344", "400131, г. Волгоград, ул. Мира, д. 3, кв. 8"),
    "kravets": ("18 19", "655001", "400048, г. Волгоград, ул. Землячки, д. 15, кв. 90"),
    "vodkina": ("18 14", "422190", "400001, г. Волгоград, ул. Ковровская, д. 4, кв. 2"),
}
MENTEES = {  # login: (category, request)
    "sedykh": (MENTEE_CATEGORIES[0], "подготовка и проведение открытого урока, формирующее "
                                     "оценивание"),
    "gogol": (MENTEE_CATEGORIES[2], "адаптация к требованиям ФГОС ООО, ведение электронного "
                                    "журнала"),
    "kravets": (MENTEE_CATEGORIES[4], "использование цифровых образовательных ресурсов на "
                                      "уроках в начальной школе"),
}
MENTORS = {"ivanova": ("sedykh", "gogol"), "shevchuk": ("kravets",)}
COMPETENCES = {"ivanova": "стаж 24 года, высшая категория, методика преподавания математики",
               "shevchuk": "стаж 15 лет, первая категория, цифровые ресурсы и ИКТ"}


def seed(session: Session, org: Organization, users: dict[str, User]) -> None:
    today = date.today()
    clerk = users["clerk"]
    person = {login: session.get(Person, u.person_id) for login, u in users.items()
              if u.person_id}

    def create(kind: str, data: dict[str, Any]) -> Document:
        return documents.create(session, organization_id=org.id, kind=kind, data=data,
                                author=clerk)

    for login, (series, number, address) in PASSPORTS.items():
        doc = create("pd_consent", {
            "person_id": person[login].id, "statement_date": today.isoformat(),
            "address": address, "passport_series": series, "passport_number": number,
            "passport_date": "2018-03-15", "passport_issuer": "ГУ МВД России по Волгоградской "
                                                               "области", "term": TERM})
        if login == "vodkina":
            act(session, doc, clerk, "submit")  # waiting for the director
        else:
            _sign(session, doc, users)
    for login, (category, request) in MENTEES.items():
        _sign(session, create("participant_consent", {
            "person_id": person[login].id, "statement_date": today.isoformat(),
            "category": category, "request": request}), users)
    for n, (login, mentees) in enumerate(MENTORS.items(), start=1):
        _sign(session, create("mentoring_agreement", {
            "person_id": person[login].id, "agreement_date": today.isoformat(),
            "labor_contract_number": f"{10 + n}", "labor_contract_date": "2015-08-28",
            "mentee_ids": [person[m].id for m in mentees],
            "form": "традиционная форма наставничества" if len(mentees) == 1
            else "наставничество в группе",
            "start_date": today.isoformat(),
            "end_date": (today + timedelta(days=270)).isoformat(),
            "pay": "5000.00" if len(mentees) == 1 else "7500.00",
            "content": DEFAULT_CONTENT}), users)
    for login in MENTORS:
        bank.add(session, person[login], BankRole.MENTOR, competences=COMPETENCES[login])
    for login, (category, request) in MENTEES.items():
        bank.add(session, person[login], BankRole.MENTEE, category=category, competences=request)
    session.flush()


def _sign(session: Session, doc: Document, users: dict[str, User]) -> None:
    """Submit, give each visa by whoever the route names, sign by the director."""
    act(session, doc, users["clerk"], "submit")
    while doc.state == "in_approval":
        step = approval_routes.pending(session, doc)[0]
        if step.step.people is not None:
            who = next(u for u in users.values() if u.person_id in step.person_ids)
        else:
            who = next(u for u in users.values()
                       if roles_in(u, doc.organization_id) & step.step.roles)
        act(session, doc, who, "approve")
    act(session, doc, users["director"], "sign")

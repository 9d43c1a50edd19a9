"""The data of the statements and agreements that tests of other kinds build on: the
personal-data consent, the mentee's consent, the supplementary agreement, an active pair."""

from __future__ import annotations

from datetime import date

from storage.db import db_session
from storage.models import GroupMember, MentoringGroup
from tests.helpers.documents import organization, person
from workflows.vocabulary import MENTEE_CATEGORIES


def pd_data(person_id: int, **extra) -> dict:
    return {"person_id": person_id, "statement_date": "2026-09-01",
            "address": "400001, г. Волгоград, ул. Мира, д. 1, кв. 2",
            "passport_series": "18 20", "passport_number": "123456",
            "passport_date": "2020-05-14", "passport_issuer": "ГУ МВД России по Волгоградской "
                                                           "области",
            "term": "до прекращения трудовых отношений", **extra}


def participant_data(person_id: int, **extra) -> dict:
    return {"person_id": person_id, "statement_date": "2026-09-02",
            "category": MENTEE_CATEGORIES[0],
            "request": "освоить методику формирующего оценивания & <проектную> работу", **extra}


def agreement_data(mentor: str = "Иванова", mentees=("Седых", "Гоголь"), **extra) -> dict:
    return {"person_id": person(mentor).id, "agreement_date": "2026-09-05",
            "labor_contract_number": "17", "labor_contract_date": "2019-08-26",
            "mentee_ids": [person(m).id for m in mentees],
            "form": "наставничество в группе", "start_date": "2026-09-07",
            "end_date": "2027-05-31", "pay": "5000.00",
            "content": "разработка и реализация персонализированной программы", **extra}


def active_group(mentor: str, *mentees: str) -> MentoringGroup:
    group = MentoringGroup(organization_id=organization().id, mentor_id=person(mentor).id,
                           form="традиционная форма наставничества",
                           start_date=date(2026, 9, 1), end_date=date(2027, 5, 31),
                           pay="5000.00", status="active")
    group.members = [GroupMember(mentee_id=person(m).id) for m in mentees]
    db_session().add(group)
    db_session().commit()
    return group

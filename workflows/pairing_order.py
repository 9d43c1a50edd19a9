"""Order on assigning mentoring pairs and groups (П1 §6, §3.3; §4.4.3; ТК РФ ст. 351.8).

Pairs and groups formed voluntarily with the curator are approved by the head's order,
with the written consent of every participant. The order carries a table of pairs/groups
(mentor, mentees, form, term, pay). Route: the clerk drafts it, the curator gives a visa,
the director signs it; signing makes the pairs/groups active, and ends the pairs/groups of
an order it replaces (a signed order is never edited, only superseded).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Document, GroupMember, MentoringGroup
from storage.states import GroupStatus
from workflows.acknowledgments import named_in
from workflows.calendar import as_date
from workflows.consents import MENTEE_PAPERS, MENTOR_PAPERS, lacking
from workflows.errors import RuleViolation
from workflows.guards import deadlines_not_past
from workflows.kinds import DocumentKind
from workflows.people import name_in, person_of
from workflows.programs import end_group, groups_of_mentee
from workflows.scoping import row_of
from workflows.signatories import head
from workflows.states import DocState

NAME = "pairing_order"
GROUP_FORM = "наставничество в группе"


def _pairs(doc: Document) -> list[dict[str, Any]]:
    return list(doc.data.get("pairs") or [])


def _mentees(row: dict[str, Any]) -> list[int]:
    return [int(i) for i in row.get("mentee_ids") or ()]


def has_pairs(session: Session, doc: Document) -> None:
    """The order approves at least one pair or group (П1 §6.2)."""
    if not _pairs(doc):
        raise RuleViolation("В приказе нет ни одной наставнической пары или группы.",
                            field="pairs")


def participants_belong_to_organization(session: Session, doc: Document) -> None:
    """Pairs are formed of pedagogues of this organization (П1 §6.2)."""
    for n, row in enumerate(_pairs(doc), 1):
        for pid in [row.get("mentor_id"), *_mentees(row)]:
            if person_of(session, doc.organization_id, pid) is None:
                raise RuleViolation(f"Строка {n} приложения: участник не найден в вашей "
                                    f"организации.", field="pairs")


def mentor_is_not_own_mentee(session: Session, doc: Document) -> None:
    """A mentor is not his own mentee (П1 §6)."""
    for n, row in enumerate(_pairs(doc), 1):
        if int(row.get("mentor_id") or 0) in _mentees(row):
            mentor = person_of(session, doc.organization_id, row["mentor_id"])
            raise RuleViolation(
                f"Строка {n} приложения: {mentor.full_name} не может быть наставником самому "
                f"себе — исключите его из наставляемых.", field="pairs")


def group_has_two_or_more_mentees(session: Session, doc: Document) -> None:
    """In the group form one mentor works with two or more mentees at once (П1 §2.3)."""
    for n, row in enumerate(_pairs(doc), 1):
        if row.get("form") == GROUP_FORM and len(set(_mentees(row))) < 2:
            raise RuleViolation(
                f"Строка {n} приложения: в форме «{GROUP_FORM}» у наставника должно быть не "
                f"меньше двух наставляемых (п. 2.3 Положения), указан "
                f"{len(set(_mentees(row)))}.", field="pairs")


def term_ends_after_start(session: Session, doc: Document) -> None:
    """Each pair's term is stated and ends after it starts (ТК РФ ст. 351.8: срок)."""
    for n, row in enumerate(_pairs(doc), 1):
        start, end = as_date(row.get("start_date")), as_date(row.get("end_date"))
        if start is None or end is None or end <= start:
            raise RuleViolation(
                f"Строка {n} приложения: дата окончания наставничества должна быть позже даты "
                f"начала{f' ({start:%d.%m.%Y})' if start else ''}.", field="pairs")


def consents_on_file(session: Session, doc: Document) -> None:
    """Only participants with signed consents enter the order (§4.4.2–4.4.3, П1 §3.3, §6.2).

    A mentor needs a personal-data consent, the written consent to be a mentor and a signed
    supplementary agreement (ТК РФ ст. 351.8); a mentee needs a personal-data consent and a
    consent to take part in the program.
    """
    for row in _pairs(doc):
        people = [(row.get("mentor_id"), MENTOR_PAPERS)] + \
            [(pid, MENTEE_PAPERS) for pid in _mentees(row)]
        for pid, papers in people:
            person = person_of(session, doc.organization_id, pid)
            if person is None:
                continue
            what = lacking(session, person, papers)
            if what:
                raise RuleViolation(f"Нельзя включить в приказ {name_in(person, 'accusative')}: "
                                    f"{what}.", field="pairs")


def replaced_order_is_signed(session: Session, doc: Document) -> None:
    """A replaced order is a signed pairing order of the same organization."""
    old_id = doc.data.get("replaces_order_id")
    if not old_id:
        return
    old = row_of(session, Document, doc.organization_id, old_id)
    if old is None or old.kind != NAME or old.state != DocState.SIGNED or old.id == doc.id:
        raise RuleViolation(f"Заменяемый приказ (документ № {old_id}) не найден среди "
                            f"подписанных приказов о закреплении пар.",
                            field="replaces_order_id")


def mentees_not_already_assigned(session: Session, doc: Document) -> None:
    """A mentee is in one pair/group at a time: twice in the order, or already in an active
    pair not ended by this order, is refused (П1 §6.1)."""
    replaced = int(doc.data.get("replaces_order_id") or 0)
    seen: set[int] = set()
    for n, row in enumerate(_pairs(doc), 1):
        for pid in _mentees(row):
            person = person_of(session, doc.organization_id, pid)
            if person is None:
                continue
            if pid in seen:
                raise RuleViolation(f"Строка {n} приложения: {person.full_name} уже указан(а) "
                                    f"в другой строке приказа.", field="pairs")
            seen.add(pid)
            for group in groups_of_mentee(session, doc.organization_id, pid):
                if group.order_id in (replaced, doc.id):
                    continue
                order = row_of(session, Document, doc.organization_id, group.order_id)
                where = f" по приказу № {order.number}" if order and order.number else ""
                raise RuleViolation(
                    f"Строка {n} приложения: {person.full_name} уже закреплён(а) за "
                    f"наставником {name_in(group.mentor, 'instrumental')}{where}; укажите этот "
                    f"приказ как заменяемый или завершите ту программу.", field="pairs")


def activate_pairs(session: Session, doc: Document) -> None:
    """On signing: each row becomes an active pair/group of the order."""
    for row in _pairs(doc):
        group = MentoringGroup(
            organization_id=doc.organization_id, mentor_id=int(row["mentor_id"]),
            form=row["form"], start_date=as_date(row["start_date"]),
            end_date=as_date(row["end_date"]), pay=str(row.get("pay") or ""),
            status=GroupStatus.ACTIVE, order_id=doc.id)
        group.members = [GroupMember(mentee_id=pid) for pid in dict.fromkeys(_mentees(row))]
        session.add(group)
    session.flush()


def end_replaced_pairs(session: Session, doc: Document) -> None:
    """On signing: pairs of the replaced order with the same mentor or mentees end."""
    old_id = doc.data.get("replaces_order_id")
    if not old_id:
        return
    doc.supersedes_id = int(old_id)
    mentors = {int(r["mentor_id"]) for r in _pairs(doc)}
    mentees = {pid for r in _pairs(doc) for pid in _mentees(r)}
    for group in session.scalars(select(MentoringGroup).where(
            MentoringGroup.order_id == int(old_id),
            MentoringGroup.status == GroupStatus.ACTIVE)):
        members = {m.mentee_id for m in group.members}
        if group.mentor_id in mentors or members & mentees:
            end_group(group, date.today())


def pairs_context(session: Session, doc: Document) -> dict[str, Any]:
    """Names for the template: ``extra.pairs`` (the appendix), ``extra.curator``,
    ``extra.participants`` (the acknowledgment sheet), ``extra.replaces``."""
    pairs, participants = [], {}
    for n, row in enumerate(_pairs(doc), 1):
        mentor = person_of(session, doc.organization_id, row.get("mentor_id"))
        mentees = [m for m in (person_of(session, doc.organization_id, p)
                                for p in _mentees(row)) if m]
        for p in [mentor, *mentees]:
            if p is not None:
                participants.setdefault(p.id, p.as_context())
        pairs.append({
            "n": n, "mentor": mentor.as_context() if mentor else None,
            "mentees": [m.as_context() for m in mentees], "form": row.get("form", ""),
            "start_date": as_date(row.get("start_date")),
            "end_date": as_date(row.get("end_date")), "pay": row.get("pay") or "0",
        })
    curator = person_of(session, doc.organization_id, doc.data.get("curator_id"))
    old = row_of(session, Document, doc.organization_id, doc.data.get("replaces_order_id"))
    return {
        "pairs": pairs,
        "participants": list(participants.values()),
        "curator": curator.as_context() if curator else None,
        "replaces": {"number": old.number or "", "doc_date": old.doc_date} if old else None,
    }


def _title(data: dict[str, Any]) -> str:
    n = len(data.get("pairs") or [])
    return f"О закреплении наставнических пар/групп (строк в приложении: {n})"


KIND = DocumentKind(
    name=NAME,
    title="Приказ о закреплении наставнических пар/групп",
    heading="ПРИКАЗ",
    journal="main",
    make_title=_title,
    signatories=(head(),),
    route=("curator",),
    rules=(has_pairs, participants_belong_to_organization, mentor_is_not_own_mentee,
           group_has_two_or_more_mentees, term_ends_after_start, replaced_order_is_signed,
           consents_on_file, mentees_not_already_assigned),
    sign_rules=(deadlines_not_past({"programs_due_date": "Срок разработки персонализированных "
                                                         "программ"},
                                   name="programs_due_date_not_past"),),
    effects={"sign": (activate_pairs, end_replaced_pairs)},
    retention_permanent=True,
    context=pairs_context,
    acknowledgers=named_in("participants", "curator"),
)

"""The curator's final analytical report on the mentoring system (§4.4.4, П1 §3.4).

The curator monitors the system and «формирует итоговый аналитический отчёт»: how many
mentors and mentees there are, which pairs and groups worked in the period, which forms of
mentoring they used, how many programs were finished, ended early or extended, and the
categories of mentees (§5.2.3). Those figures are built from the data by ``figures`` at
render time (so the signed copy, rendered at signing, freezes them); only the conclusions
and proposals are typed. Route: the curator writes and submits it, the director approves
and signs it.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import BankEntry, Document, MentoringGroup, Program, User
from storage.roles import Role
from storage.states import BankRole, GroupStatus, ProgramStatus
from workflows.calendar import as_date
from workflows.consents import latest_signed
from workflows.errors import RuleViolation
from workflows.kinds import DocumentKind
from workflows.people import person_of
from workflows.signatories import BASIS_STATEMENT, PEN, Signatory, head
from workflows.vocabulary import MENTEE_CATEGORIES, MENTORING_FORMS, ROLE_FORMS

NAME = "final_report"
NO_CATEGORY = "категория не указана"
# each category of MENTEE_CATEGORIES as §5.2.3 of the regional Положение words it after
# «Наставляемые формируются из числа:» — the report prints the regulation's words in full
REGULATION_WORDING = dict(zip(MENTEE_CATEGORIES, (
    "молодых педагогов",
    "педагогов, приступивших к работе после длительного перерыва",
    "педагогов, находящихся в процессе адаптации на новом месте работы",
    "педагогов, желающих повысить свой профессиональный уровень в определенном направлении "
    "педагогической деятельности (предметная область, воспитательная и внеурочная "
    "деятельность, дополнительное образование, работа с родителями и пр.)",
    "педагогов, желающих овладеть современными ИТ-программами, цифровыми навыками, "
    "ИКТ-компетенциями",
    "педагогов, находящихся в состоянии профессионального, эмоционального выгорания",
    "педагогов, испытывающих другие профессиональные затруднения и осознающих потребность в "
    "наставнике",
    "стажеров/студентов, заключивших договор с обязательством последующего принятия на "
    "работу и/или проходящих стажировку/практику в образовательной организации",
), strict=True))


def _overlaps(start: date, end: date, first: date, last: date | None) -> bool:
    return first <= end and (last is None or last >= start)


def in_bank_at(entry: BankEntry, day: date) -> bool:
    """The entry was in the bank at the end of ``day``: entered by then and not withdrawn by
    then — the report counts the bank of its period, not of the day it is rendered."""
    added = entry.added_at.date() if entry.added_at else day
    return added <= day and (entry.withdrawn_at is None or entry.withdrawn_at.date() > day)


def figures(session: Session, organization_id: int, start: date, end: date) -> dict[str, Any]:
    """The report's figures for the period ``start``–``end`` (both included).

    Returns ``mentors``/``mentees`` (the bank at the period's end, ``in_bank_at``), ``categories``
    (mentees of the bank by §5.2.3 category: ``[{"category", "wording", "count"}]``, every
    category of the regulation listed, ``wording`` its words in §5.2.3, then any other),
    ``pairs``/``groups`` (pairs with one mentee and groups with two or
    more, active at some time in the period), ``mentors_working``/``mentees_working``,
    ``forms`` (pairs/groups by form of mentoring used, their own and their programs':
    ``[{"form", "count"}]``), ``programs`` (those running in the period), ``completed``,
    ``ended_early`` (ended in the period), ``extended`` (extended at least once), ``running``
    (not ended within the period: still running at its end, also one ended on paper with a
    date after it), so that ``programs`` = ``completed`` + ``ended_early`` + ``running``.
    """
    bank = [b for b in session.scalars(select(BankEntry).where(
        BankEntry.organization_id == organization_id)) if in_bank_at(b, end)]
    mentees = [b for b in bank if b.role == BankRole.MENTEE]
    by_category = Counter((b.category or "").strip() or NO_CATEGORY for b in mentees)
    categories = [{"category": c, "wording": REGULATION_WORDING[c],
                   "count": by_category.pop(c, 0)} for c in MENTEE_CATEGORIES]
    categories += [{"category": c, "wording": c, "count": n}
                   for c, n in sorted(by_category.items())]

    groups = [g for g in session.scalars(select(MentoringGroup).where(
        MentoringGroup.organization_id == organization_id,
        MentoringGroup.status.in_((GroupStatus.ACTIVE, GroupStatus.ENDED)))
        .order_by(MentoringGroup.id))
        if _overlaps(start, end, g.start_date, g.ended_on or g.end_date)]
    programs = [p for p in session.scalars(select(Program).where(
        Program.organization_id == organization_id, Program.status != ProgramStatus.DRAFT))
        if _overlaps(start, end, p.start_date, p.ended_on or p.end_date)]

    forms: Counter[str] = Counter()
    for g in groups:
        used = {g.form} | {f for p in programs if p.group_id == g.id
                           for f in (p.forms or {}).get("forms", [])}
        forms.update(f for f in used if f)
    order = {f: i for i, f in enumerate(MENTORING_FORMS + ROLE_FORMS)}
    ended_in = [p for p in programs if p.ended_on and start <= p.ended_on <= end]
    return {
        "mentors": sum(1 for b in bank if b.role == BankRole.MENTOR),
        "mentees": len(mentees),
        "categories": categories,
        "pairs": sum(1 for g in groups if len(g.members) == 1),
        "groups": sum(1 for g in groups if len(g.members) >= 2),
        "mentors_working": len({g.mentor_id for g in groups}),
        "mentees_working": len({m.mentee_id for g in groups for m in g.members}),
        "forms": [{"form": f, "count": n}
                  for f, n in sorted(forms.items(), key=lambda x: (order.get(x[0], 99), x[0]))],
        "programs": len(programs),
        "completed": sum(1 for p in ended_in if p.status == ProgramStatus.COMPLETED),
        "ended_early": sum(1 for p in ended_in if p.status == ProgramStatus.ENDED_EARLY),
        "extended": sum(1 for p in programs if (p.extended_times or 0) > 0),
        "running": len(programs) - len(ended_in),
    }


# a total and its parts, as the report prints them «из них …» (the extended are counted
# among the others: an extended program is also running or ended, so not a part)
SUMS = (
    ("programs", ("completed", "ended_early", "running"),
     "Персонализированных программ в отчётном периоде {total}, а завершено в полном объёме, "
     "завершено досрочно и продолжают реализовываться {parts}"),
    ("mentees", ("categories",),
     "Наставляемых в банке {total}, а по категориям п. 5.2.3 Положения о наставничестве "
     "{parts}"),
)


def check_figures_add_up(figs: dict[str, Any]) -> None:
    """The report's totals equal the sum of their parts (§4.4.4: an analytical report an
    inspector adds up): programs = completed + ended early + running, mentees = the sum
    over every category of §5.2.3. A RuleViolation names the total and the sum."""
    for total, parts, words in SUMS:
        if total not in figs:
            continue
        found = sum(sum(c["count"] for c in figs[p]) if isinstance(figs[p], list)
                    else int(figs[p]) for p in parts)
        if int(figs[total]) != found:
            said = words.format(total=figs[total], parts=found)
            raise RuleViolation(f"Показатели отчёта не сходятся: {said}. Проверьте данные "
                                f"программ и банка наставляемых.", field="start_date")


def figures_add_up(session: Session, doc: Document) -> None:
    """The figures the report prints for its period add up (``check_figures_add_up``): it
    is not sent or signed with totals that disagree with their parts."""
    start, end = as_date(doc.data.get("start_date")), as_date(doc.data.get("end_date"))
    if start is not None and end is not None and start <= end:
        check_figures_add_up(figures(session, doc.organization_id, start, end))


def period_in_order(session: Session, doc: Document) -> None:
    """The period of the report ends no earlier than it starts."""
    start, end = as_date(doc.data.get("start_date")), as_date(doc.data.get("end_date"))
    if start is None or end is None:
        raise RuleViolation("Укажите отчётный период: дату начала и дату окончания.",
                            field="start_date")
    if end < start:
        raise RuleViolation(f"Окончание отчётного периода ({end:%d.%m.%Y}) раньше его начала "
                            f"({start:%d.%m.%Y}).", field="end_date")


def period_is_over(session: Session, doc: Document) -> None:
    """A final report is signed only after its period ended: its figures are final then."""
    end = as_date(doc.data.get("end_date"))
    if end is not None and end > date.today():
        raise RuleViolation(f"Отчётный период ещё не закончился (окончание {end:%d.%m.%Y}): "
                            f"итоговый отчёт подписывается после окончания периода.",
                            field="end_date")


def curator(session: Session, doc: Document) -> dict[str, Any] | None:
    """Who signs as the curator: the one appointed by the latest signed curator order, else
    the report's author."""
    order = latest_signed(session, doc.organization_id, "curator_order")
    person = person_of(session, doc.organization_id, order.data.get("person_id")) \
        if order else None
    if person is None:
        author = session.get(User, doc.author_id) if doc.author_id else None
        person = person_of(session, doc.organization_id, author.person_id) if author else None
    return person.as_context() if person else None


def curator_person(session: Session, doc: Document) -> list[int]:
    """The curator who signs the report (``curator``)."""
    person = curator(session, doc)
    return [person["id"]] if person else []


def report_context(session: Session, doc: Document) -> dict[str, Any]:
    """``extra.figures`` (built from the data, see ``figures``) and ``extra.curator``."""
    start, end = as_date(doc.data.get("start_date")), as_date(doc.data.get("end_date"))
    figs = figures(session, doc.organization_id, start, end) if start and end else {}
    check_figures_add_up(figs)  # asserted when rendering, the signed copy included
    return {
        "figures": figs,
        "curator": curator(session, doc),
    }


def _title(data: dict[str, Any]) -> str:
    start, end = as_date(data.get("start_date")), as_date(data.get("end_date"))
    span = f" за период с {start:%d.%m.%Y} по {end:%d.%m.%Y}" if start and end else ""
    return f"Итоговый аналитический отчёт о реализации системы наставничества{span}"


KIND = DocumentKind(
    name=NAME,
    title="Итоговый аналитический отчёт куратора о реализации системы наставничества",
    heading="ОТЧЁТ",
    journal="reports",
    make_title=_title,
    signatories=(Signatory("curator", "Куратор", PEN, BASIS_STATEMENT, curator_person),
                 head("Руководитель (утверждает)")),
    roles={"submit": frozenset({Role.CURATOR, Role.ADMIN})},
    rules=(period_in_order, figures_add_up),
    sign_rules=(period_is_over,),
    context=report_context,
)

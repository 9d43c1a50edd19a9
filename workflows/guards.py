"""Rules the regulation states for several kinds, as guard factories.

A kind module does not write «the person is of this organization» or «the consent is on
file» again: it binds a factory to its field and its words, e.g.
``person_in_organization("person_id", who="Педагог, дающий согласие")``. Each factory's
docstring carries the rule; the guard it returns is named after the rule (``__name__``)
and describes itself with the bound parameters (its docstring), so ``describe.py`` prints
it like any hand-written guard. The refusals are the kinds' own Russian messages.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from storage.models import Document
from storage.states import STATUS_LABELS
from workflows.calendar import as_date, last_day, term_length
from workflows.consents import lacking, signed_of
from workflows.errors import RuleViolation
from workflows.people import is_deputy, name_in, person_of

Guard = Callable[[Session, Document], None]


def _rule(check: Guard, name: str, description: str) -> Guard:
    check.__name__ = check.__qualname__ = name
    check.__doc__ = description
    return check


def person_in_organization(field: str, *, who: str, many: bool = False,
                           optional: bool = False, where: str = "в вашей организации",
                           clause: str = "", name: str = "person_in_organization") -> Guard:
    """The person named in ``field`` (each of them, if ``many``) is a pedagogue of this
    organization: a document never names another school's people.

    The refusal is «{who} не найден в вашей организации.»; a ``who`` with a participial
    phrase («Педагог, дающий согласие») is closed by a comma. ``optional``: a blank field
    passes. ``clause`` names where the regulation says it.
    """
    subject = f"{who}," if "," in who else who

    def check(session: Session, doc: Document) -> None:
        value = doc.data.get(field)
        if optional and not value:
            return
        for pid in (value or () if many else (value,)):
            if person_of(session, doc.organization_id, pid) is None:
                raise RuleViolation(f"{subject} не найден {where}.", field=field)

    return _rule(check, name, f"{who} (`{field}`) is a pedagogue of this organization"
                              f"{f' ({clause})' if clause else ''}.")


def deputy_head(field: str, *, refusal: str, name: str = "deputy_head") -> Guard:
    """The person named in ``field`` is a deputy head (marked so in the people bank, or so
    by position): the curator is appointed, and control of an order given, only among the
    deputies (§4.4.4, П1 §3.4).

    The refusal is «{refusal}; Фамилия Имя Отчество — его должность.» A blank field or a
    person not of the organization passes (other guards' refusals).
    """
    def check(session: Session, doc: Document) -> None:
        person = person_of(session, doc.organization_id, doc.data.get(field))
        if person is not None and not is_deputy(person):
            position = (person.position or "должность не указана").strip()
            raise RuleViolation(f"{refusal}; {person.full_name} — "
                                f"{position[:1].lower()}{position[1:]}.", field=field)

    return _rule(check, name, f"The person of `{field}` is a deputy head (§4.4.4, П1 §3.4).")


def papers_on_file(field: str, papers: tuple[str, ...], *, refusal: str,
                   case: str = "accusative", clause: str = "",
                   name: str = "papers_on_file") -> Guard:
    """The person named in ``field`` has each of ``papers`` signed and on file (a signed
    document of that kind about him; a withdrawn personal-data consent does not count,
    see ``workflows.consents``): no one is appointed, consents or enters an order without
    them (§4.4.2–4.4.3, 152-ФЗ ст. 9).

    The refusal is ``refusal`` with ``{name}`` the person declined in ``case``, then what
    is lacking: «Нельзя назначить наставником {name}: нет подписанного …». A person not of
    the organization is another guard's refusal.
    """
    def check(session: Session, doc: Document) -> None:
        person = person_of(session, doc.organization_id, doc.data.get(field))
        what = lacking(session, person, papers) if person is not None else ""
        if what:
            note = f" ({clause})" if clause else ""
            raise RuleViolation(f"{refusal.format(name=name_in(person, case))}: {what}{note}.",
                                field=field)

    return _rule(check, name, f"The person of `{field}` has signed {', '.join(papers)} on "
                              f"file{f' ({clause})' if clause else ''}.")


def takes_part(field: str, *, as_who: str, groups: Callable[[Session, int, int], list[Any]],
               paper: str, paper_words: str, name: str = "takes_part") -> Guard:
    """The person named in ``field`` takes part in mentoring as ``as_who``: in an active
    pair or group so (``groups``), or under the signed ``paper`` (only a mentor resigns,
    П1 §4.1; only a mentee asks for another mentor, П1 §5.1).

    The refusal: «Фамилия Имя Отчество не является {as_who}: нет действующей наставнической
    пары или группы и подписанного {paper_words}.» A person not of the organization is
    another guard's refusal.
    """
    def check(session: Session, doc: Document) -> None:
        person = person_of(session, doc.organization_id, doc.data.get(field))
        if person is None or groups(session, person.organization_id, person.id) or \
                signed_of(session, person, paper) is not None:
            return
        raise RuleViolation(f"{person.full_name} не является {as_who}: нет действующей "
                            f"наставнической пары или группы и подписанного {paper_words}.",
                            field=field)

    return _rule(check, name, f"The person of `{field}` takes part («является {as_who}»): "
                              f"in an active pair or group, or under a signed {paper} "
                              f"(П1 §4.1, §5.1).")


def not_backdated(field: str, *, what: str, name: str = "not_backdated") -> Guard:
    """An order takes effect on or after the day it is signed: it is not issued «задним
    числом», so the date of ``field`` is not before today (checked when signing)."""
    def check(session: Session, doc: Document) -> None:
        day = as_date(doc.data.get(field))
        today = date.today()
        if day is not None and day < today:
            raise RuleViolation(f"{what} ({day:%d.%m.%Y}) раньше даты подписания приказа "
                                f"({today:%d.%m.%Y}): приказ не издаётся задним числом — "
                                f"укажите дату не ранее сегодняшней.", field=field)

    return _rule(check, name, f"{what} (`{field}`) is not before the day the order is "
                              f"signed: no order is issued «задним числом».")


def deadlines_not_past(deadlines: dict[str, str], *, document: str = "приказа",
                       name: str = "deadlines_not_past") -> Guard:
    """An order sets no deadline already past on its date: each date of ``deadlines``
    (field → the task it is the term of, «Срок разработки дорожной карты») is on or after
    the day the order is signed, or the signed copy orders «в срок до» a day gone by — read
    by an inspector as an order issued after the fact (ГОСТ Р 7.0.97-2025: a распорядительный
    document states its terms from its date; ГК РФ ст. 190: a term is set by a date to come).

    The refusal: «{Срок …} (01.10.2026) уже прошёл на дату подписания приказа (03.12.2026):
    укажите срок не ранее даты подписания.» A blank field passes (the form's own rule).
    """
    def check(session: Session, doc: Document) -> None:
        today = date.today()
        for field, what in deadlines.items():
            day = as_date(doc.data.get(field))
            if day is not None and day < today:
                raise RuleViolation(f"{what} ({day:%d.%m.%Y}) уже прошёл на дату подписания "
                                    f"{document} ({today:%d.%m.%Y}): укажите срок не ранее "
                                    f"даты подписания.", field=field)

    fields = ", ".join(f"`{f}`" for f in deadlines)
    return _rule(check, name, f"Every deadline the document sets ({fields}) is on or after "
                              f"the day it is signed: no term already past on its date.")


def term_within(*, what: str, at_least_months: int = 0, ask_dates: bool = False,
                start: str = "start_date", end: str = "end_date",
                name: str = "term_within") -> Guard:
    """A term of mentoring lasts at most one year and, if ``at_least_months``, at least
    that (§1.3: a program runs from 3 months to 1 year), counting its first and last day;
    it ends after it starts.

    ``what`` opens the refusal («Срок программы»). ``ask_dates``: missing dates are asked
    for («Укажите срок наставничества: …») rather than refused as out of order.
    """
    def check(session: Session, doc: Document) -> None:
        first, last = as_date(doc.data.get(start)), as_date(doc.data.get(end))
        if ask_dates and (first is None or last is None):
            raise RuleViolation(f"Укажите {what.lower()}: даты начала и окончания.", field=end)
        if first is None or last is None or last <= first:
            raise RuleViolation(f"{what}: дата окончания должна быть позже даты начала.",
                                field=end)
        longest = last_day(first, years=1)
        if not at_least_months:
            if last > longest:
                raise RuleViolation(f"{what} не может превышать одного года (п. 1.3 "
                                    f"Положения): окончание не позднее {longest:%d.%m.%Y}.",
                                    field=end)
            return
        shortest = last_day(first, months=at_least_months)
        if not shortest <= last <= longest:
            raise RuleViolation(
                f"{what} — {term_length(first, last)} (с {first:%d.%m.%Y} по "
                f"{last:%d.%m.%Y}), а по п. 1.3 Положения он должен быть от "
                f"{at_least_months} месяцев до 1 года: окончание не ранее "
                f"{shortest:%d.%m.%Y} и не позднее {longest:%d.%m.%Y}.", field=end)

    span = f"from {at_least_months} months to 1 year" if at_least_months else "at most 1 year"
    return _rule(check, name, f"{what} (`{start}`–`{end}`) lasts {span} (§1.3), both days "
                              f"counted, and ends after it starts.")


def is_active(lookup: Callable[[Session, int, Any], Any], field: str, *, what: str,
              not_found: str, inactive: str, because: str, active: str,
              name: str = "is_active") -> Guard:
    """The pair/group or program named in ``field`` (found by ``lookup`` within the
    organization) exists and is active: documents are written only for a running pair or
    program (П1 §6.2, §7).

    Refusals: «{what} № N {not_found} в вашей организации.» and «{what} № N {inactive}
    (состояние: …): {because}.»
    """
    def check(session: Session, doc: Document) -> None:
        row = lookup(session, doc.organization_id, doc.data.get(field))
        if row is None:
            raise RuleViolation(f"{what} № {doc.data.get(field)} {not_found} в вашей "
                                f"организации.", field=field)
        if row.status != active:
            raise RuleViolation(f"{what} № {row.id} {inactive} (состояние: "
                                f"{STATUS_LABELS.get(row.status, row.status)}): {because}.",
                                field=field)

    return _rule(check, name, f"{what} (`{field}`) is of this organization and active.")

"""Russian formatting shared by every document template.

Dates as ГОСТ Р 7.0.97-2025 writes them (05.06.2026, 5 июня 2026 г.), names declined
by grammatical case (through pytrovich, a port of the petrovich rules — no hand tables),
positions and other common nouns declined by case (``doc_templates.nouns``, pymorphy3),
words agreeing with a person's gender and with the number of people, initials for
signatures, sums of money and plural forms of nouns. ``jinja_filters()`` exposes them to
the sandboxed renderer under fixed names.
"""

from collections.abc import Callable, Mapping
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from functools import cache
from typing import Any

from pytrovich.detector import PetrovichGenderDetector
from pytrovich.enums import Case as _PCase
from pytrovich.enums import Gender as _PGender
from pytrovich.enums import NamePart
from pytrovich.maker import PetrovichDeclinationMaker

from doc_templates.nouns import decline_phrase, lower_first, position_phrase

MONTHS_GENITIVE = (
    "января", "февраля", "марта", "апреля", "мая", "июня",
    "июля", "августа", "сентября", "октября", "ноября", "декабря",
)  # fmt: skip


class Case(StrEnum):
    """Grammatical case a name is put in."""

    NOMINATIVE = "nominative"
    GENITIVE = "genitive"
    DATIVE = "dative"
    ACCUSATIVE = "accusative"
    INSTRUMENTAL = "instrumental"
    PREPOSITIONAL = "prepositional"


_PYTROVICH_CASE = {case: getattr(_PCase, case.name) for case in Case}
_GENDERS = {
    "m": _PGender.MALE, "male": _PGender.MALE, "м": _PGender.MALE,
    "f": _PGender.FEMALE, "female": _PGender.FEMALE, "ж": _PGender.FEMALE,
}  # fmt: skip


# --- dates -------------------------------------------------------------------------------


def _check_date(d: Any) -> date:
    if not isinstance(d, date):
        raise TypeError(f"expected a date, got {type(d).__name__}")
    return d


def date_numeric(d: date) -> str:
    """``05.06.2026``. Raises TypeError if ``d`` is not a date."""
    return _check_date(d).strftime("%d.%m.%Y")


def date_long(d: date) -> str:
    """``5 июня 2026 г.`` (month in the genitive). Raises TypeError if ``d`` is not a date."""
    d = _check_date(d)
    return f"{d.day} {MONTHS_GENITIVE[d.month - 1]} {d.year} г."


def date_quoted(d: date) -> str:
    """``«5» июня 2026 г.``, as on consents and agreements. Raises TypeError if not a date."""
    d = _check_date(d)
    return f"«{d.day}» {MONTHS_GENITIVE[d.month - 1]} {d.year} г."


# --- names -------------------------------------------------------------------------------


@cache
def _maker() -> PetrovichDeclinationMaker:
    return PetrovichDeclinationMaker()


@cache
def _detector() -> PetrovichGenderDetector:
    return PetrovichGenderDetector()


def _gender(last: str, first: str, middle: str, gender: str | None) -> tuple[_PGender, bool]:
    """Return (pytrovich gender, whether it was given rather than detected)."""
    if gender:
        try:
            return _GENDERS[gender.strip().lower()], True
        except KeyError:
            raise ValueError(f"unknown gender {gender!r}, expected 'm' or 'f'") from None
    detected = _detector().detect(
        firstname=first or None, lastname=last or None, middlename=middle or None
    )
    return detected, False


def gender_of(last: str, first: str, middle: str | None = None,
              gender: str | None = None) -> str | None:
    """"m" or "f": the given gender, else the one the patronymic (or the name) shows; None
    when neither tells (no patronymic and a name used by both)."""
    pgender, _ = _gender((last or "").strip(), (first or "").strip(), (middle or "").strip(),
                         gender)
    return {_PGender.MALE: "m", _PGender.FEMALE: "f"}.get(pgender)


def _decline_parts(
    last: str, first: str, middle: str | None, case: Case | str, gender: str | None
) -> tuple[str, str, str]:
    case = Case(case)
    last, first, middle = (last or "").strip(), (first or "").strip(), (middle or "").strip()
    if case is Case.NOMINATIVE:
        return last, first, middle
    pgender, known = _gender(last, first, middle, gender)
    pcase = _PYTROVICH_CASE[case]

    def make(part: NamePart, value: str) -> str:
        return _maker().make(part, pgender, pcase, value, known) if value else ""

    return (
        make(NamePart.LASTNAME, last),
        make(NamePart.FIRSTNAME, first),
        make(NamePart.MIDDLENAME, middle),
    )


def decline(
    last: str, first: str, middle: str | None, case: Case | str, gender: str | None = None
) -> str:
    """Full name «Фамилия Имя Отчество» in ``case``; an empty patronymic is left out.

    Gender ("m"/"f") is detected from the first name and patronymic when not given.
    Indeclinable surnames (Шевчук for a woman, Дурново, Седых) stay as they are;
    double-barrelled ones (Петрова-Водкина) decline in both halves.
    Raises ValueError for an unknown case or gender.
    """
    return " ".join(p for p in _decline_parts(last, first, middle, case, gender) if p)


def _initials(first: str, middle: str | None) -> str:
    """«М.П.»; a hyphenated first name gives «А.-М.»."""
    parts = []
    for name in (first, middle):
        name = (name or "").strip()
        if name:
            parts.append("-".join(f"{piece[0].upper()}." for piece in name.split("-") if piece))
    return "".join(parts)


def initials_surname(last: str, first: str, middle: str | None = None,
                     case: Case | str = Case.NOMINATIVE, gender: str | None = None) -> str:
    """«М.П. Иванова» — initials before the surname, as in a signature (ГОСТ Р 7.0.97-2025).

    With ``case`` the surname is declined: «М.П. Ивановой» in the dative.
    """
    surname = _decline_parts(last, first, middle, case, gender)[0]
    return " ".join(p for p in (_initials(first, middle), surname) if p)


def surname_initials(last: str, first: str, middle: str | None = None,
                     case: Case | str = Case.NOMINATIVE, gender: str | None = None) -> str:
    """«Иванова М.П.» — surname first, as in lists and tables; ``case`` declines the surname."""
    surname = _decline_parts(last, first, middle, case, gender)[0]
    return " ".join(p for p in (surname, _initials(first, middle)) if p)


# --- numbers -----------------------------------------------------------------------------


def money(amount: Decimal | int | str) -> str:
    """«5 000,00 руб.»: thousands grouped with plain spaces, kopecks after a comma.

    Rounds half up to kopecks. Floats are refused (TypeError): money is never a float.
    """
    if isinstance(amount, float):
        raise TypeError("money must be Decimal, int or str, not float")
    value = Decimal(amount).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    grouped = f"{abs(value):,.2f}".replace(",", " ").replace(".", ",")
    return f"{'-' if value < 0 else ''}{grouped} руб."


def plural(n: int, one: str, few: str, many: str) -> str:
    """The form of a noun that goes with ``n``: 1 месяц, 2 месяца, 5 месяцев, 11 месяцев."""
    n = abs(int(n))
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many


# --- Jinja -------------------------------------------------------------------------------


def _field(person: Mapping[str, Any] | Any, key: str) -> Any:
    """``person[key]`` of a mapping, or the attribute of an object; None if it lacks it."""
    if isinstance(person, Mapping):
        return person.get(key)
    return getattr(person, key, None)


def _person(person: Mapping[str, Any] | Any) -> tuple[str, str, str, str | None]:
    """Read last/first/middle name and gender from a mapping (or an object's attributes)."""
    last, first = _field(person, "last_name"), _field(person, "first_name")
    if not last or not first:
        raise ValueError("a person needs last_name and first_name")
    return last, first, _field(person, "middle_name") or "", _field(person, "gender")


def _case_filter(case: Case) -> Callable[[Any], str]:
    def declined(person: Any) -> str:
        last, first, middle, gender = _person(person)
        return decline(last, first, middle, case, gender)

    declined.__name__ = case.value
    declined.__doc__ = f"The person's full name in the {case.value} case."
    return declined


def _initials_filter(person: Any, case: Case | str = Case.NOMINATIVE) -> str:
    last, first, middle, gender = _person(person)
    return initials_surname(last, first, middle, case, gender)


def _surname_initials_filter(person: Any, case: Case | str = Case.NOMINATIVE) -> str:
    last, first, middle, gender = _person(person)
    return surname_initials(last, first, middle, case, gender)


def person_gender(person: Mapping[str, Any] | Any) -> str | None:
    """"m"/"f" of a person mapping: its ``gender``, else detected from the patronymic."""
    given = _field(person, "gender")
    if not given and not _field(person, "first_name") and not _field(person, "middle_name"):
        return None
    return gender_of(_field(person, "last_name"), _field(person, "first_name"),
                     _field(person, "middle_name"), given)


def by_gender(person: Mapping[str, Any] | Any, masculine: str, feminine: str) -> str:
    """``{{ data.person|by_gender('именуемый', 'именуемая') }}``: the word agreeing with the
    person's gender (``person_gender``). When it is unknown, both: «именуемый(ая)»,
    «получил(а)», «его (её)» — the only place such a form is printed."""
    gender = person_gender(person)
    if gender == "m":
        return masculine
    if gender == "f":
        return feminine
    common = 0
    while common < min(len(masculine), len(feminine)) and \
            masculine[common] == feminine[common]:
        common += 1
    if common >= 3:  # a shared stem: the feminine ending in brackets
        return f"{masculine}({feminine[common:]})"
    return f"{masculine} ({feminine})"


def by_number(count: Any, singular: str, plural_form: str) -> str:
    """``{{ extra.mentees|by_number('наставляемого', 'наставляемых') }}``: the singular for
    one (a count or a list of one), the plural for more — grammatical number, not the
    numeral's form (for that, ``plural``)."""
    n = count if isinstance(count, int) else len(count)
    return singular if n == 1 else plural_form


def sentence(text: Any) -> str:
    """``{{ data.reason|sentence }}``: typed text closing a sentence of the document — a
    stop added where it ends without one («… по болезни» → «… по болезни.»)."""
    text = str(text or "").rstrip()
    return text if not text or text[-1] in ".!?…" else f"{text}."


def capitalize_first(text: Any) -> str:
    """``{{ data.difficulties|capitalize_first }}``: typed text opening a paragraph, its first
    letter made a capital and the rest left as typed (Jinja's ``capitalize`` lowers it)."""
    text = str(text or "")
    return text[:1].upper() + text[1:]


def in_case(phrase: str, case_name: str) -> str:
    """``{{ head.position|case('datv') }}``: a noun phrase in the nominative («заместитель
    директора по УВР») with its head noun in ``case_name`` — «gent»/«genitive», «datv»,
    «accs», «ablt», «loct» (``doc_templates.nouns.decline_phrase``)."""
    return decline_phrase(str(phrase or ""), case_name)


def position(person: Mapping[str, Any] | Any, case_name: str = "nomn") -> str:
    """``{{ data.person|position('gent') }}``: the person's position and subject as a slot
    in the middle of a sentence — «учителя математики», «заместителя директора по УВР» —
    in ``case_name`` (nominative by default)."""
    return position_phrase(_field(person, "position") or "", _field(person, "subject"),
                           case_name)


def jinja_filters() -> dict[str, Callable[..., str]]:
    """Filters for the template environment.

    Person filters take a mapping with ``last_name``, ``first_name``, ``middle_name`` (may be
    empty) and optional ``gender`` ("m"/"f"); ``initials`` and ``surname_initials`` accept a
    case name as argument: ``{{ mentor|initials("dative") }}``. ``position``, ``case``,
    ``by_gender`` and ``by_number`` decline positions and make words agree (see each).
    """
    filters: dict[str, Callable[..., str]] = {
        "date_numeric": date_numeric,
        "date_long": date_long,
        "date_quoted": date_quoted,
        "initials": _initials_filter,
        "surname_initials": _surname_initials_filter,
        "money": money,
        "plural": plural,
        "position": position,
        "case": in_case,
        "by_gender": by_gender,
        "by_number": by_number,
        "sentence": sentence,
        "capitalize_first": capitalize_first,
        "lower_first": lower_first,
    }
    for case in Case:
        if case is not Case.NOMINATIVE:
            filters[case.value] = _case_filter(case)
    return filters

"""A staff list as schools keep it (XLSX or CSV) read into cards of the bank, planned row
by row before anything is saved, then applied exactly as planned.

Reading. XLSX is opened by openpyxl in read-only mode with ``data_only=True``: a formula
is never evaluated, its value as the spreadsheet last saved it is read (none if it never
was). The archive is checked before it is opened (its unpacked size and number of
members), so a zip bomb costs a look at its directory. CSV may be UTF-8 (with or without a
BOM) or Windows-1251, separated by «;», «,» or tabs. The header row is found among the
first rows by its names (``HEADERS``: «Фамилия», «ФИО», «Должность», «Пол»…, case and ё
not counting); a title above the table is skipped, unknown columns are named in the
preview and left out. At most ``MAX_ROWS`` rows and ``MAX_BYTES`` bytes.

Planning. Each row is matched to a card of the organization by the folded full name
(``people_bank.name_key``: case, ё/е and extra spaces do not count); when the organization
has namesakes, the hire date tells them apart. A matched row updates the card with the
cells it fills (an empty cell keeps what the card holds); an unmatched one adds a card; a
row the form would refuse is wrong, with every reason in Russian. The caller gives the
form's own check (``load``), so the import and the form refuse the same things.

Applying. The plan travels as it was shown (the web layer signs it); ``apply`` saves
exactly it, after checking that no card it updates changed since and that no card it adds
appeared meanwhile — otherwise nothing is saved and the rows are named.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from storage.models import Person, User
from workflows import people_bank
from workflows.errors import NastavnikError, RuleViolation
from workflows.people import person_of
from workflows.people_vocabulary import GENDER_WORDS, GENDERS, MENTOR_ACHIEVEMENTS, POSITIONS
from workflows.vocabulary import MENTEE_CATEGORIES

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 1000
MAX_COLUMNS = 40
MAX_UNPACKED = 50 * 1024 * 1024
MAX_MEMBERS = 500
HEADER_SEARCH_ROWS = 10

# the import's column names (folded, without punctuation) for each field of a card
HEADERS: dict[str, tuple[str, ...]] = {
    "full_name": ("фио", "ф и о", "фамилия имя отчество", "сотрудник", "работник", "педагог"),
    "last_name": ("фамилия",),
    "first_name": ("имя",),
    "middle_name": ("отчество",),
    "gender": ("пол",),
    "position": ("должность", "занимаемая должность"),
    "subject": ("предмет", "преподаваемый предмет", "предметы", "дисциплина",
                "преподаваемые предметы"),
    "email": ("email", "e mail", "эл почта", "электронная почта", "почта"),
    "hire_date": ("дата приема", "дата приема на работу", "принят", "принята",
                  "дата поступления на работу", "дата трудоустройства"),
    "service_years": ("педагогический стаж", "пед стаж", "стаж", "стаж лет",
                      "педагогический стаж лет", "стаж педагогической работы"),
    "achievements": ("достижения", "достижения наставника"),
    "mentee_categories": ("категория наставляемого", "категории наставляемого",
                          "категория"),
}
COLUMN_OF = {alias: name for name, aliases in HEADERS.items() for alias in aliases}
LABELS = {"full_name": "ФИО", "last_name": "Фамилия", "first_name": "Имя",
          "middle_name": "Отчество", "gender": "Пол", "position": "Должность",
          "subject": "Предмет", "email": "Эл. почта", "hire_date": "Дата приёма на работу",
          "service_years": "Педагогический стаж, лет", "achievements": "Достижения (п. 5.2.1)",
          "mentee_categories": "Категории наставляемого (п. 5.2.3)"}
POSITION_ALIASES = {
    "зам директора по увр": "Заместитель директора по учебно-воспитательной работе",
    "заместитель директора по увр": "Заместитель директора по учебно-воспитательной работе",
    "зам директора по ур": "Заместитель директора по учебной работе",
    "заместитель директора по ур": "Заместитель директора по учебной работе",
    "зам директора по вр": "Заместитель директора по воспитательной работе",
    "заместитель директора по вр": "Заместитель директора по воспитательной работе",
    "зам директора по нмр": "Заместитель директора по научно-методической работе",
    "зам директора по ахр": "Заместитель директора по административно-хозяйственной работе",
    "заместитель директора по ахр":
        "Заместитель директора по административно-хозяйственной работе",
    "зам директора": "Заместитель директора",
    "преподаватель-организатор обж":
        "Преподаватель-организатор основ безопасности жизнедеятельности",
    "преподаватель-организатор обзр":
        "Преподаватель-организатор основ безопасности и защиты Родины",
    "педагог доп образования": "Педагог дополнительного образования",
    "пдо": "Педагог дополнительного образования",
    "логопед": "Учитель-логопед",
    "дефектолог": "Учитель-дефектолог",
    "психолог": "Педагог-психолог",
    "вожатый": "Старший вожатый",
}
LIST_SPLIT = re.compile(r"\s*[;\n]\s*")
YEARS = re.compile(r"^(\d{1,3})(?:[.,]\d+)?\s*(?:лет|года|год|г)?\.?$")
MALE_ENDINGS, FEMALE_ENDINGS = ("вич", "ич", "оглы", "улы"), ("вна", "чна", "кызы", "гызы")


def _header_word(value: str) -> str:
    """A column name as ``HEADERS`` spells it: «Дата приёма (на работу)» → «дата приема на
    работу», «E-mail» → «e mail»."""
    bare = re.sub(r"\([^)]*\)", " ", value)
    return " ".join(re.sub(r"[^\w]+", " ", people_bank.fold(bare)).split())


# -- reading the file ---------------------------------------------------------------------

@dataclass
class Sheet:
    """The table of a staff list: which column holds which field, and the rows as text."""

    columns: dict[int, str]
    ignored: list[str]
    rows: list[tuple[int, list[str]]]  # (line in the file, cells)
    kind: str  # «XLSX» | «CSV»


def read(data: bytes, filename: str) -> Sheet:
    """The staff list in ``data``; NastavnikError (400) naming what is wrong with it."""
    if not data:
        raise NastavnikError("Файл пустой: выберите файл со списком сотрудников.")
    if len(data) > MAX_BYTES:
        raise NastavnikError(f"Файл больше {MAX_BYTES // (1024 * 1024)} МБ: разделите список "
                             f"на несколько файлов.")
    name = (filename or "").lower()
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise NastavnikError("Это файл старого формата Excel (.xls): сохраните его как "
                             "«Книга Excel (.xlsx)» или CSV и загрузите снова.")
    if data.startswith(b"PK\x03\x04"):
        return _table(_xlsx_rows(data), "XLSX")
    if name.endswith((".xlsx", ".xlsm")):
        raise NastavnikError("Файл повреждён или не является книгой Excel (.xlsx).")
    if b"\x00" in data[:4096] or name.endswith((".pdf", ".docx", ".doc", ".odt", ".ods")):
        raise NastavnikError("Загрузите список сотрудников в формате XLSX или CSV.")
    return _table(_csv_rows(_decode(data)), "CSV")


Rows = list[tuple[int, list[str]]]  # (the line of the file, its cells as text), none empty


def _kept(numbered) -> Rows:
    """The non-empty rows of ``numbered`` ((line, cells) pairs), up to one more than a
    list may hold (so that a longer one is refused, however many blank rows it has)."""
    out: Rows = []
    for line, raw in numbered:
        cells = [_cell(v) for v in raw[:MAX_COLUMNS]]
        if any(cells):
            out.append((line, cells))
            if len(out) > MAX_ROWS + HEADER_SEARCH_ROWS:
                break
    return out


def _xlsx_rows(data: bytes) -> Rows:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except zipfile.BadZipFile:
        raise NastavnikError("Файл повреждён или не является книгой Excel (.xlsx).") from None
    if "xl/workbook.xml" not in {m.filename for m in members}:
        raise NastavnikError("Это не книга Excel (.xlsx): загрузите список сотрудников в "
                             "формате XLSX или CSV.")
    if len(members) > MAX_MEMBERS or sum(m.file_size for m in members) > MAX_UNPACKED:
        raise NastavnikError("Книга Excel слишком велика в распакованном виде: оставьте в ней "
                             "только список сотрудников.")
    from openpyxl import load_workbook  # the import's only user of it

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a broken book
        raise NastavnikError("Книгу Excel не удалось прочитать: она повреждена или "
                             "защищена паролем. Сохраните её заново как .xlsx.") from None
    try:
        rows = book.worksheets[0].iter_rows(min_row=1, max_col=MAX_COLUMNS, values_only=True)
        return _kept(enumerate(rows, start=1))
    finally:
        book.close()


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1251", errors="replace")


def _csv_rows(text: str) -> Rows:
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max((";", ",", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        return _kept((reader.line_num, row) for row in reader)
    except csv.Error:
        raise NastavnikError("Файл CSV не удалось разобрать: проверьте кавычки в строках."
                             ) from None


def _table(rows: Rows, kind: str) -> Sheet:
    for index, (_, row) in enumerate(rows[:HEADER_SEARCH_ROWS]):
        columns = {i: COLUMN_OF[_header_word(v)] for i, v in enumerate(row)
                   if _header_word(v) in COLUMN_OF}
        if "last_name" in columns.values() or "full_name" in columns.values():
            ignored = [v for i, v in enumerate(row) if i not in columns and v]
            body = rows[index + 1:]
            if len(body) > MAX_ROWS:
                raise NastavnikError(f"В списке больше {MAX_ROWS} строк: разделите его на "
                                     f"несколько файлов.")
            if not body:
                raise NastavnikError("В таблице нет ни одной строки под заголовком.")
            return Sheet(columns, ignored, body, kind)
    raise NastavnikError("Не найдена строка заголовков: в первых строках таблицы должны быть "
                         "столбцы «Фамилия», «Имя», «Отчество» (или «ФИО») и «Должность».")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = " ".join(str(value).split())
    return text[1:] if text[:1] == "'" and text[1:2] in FORMULA_START else text  # safe_cell


# -- one row as the form's fields -----------------------------------------------------------

def raw_card(sheet: Sheet, cells: list[str]) -> tuple[dict[str, Any], list[str]]:
    """The row's non-empty cells as the form's fields (strings, lists for the lists) and
    notes on how they were read."""
    values: dict[str, str] = {}
    for i, name in sheet.columns.items():
        if i < len(cells) and cells[i] and name not in values:
            values[name] = cells[i]
    notes: list[str] = []
    full = values.pop("full_name", "")
    if full and "last_name" not in values:
        parts = full.split()
        values.update(zip(("last_name", "first_name"), parts[:2], strict=False))
        if len(parts) > 2:
            values["middle_name"] = " ".join(parts[2:])
    for name in ("last_name", "first_name", "middle_name"):
        if name in values and (values[name].isupper() or values[name].islower()):
            values[name] = "-".join(part.capitalize() for part in values[name].split("-"))
    out: dict[str, Any] = dict(values)
    if "gender" in values:
        out["gender"] = GENDER_WORDS.get(people_bank.fold(values["gender"]).rstrip("."),
                                         values["gender"])
    elif values.get("middle_name"):
        guessed = _gender_by_patronymic(values["middle_name"])
        if guessed:
            out["gender"] = guessed
            notes.append("пол определён по отчеству")
    if "position" in values:
        position, subject = _position(values["position"])
        out["position"] = position
        if subject and "subject" not in values:
            out["subject"] = subject
            notes.append(f"должность «{values['position']}» прочитана как «{position}», "
                         f"предмет «{subject}»")
    if "service_years" in values:
        years = YEARS.match(people_bank.fold(values["service_years"]))
        out["service_years"] = years.group(1) if years else values["service_years"]
    if "hire_date" in values:
        out["hire_date"] = values["hire_date"]
    for name, vocabulary in (("achievements", MENTOR_ACHIEVEMENTS),
                             ("mentee_categories", MENTEE_CATEGORIES)):
        if name in values:
            out[name] = [_in_vocabulary(v, vocabulary)
                         for v in LIST_SPLIT.split(values[name]) if v]
    return out, notes


def _gender_by_patronymic(middle: str) -> str | None:
    low = people_bank.fold(middle)
    if low.endswith(MALE_ENDINGS):
        return "m"
    if low.endswith(FEMALE_ENDINGS):
        return "f"
    return None


FOLDED_POSITIONS = {people_bank.fold(p): p for p in POSITIONS}


def _position(value: str) -> tuple[str, str]:
    """(the position of the list, a subject read off its tail «учитель математики») or the
    value itself if it is not in the list."""
    folded = people_bank.fold(value.replace(".", " "))
    if folded in FOLDED_POSITIONS:
        return FOLDED_POSITIONS[folded], ""
    if folded in POSITION_ALIASES:
        return POSITION_ALIASES[folded], ""
    for known in sorted(FOLDED_POSITIONS, key=len, reverse=True):
        if folded.startswith(known + " ") and POSITIONS[FOLDED_POSITIONS[known]] == "teaching":
            return FOLDED_POSITIONS[known], value.strip()[len(known):].strip()
    return value, ""


def _in_vocabulary(value: str, vocabulary: tuple[str, ...]) -> str:
    folded = people_bank.fold(value)
    return next((v for v in vocabulary if people_bank.fold(v) == folded), value)


# -- the plan ------------------------------------------------------------------------------

ADD, UPDATE, SAME, WRONG = "add", "update", "same", "wrong"
Load = Callable[[dict[str, Any]], tuple[dict[str, Any], dict[str, list[str]]]]


@dataclass
class Planned:
    """What one row of the file will do."""

    line: int
    action: str
    name: str
    card: dict[str, Any] | None = None  # as JSON (dates ISO)
    person_id: int | None = None
    before: dict[str, Any] | None = None  # the card as it was when planned (as JSON)
    changes: list[str] = field(default_factory=list)  # labels of the changed fields
    reasons: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {"line": self.line, "action": self.action, "name": self.name,
                "card": self.card, "person_id": self.person_id, "before": self.before}


def plan(session: Session, organization_id: int, sheet: Sheet, load: Load, *,
         today: date | None = None) -> list[Planned]:
    """Every row of ``sheet``: add, update, same (nothing to change) or wrong, with reasons.

    ``load`` is the form's check: the form's fields → (the card, {}) or (the fields that
    are right, the problems by field).
    """
    seen: dict[str, int] = {}
    names = people_bank.Names(session, organization_id)
    out = []
    for line, cells in sheet.rows:
        values, notes = raw_card(sheet, cells)
        name = " ".join(values.get(k, "") for k in ("last_name", "first_name", "middle_name")
                        ).strip() or "—"
        planned = Planned(line, WRONG, name, notes=notes)
        out.append(planned)
        key = people_bank.name_key(values.get("last_name", ""), values.get("first_name", ""),
                                   values.get("middle_name", ""))
        twin_key = f"{key}|{values.get('hire_date', '')}"
        if key and twin_key in seen:
            planned.reasons.append(f"строка повторяет строку {seen[twin_key]} (те же ФИО)")
            continue
        seen[twin_key] = line
        target, why = _target(names, key, values.get("hire_date", ""))
        if why:
            planned.reasons.append(why)
            continue
        if target is not None:  # the name is the key: the card keeps its own spelling
            values.update(last_name=target.last_name, first_name=target.first_name,
                          middle_name=target.middle_name)
        merged = {**(_as_form(target) if target else {}), **values}
        card, errors = load(merged)
        errors = {**people_bank.problems(session, organization_id, card, person=target,
                                         today=today, names=names), **errors}
        if errors:
            planned.reasons.extend(m for msgs in errors.values() for m in msgs)
            continue
        planned.card = to_json(card)
        if target is None:
            planned.action = ADD
            continue
        planned.person_id, planned.before = target.id, snapshot(target)
        planned.changes = [LABELS[k] for k in people_bank.CARD_FIELDS
                           if planned.card.get(k) != planned.before.get(k)]
        planned.action = UPDATE if planned.changes else SAME
    return out


def _day(text: str) -> date | None:
    for fmt in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    return None


def _target(names: people_bank.Names, key: str, hired: str) -> tuple[Person | None, str]:
    """(the card the row updates or None to add, '' ) or (None, why the row is wrong)."""
    if not key:
        return None, ""
    found = names.same(key)
    if not found:
        return None, ""
    hired_on = _day(hired)
    if hired_on is not None:
        found = [p for p in found if p.hire_date is None or p.hire_date == hired_on]
        if not found:
            return None, ""  # a namesake hired another day: a new card
    if len(found) > 1:
        return None, (f"в организации {len(found)} педагога с такими ФИО: укажите в файле "
                      f"дату приёма на работу, чтобы различить их")
    person = found[0]
    if person.archived_at is not None:
        return None, f"{person.full_name} в архиве: верните карточку из архива, чтобы обновить её"
    try:
        people_bank.may_change(person)
    except RuleViolation as exc:
        return None, exc.message
    return person, ""


def _as_form(person: Person) -> dict[str, Any]:
    """A card as the form's fields, to lay the file's cells over."""
    data = snapshot(person)
    return {k: ("" if v is None else (v if isinstance(v, list) else str(v)))
            for k, v in data.items()}


def snapshot(person: Person) -> dict[str, Any]:
    """The card's fields as JSON (what the preview saw)."""
    return to_json({name: getattr(person, name) for name in people_bank.CARD_FIELDS})


def to_json(card: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for name in people_bank.CARD_FIELDS:
        value = card.get(name)
        if isinstance(value, date):
            value = value.isoformat()
        elif isinstance(value, list | tuple):
            value = list(value)
        elif name in people_bank.LISTS and value is None:
            value = []
        elif isinstance(value, str):
            value = " ".join(value.split())
        elif value is None and name not in ("hire_date", "service_years", "gender"):
            value = ""
        out[name] = value
    return out


def from_json(card: dict[str, Any]) -> dict[str, Any]:
    out = dict(card)
    out["hire_date"] = date.fromisoformat(card["hire_date"]) if card.get("hire_date") else None
    return out


# -- applying the plan as it was shown --------------------------------------------------------

@dataclass
class Applied:
    added: list[Person] = field(default_factory=list)
    updated: list[tuple[Person, list[str]]] = field(default_factory=list)


def apply(session: Session, organization_id: int, items: list[dict[str, Any]],
          actor: User | None, *, today: date | None = None) -> Applied:
    """Save the rows planned to add or update, exactly as planned, with one audit row for
    the whole list. RuleViolation naming every row that no longer holds (nothing is saved
    then; the caller rolls back)."""
    stale: list[str] = []
    done = Applied()
    names = people_bank.Names(session, organization_id)
    for item in items:
        if item["action"] not in (ADD, UPDATE):
            continue
        card, line = from_json(item["card"]), item["line"]
        if item["action"] == UPDATE:
            person = person_of(session, organization_id, item["person_id"])
            if person is None or person.erased_at is not None or \
                    person.archived_at is not None or snapshot(person) != item["before"]:
                stale.append(f"строка {line}: карточку «{item['name']}» изменили после "
                             f"предпросмотра")
                continue
            changed = people_bank.update(session, person, card, actor, today=today,
                                         names=names, audited=False)
            done.updated.append((person, changed))
            continue
        problems = people_bank.problems(session, organization_id, card, today=today,
                                        names=names)
        if problems:
            stale.append(f"строка {line}: " + "; ".join(m for ms in problems.values()
                                                        for m in ms))
            continue
        done.added.append(people_bank.add(session, organization_id, card, actor,
                                          today=today, names=names, audited=False))
    if stale:
        raise RuleViolation("Список не загружен: с момента предпросмотра изменились данные — "
                            + "; ".join(stale) + ". Загрузите файл снова.")
    session.flush()
    if done.added or done.updated:
        people_bank.record(session, organization_id, actor, "people_import", (
            f"Загрузка списка сотрудников: внесены педагоги "
            f"{_numbers(p.id for p in done.added)}; изменены карточки "
            f"{_numbers(p.id for p, _ in done.updated)}."))
    return done


def _numbers(ids) -> str:
    found = [f"№ {i}" for i in ids]
    return ", ".join(found) if found else "— нет"


# -- the list back out -------------------------------------------------------------------------

EXPORT_COLUMNS = ("last_name", "first_name", "middle_name", "gender", "position", "subject",
                  "email", "hire_date", "service_years", "achievements", "mentee_categories")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: str) -> str:
    """A cell a spreadsheet will not run: text starting like a formula gets a leading «'»
    (OWASP's advice against CSV injection)."""
    return "'" + value if value.startswith(FORMULA_START) else value


def export_csv(people: list[Person]) -> bytes:
    """The cards as a CSV Excel opens in Russian (UTF-8 with a BOM, «;») and this import
    reads back."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([LABELS[name] for name in EXPORT_COLUMNS])
    for person in people:
        row = []
        for name in EXPORT_COLUMNS:
            value = getattr(person, name)
            if name == "gender":
                value = GENDERS.get(value or "", "")
            elif isinstance(value, date):
                value = f"{value:%d.%m.%Y}"
            elif isinstance(value, list):
                value = "; ".join(value)
            row.append(safe_cell("" if value is None else str(value)))
        writer.writerow(row)
    return ("\ufeff" + out.getvalue()).encode("utf-8")

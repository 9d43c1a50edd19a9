"""Common nouns of the documents declined by case: positions, subjects, roles.

A filled slot puts a position in the case the sentence asks for («от Ивановой Марии
Петровны, учителя математики», «Назначить … заместителя директора по УВР»). Names are
declined by pytrovich (``doc_templates.russian``); common nouns need a dictionary, and
pymorphy3 with its OpenCorpora dictionary is the kept one. Only the head of the phrase
changes: the adjectives before it agree with it («старшего воспитателя»), what follows it
is its dependent and stays («директора по УВР», «дополнительного образования»);
abbreviations («УВР», «ОБЖ») are never touched. A word the dictionary cannot place is left
as it is rather than guessed wrong.

The analyzer loads its dictionary once per process (~0.1 s); a declined phrase is cached,
so a 50-row table costs one analysis per distinct position.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

import pymorphy3
from pymorphy3.analyzer import Parse

# our case names (``russian.Case`` values) and pymorphy's grammemes, both accepted
GRAMMEMES = {
    "nominative": "nomn", "genitive": "gent", "dative": "datv", "accusative": "accs",
    "instrumental": "ablt", "prepositional": "loct",
    "nomn": "nomn", "gent": "gent", "datv": "datv", "accs": "accs", "ablt": "ablt",
    "loct": "loct",
}  # fmt: skip
MODIFIERS = frozenset({"ADJF", "PRTF"})
NOUNS = frozenset({"NOUN"})
_WORD = re.compile(r"[А-Яа-яЁё]+(?:-[А-Яа-яЁё]+)*")
_SUBJECT_PARTS = re.compile(r"(\s*,\s*|\s+и\s+)")


@cache
def analyzer() -> pymorphy3.MorphAnalyzer:
    """The one analyzer of the process (its dictionary takes ~0.1 s and ~15 MB to load)."""
    return pymorphy3.MorphAnalyzer()


def grammeme(case: str) -> str:
    """pymorphy's grammeme for ``case`` («genitive» or «gent»). Raises ValueError if unknown."""
    try:
        return GRAMMEMES[str(case).strip().lower()]
    except KeyError:
        raise ValueError(f"unknown case {case!r}: expected one of "
                         f"{', '.join(sorted(set(GRAMMEMES.values())))}") from None


def _is_abbreviation(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return len(letters) > 1 and all(c.isupper() for c in letters)


def _nominative(word: str, pos: frozenset[str], animate: bool) -> Parse | None:
    """The parse of ``word`` as a nominative of one of ``pos``: a person's (``animate``)
    singular, animate first; a thing's singular, else plural («начальные классы»)."""
    found = [p for p in analyzer().parse(word) if p.tag.POS in pos and p.tag.case == "nomn"
             and (p.tag.number != "plur" or not animate)]
    found.sort(key=lambda p: (p.tag.number == "plur", animate and p.tag.animacy != "anim"))
    return found[0] if found else None


def _keep_letter_case(original: str, declined: str) -> str:
    """``declined`` written as ``original`` was: «Учителя» for «Учитель»."""
    if original[:1].isupper():
        return declined[:1].upper() + declined[1:]
    return declined


def _inflect(parse: Parse, wanted: set[str], original: str) -> str:
    inflected = parse.inflect(wanted) or parse.inflect(wanted - {"anim", "inan"})
    return _keep_letter_case(original, inflected.word) if inflected else original


def _decline_head(word: str, case: str, animate: bool) -> tuple[str, str] | None:
    """A head noun (each part of «педагог-психолог») in ``case`` and what its adjectives
    agree with: its gender, or «plur»; None when ``word`` is no nominative noun."""
    declined, agreement = [], ""
    for part in word.split("-"):
        parse = None if _is_abbreviation(part) else _nominative(part, NOUNS, animate)
        if parse is None:
            declined.append(part)
            continue
        plural = parse.tag.number == "plur"
        agreement = agreement or ("plur" if plural else str(parse.tag.gender or "masc"))
        declined.append(_inflect(parse, {case, "plur"} if plural else {case}, part))
    return ("-".join(declined), agreement) if agreement else None


def _modifier_forms(word: str, case: str, gender: str | None, animate: bool) -> str:
    """An adjective or participle agreeing with its noun's ``gender`` or «plur» (its own
    gender if None)."""
    parse = _nominative(word, MODIFIERS, animate)
    if parse is None:
        return word
    wanted = {case, "plur"} if gender == "plur" else \
        {case, gender or str(parse.tag.gender or "masc"), "sing"}
    if case == "accs":
        wanted.add("anim" if animate else "inan")
    return _inflect(parse, wanted, word)


@lru_cache(maxsize=4096)
def decline_phrase(phrase: str, case: str, *, animate: bool = True) -> str:
    """``phrase`` (a noun phrase in the nominative) with its head put in ``case``.

    «заместитель директора по УВР» → «заместителя директора по УВР» (genitive);
    «старший воспитатель» → «старшему воспитателю» (dative); «заведующий библиотекой» →
    «заведующего библиотекой». ``animate`` (a person's position) makes the accusative that
    of a person («назначить учителя»); a subject or a thing is inanimate. Returns the phrase
    unchanged when it has no nominative head the dictionary knows. Raises ValueError for an
    unknown case.
    """
    case = grammeme(case)
    if case == "nomn" or not phrase.strip():
        return phrase
    words = list(_WORD.finditer(phrase))
    modifiers: list[re.Match[str]] = []
    for i, match in enumerate(words):
        word = match.group()
        if _is_abbreviation(word):
            break
        following = words[i + 1].group() if i + 1 < len(words) else ""
        is_modifier = _nominative(word, MODIFIERS, animate) is not None
        noun_follows = bool(following) and not _is_abbreviation(following) and (
            _nominative(following.split("-")[0], NOUNS, animate) is not None
            or _nominative(following, MODIFIERS, animate) is not None)
        if is_modifier and noun_follows:
            modifiers.append(match)
            continue
        head = _decline_head(word, case, animate)
        if head is None and is_modifier:  # a substantivized one: «заведующий библиотекой»
            head = (_modifier_forms(word, case, None, animate), "")
        if head is None:
            return phrase
        declined, gender = head
        pieces = [(m, _modifier_forms(m.group(), case, gender or None, animate))
                  for m in modifiers]
        pieces.append((match, declined))
        return _splice(phrase, pieces)
    return phrase


def _splice(phrase: str, pieces: list[tuple[re.Match[str], str]]) -> str:
    out, at = [], 0
    for match, text in pieces:
        out.append(phrase[at:match.start()])
        out.append(text)
        at = match.end()
    out.append(phrase[at:])
    return "".join(out)


def subject_genitive(subject: str) -> str:
    """The subjects a teacher teaches, after «учитель»: «математика» → «математики»,
    «русский язык и литература» → «русского языка и литературы», «ОБЖ» stays."""
    parts = _SUBJECT_PARTS.split(subject.strip())
    return "".join(part if i % 2 else decline_phrase(part, "gent", animate=False)
                   for i, part in enumerate(parts))


def lower_first(text: str) -> str:
    """«Учитель» → «учитель» in the middle of a sentence; «УВР …» and «ИТ-…» stay."""
    first = text.split(" ", 1)[0]
    if not text or _is_abbreviation(first.split("-")[0]):
        return text
    return text[:1].lower() + text[1:]


def position_phrase(position: str, subject: str | None = None, case: str = "nomn") -> str:
    """A person's position in ``case``, with the subject taught in the genitive after it:
    («Учитель», «математика», dative) → «учителю математики». The position is written in
    lower case as in the middle of a sentence (abbreviations kept); a subject the position
    already names is not repeated."""
    text = lower_first((position or "").strip())
    subject = (subject or "").strip()
    if subject:
        taught = subject_genitive(lower_first(subject))
        if taught.lower() not in text.lower():
            text = f"{text} {taught}"
    return decline_phrase(text, case)

"""Russian typesetting of rendered text: non-breaking spaces where a line must not break.

A records manager never lets a line end between «№» and its number, between initials and
the surname («И.С.\u00a0Петров», «Петров\u00a0И.С.»), between a number and its unit or month
(«3\u00a0месяца», «2026\u00a0г.», «1\u00a0сентября»), after «ст.», «п.», «ч.» before their
number, after «г.» before a town, or before a dash. Templates and form data are written
with plain spaces; ``render`` runs ``nbsp_runs`` over the text runs (``<w:t>``) of every
rendered part, so no template has to spell them out. Only the text inside one run is seen:
the built-in templates keep each such pair in one run.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

NBSP = "\u00a0"
MONTHS = ("января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|"
          "декабря")
UNITS = (r"г\.|гг\.|год|года|лет|месяц|месяца|месяцев|недел[ьияю]|недель|день|дня|дней|"
         r"рабочих|рабочий|календарных|календарный|час|часа|часов|руб\.|рубл[ьяей]+|коп\.|"
         r"тыс\.|млн|%|чел\.|человек|экз\.|л\.|"
         + MONTHS)
NUMBER_SPACE = tuple(f"{c} " for c in "0123456789»")
# (what the text must hold for the rule to apply, checked first as it is cheap; the pattern;
# the replacement)
RULES: tuple[tuple[tuple[str, ...], re.Pattern[str], str | Callable[[re.Match[str]], str]],
             ...] = (
    # «№ 5», «№ 1-од», «№ _____»
    (("№ ",), re.compile(r"№ (?=[\w_])"), "№" + NBSP),
    # initials before the surname: «И.С. Петров», «И. С. Петров»
    ((". ",), re.compile(r"(?<![\w.])([А-ЯЁ]\.)( ?)([А-ЯЁ]\.) (?=[А-ЯЁ][а-яё])"),
     lambda m: m[1] + (NBSP if m[2] else "") + m[3] + NBSP),
    # the surname before initials: «Петров И.С.», «Петрову И. С.»
    ((" ",), re.compile(r"(?<=[А-ЯЁа-яё]) ([А-ЯЁ]\.)( ?)([А-ЯЁ]\.)(?!\w)(?![ \u00a0][А-ЯЁ][а-яё])"),
     lambda m: NBSP + m[1] + (NBSP if m[2] else "") + m[3]),
    # a number and its unit or month: «3 месяца», «2026 г.», «1 сентября», ««3» декабря»
    (NUMBER_SPACE, re.compile(r"(?<=[\d»]) (?=(?:" + UNITS + r")(?![\w]))"), NBSP),
    # thousands: «5 000,00»
    (NUMBER_SPACE, re.compile(r"(?<=\d) (?=\d{3}(?!\d))"), NBSP),
    # an abbreviation before its number: «ст. 351.8», «п. 5.1», «ч. 4»
    ((". ",), re.compile(r"(?<![\w])(ст|п|пп|ч|гл|разд|абз|рис|табл|стр)\. (?=\d)"), r"\1." + NBSP),
    # a town after «г.»: «г. Волгоград»
    (("г. ",), re.compile(r"(?<![\w\u00a0])г\. (?=[А-ЯЁ])"), "г." + NBSP),
    # a dash never begins a line
    ((" —", " –"), re.compile(r" (?=[—–] )"), NBSP),
)
RUN_TEXT = re.compile(r"(<w:t(?:\s[^>]*)?>)([^<]+)(</w:t>)")
TRIGGER = re.compile(r"[№.\d—–»]")


def nbsp(text: str) -> str:
    """``text`` with non-breaking spaces where Russian typesetting wants them."""
    if " " not in text or not TRIGGER.search(text):
        return text
    for needles, pattern, replacement in RULES:
        if any(n in text for n in needles):
            text = pattern.sub(replacement, text)
    return text


def nbsp_runs(xml: str) -> str:
    """The rendered WordprocessingML ``xml`` with ``nbsp`` applied to each text run."""
    return RUN_TEXT.sub(_typeset_run, xml)


@lru_cache(maxsize=4096)  # a document repeats its runs: positions, dates, a row's cells
def _short(text: str) -> str:
    return nbsp(text)


def _typeset_run(match: re.Match[str]) -> str:
    text = match[2]
    if " " not in text:
        return match[0]
    return match[1] + (_short(text) if len(text) <= 200 else nbsp(text)) + match[3]

"""Jinja of the slots the templates fill with a person's words, declined and agreeing.

A position is a slot in the middle of a sentence («от Ивановой Марии Петровны, учителя
математики»), in the case the sentence asks for, with the subject taught in the genitive
after it — never «учитель (математика)». The filters are ``doc_templates.russian``'s
(``position``, ``by_gender``, ``by_number``, ``case``).
"""

from __future__ import annotations


def position_of(person: str, case: str = "nomn") -> str:
    """Jinja for a person's position with the subject taught, in ``case``: «учитель
    математики», «заместителя директора по УВР» (``person`` is an expression such as
    ``data.person``; ``case`` as ``russian.position`` takes it: «gent», «datv»…)."""
    return "{{ " + person + ("|position }}" if case == "nomn" else f"|position('{case}') }}}}")



def mentees_word(mentees: str, masculine: str, feminine: str, plural: str) -> str:
    """Jinja for a word naming the mentees of ``mentees`` (a list expression): for one, in
    her gender («наставляемой»), for more, ``plural`` («наставляемых»)."""
    return ("{% if " + mentees + "|length == 1 %}{{ " + mentees + "[0]|by_gender('" +
            masculine + "', '" + feminine + "') }}{% else %}" + plural + "{% endif %}")


# the pair or group, in the genitive: «наставника А.Б. Иванова и наставляемой В.Г. Седых»,
# «… и наставляемых …» for a group
PAIR = ("наставника {% if extra.mentor %}{{ extra.mentor|genitive }}{% endif %} и "
        + mentees_word("extra.mentees", "наставляемого", "наставляемой", "наставляемых") + " "
        "{% for m in extra.mentees %}{{ m|genitive }}{% if not loop.last %}, {% endif %}"
        "{% endfor %}")

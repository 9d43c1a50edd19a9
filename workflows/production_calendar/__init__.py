"""The production calendar as data: one JSON file a year (``2026.json``), read by
``workflows.calendar``.

Each file holds what the government's yearly decree on the transfer of days off
(Постановление Правительства РФ «О переносе выходных дней в … году», ТК РФ ст. 112 ч. 5)
decides for that year: ``transfers`` (a day off moved ``from`` a weekend day ``to`` a
weekday), the decree's citation (``decree``), where it was read (``source``), and the
year's total of working days as the source states it (``working_days``, checked by the
tests against the calendar computed from the rules). The fixed holidays of ст. 112 ч. 1 and
the move of a holiday falling on a weekend (ч. 2) are law, not data: they are computed.

A new year is a new file here (or in the folder named by ``NASTAVNIK_CALENDAR_DIR``); no
code changes. A year whose decree could not be sourced has ``"decree": null`` and no
transfers, and every count touching it tells the user so.
"""

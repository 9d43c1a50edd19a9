"""The rules the curator's order and the order approving the Положение share
(``workflows.guards``): a duty goes to a deputy head only, a due date is not before the day
the order takes effect, an order is not signed backdated, and it sets no term already past on
the day it is signed (``curator_deadlines_not_past``, ``site_date_not_past``). Each refuses
with its Russian message, at submitting or again at signing, and the document keeps its state
and stays unnumbered."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from storage.db import db_session
from tests.helpers.documents import draft
from tests.helpers.orders import START, check_refused_at, curator_data, regulation_data

DATA = {"curator_order": curator_data, "regulation_order": regulation_data}
TODAY = date.today()
YESTERDAY, THREE_DAYS_AGO = TODAY - timedelta(days=1), TODAY - timedelta(days=3)
TWO_DAYS_EARLY, FIVE_DAYS_EARLY = START - timedelta(days=2), START - timedelta(days=5)


def backdated(what: str, day: date) -> str:
    """The refusal of an order signed today with ``what`` on ``day``, a day already past."""
    return (f"{what} ({day:%d.%m.%Y}) раньше даты подписания приказа ({TODAY:%d.%m.%Y}): "
            f"приказ не издаётся задним числом — укажите дату не ранее сегодняшней.")


def gone_by(what: str, day: date) -> str:
    """The refusal of an order signed today setting ``what`` on ``day``, a day gone by."""
    return (f"{what} ({day:%d.%m.%Y}) уже прошёл на дату подписания приказа "
            f"({TODAY:%d.%m.%Y}): укажите срок не ранее даты подписания.")


@pytest.mark.parametrize(("kind", "changes", "action", "message"), [
    pytest.param("curator_order", {"last_name": "Иванова"}, "submit",
                 "Куратором может быть назначен только заместитель руководителя (§4.4.4 "
                 "Положения); Иванова Мария Петровна — учитель.", id="teacher_as_curator"),
    pytest.param("regulation_order", {"control": "Иванова"}, "submit",
                 "Контроль исполнения приказа можно возложить только на заместителя "
                 "руководителя (куратора); Иванова Мария Петровна — учитель.",
                 id="control_given_to_a_teacher"),
    pytest.param("curator_order", {"bank_due_date": TWO_DAYS_EARLY.isoformat()}, "submit",
                 f"Срок «сформировать банк наставников и наставляемых» "
                 f"({TWO_DAYS_EARLY:%d.%m.%Y}) раньше даты назначения куратора "
                 f"({START:%d.%m.%Y}).", id="curator_deadline_before_the_appointment"),
    pytest.param("regulation_order", {"site_date": FIVE_DAYS_EARLY.isoformat()}, "submit",
                 f"Срок размещения Положения на сайте ({FIVE_DAYS_EARLY:%d.%m.%Y}) раньше даты "
                 f"введения Положения в действие ({START:%d.%m.%Y}).",
                 id="publication_before_the_effective_date"),
    pytest.param("curator_order", {"start_date": YESTERDAY.isoformat()}, "sign",
                 backdated("Дата назначения куратора", YESTERDAY), id="appointment_backdated"),
    pytest.param("regulation_order", {"effective_date": THREE_DAYS_AGO.isoformat()}, "sign",
                 backdated("Дата введения Положения в действие", THREE_DAYS_AGO),
                 id="regulation_backdated"),
    pytest.param("curator_order", {"start_date": YESTERDAY.isoformat(),
                                   "roadmap_due_date": YESTERDAY.isoformat()}, "sign",
                 gone_by("Срок разработки дорожной карты", YESTERDAY),
                 id="curator_deadline_already_past"),
    pytest.param("regulation_order", {"effective_date": YESTERDAY.isoformat(),
                                      "site_date": YESTERDAY.isoformat()}, "sign",
                 gone_by("Срок размещения Положения и дорожной карты на сайте", YESTERDAY),
                 id="site_date_already_past"),
])
def test_an_order_is_refused_with_its_message_and_keeps_its_state(app, kind, changes, action,
                                                                  message):
    with app.app_context():
        doc = draft(kind, DATA[kind](**changes))
        check_refused_at(doc, action, message)
        assert db_session().get(type(doc), doc.id).number in (None, "")  # refused: unnumbered

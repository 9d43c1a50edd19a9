"""Forms pick pairs, programs and orders from lists of the user's own organization."""

from __future__ import annotations

from tests.helpers import pairs
from tests.helpers.http import login_as


def test_program_forms_list_the_running_programs_and_active_pairs(client, app):
    with app.app_context():
        program = pairs.running_program("Иванова", "Седых")
        program_id, group_id = program.id, program.group_id
    login_as(client, "curator")
    page = client.get("/documents/new/program_change").get_data(as_text=True)
    assert f'<option value="{program_id}"' in page
    assert "наставник Иванова Мария Петровна; наставляемые: Седых Ирина Павловна" in page
    page = client.get("/documents/new/mentoring_program").get_data(as_text=True)
    assert f'<option value="{group_id}"' in page
    page = client.get("/documents/new/pairing_order").get_data(as_text=True)
    assert "Приказ № 1-од от" in page  # the signed order that formed the pair

    login_as(client, "clerk12")  # another school sees none of them
    page = client.get("/documents/new/program_change").get_data(as_text=True)
    assert "Иванова Мария Петровна" not in page and "Пока выбрать не из чего." in page

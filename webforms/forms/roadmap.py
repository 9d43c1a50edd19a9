"""The form of the roadmap of putting the Положение into practice (П2, П1 §3.3–3.4)."""

from datetime import date

from webforms.forms.base import FormSchema, RowSchema, choice, day, number, person, rows, text
from workflows.roadmap import current_school_year, default_rows, stages


class RoadmapRow(RowSchema):
    stage = choice("Этап (Приложение 2)", stages())
    content = text("Содержание деятельности и мероприятия", max_len=3000, widget="textarea")
    start_date = day("Срок: с")
    end_date = day("Срок: по")
    responsible_id = person("Ответственный")


def roadmap_rows(label: str, *, from_today: bool = False):
    """The seven stages of П2, pre-filled with the model's activities and dates: over the
    school year, or (``from_today``, an order's Приложение) counted from the day the form
    opens, so no stage is already over on the order's date."""
    default = (lambda: default_rows(from_day=date.today())) if from_today else default_rows()
    return rows(label, RoadmapRow, min_rows=7, default_text=default,
                help="Семь этапов Приложения 2 к Положению; для каждого укажите сроки и "
                     "ответственного. Этап можно разбить на несколько строк.")


class RoadmapForm(FormSchema):
    school_year = number("Учебный год (год начала: 2026 — это 2026/2027)", minimum=2020,
                         maximum=2100, default_text=str(current_school_year()))
    rows = roadmap_rows("Мероприятия дорожной карты")
    notes = text("Примечание", required=False, max_len=2000, widget="textarea")


FORM = RoadmapForm

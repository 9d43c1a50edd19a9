"""The form of the curator's final report (§4.4.4, П1 §3.4): the period and the words.

The figures are not typed: ``workflows.final_report.figures`` builds them from the data.
"""

from webforms.forms.base import FormSchema, day, text


class FinalReportForm(FormSchema):
    start_date = day("Начало отчётного периода")
    end_date = day("Окончание отчётного периода")
    conclusions = text("Выводы", max_len=6000, widget="textarea")
    proposals = text("Предложения", max_len=6000, widget="textarea")


FORM = FinalReportForm

from django import forms

from qms.reports import periods


class ReportRequestForm(forms.Form):
    """Ask for the PDF report: a unit in the viewer's scope and the period of the statistics
    page (sent on as the same query fields: ``period``, ``year``, ``month``, ``tertial``,
    ``from``, ``to``)."""

    unit = forms.IntegerField(min_value=1, max_value=2**62)

    def clean(self):
        cleaned = super().clean()
        try:
            cleaned["period_obj"] = periods.parse(self.data)
        except periods.PeriodError as exc:
            raise forms.ValidationError(str(exc)) from None
        return cleaned

from django import forms
from django.utils.translation import gettext_lazy as _

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


class ControlReportForm(forms.Form):
    """A new report on internal control: a year, or a tertial of a year."""

    PERIOD_CHOICES = [
        ("year", _("Hele året")),
        ("1", _("1. tertial")),
        ("2", _("2. tertial")),
        ("3", _("3. tertial")),
    ]

    year = forms.IntegerField(label=_("År"), min_value=2000, max_value=2100)
    part = forms.ChoiceField(label=_("Periode"), choices=PERIOD_CHOICES, initial="year")

    def period(self) -> periods.Period:
        year = self.cleaned_data["year"]
        part = self.cleaned_data["part"]
        return periods.year(year) if part == "year" else periods.tertial(year, int(part))


class ChapterForm(forms.Form):
    """The chief executive's assessment in one chapter."""

    good = forms.CharField(
        label=_("Dette fungerer godt"), required=False, max_length=20000, widget=forms.Textarea
    )
    weak = forms.CharField(
        label=_("Dette fungerer ikke godt nok"),
        required=False,
        max_length=20000,
        widget=forms.Textarea,
    )
    planned = forms.CharField(
        label=_("Dette vil vi gjøre"), required=False, max_length=20000, widget=forms.Textarea
    )

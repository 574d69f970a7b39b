from django import template
from django.utils.formats import number_format

from qms.reports.tables import Suppressed

register = template.Library()


@register.filter
def stat_cell(value):
    """A table cell: "< 5" for a suppressed count, Norwegian number format otherwise."""
    if isinstance(value, Suppressed):
        return value.label
    if value is None:
        return "–"
    if isinstance(value, float):
        return number_format(value, 1)
    return value


@register.filter
def unit_indent(unit) -> str:
    """Dashes showing a unit's depth in a flat picker (first level none)."""
    return "– " * max(0, unit.depth - 1)

from urllib.parse import urlencode

from django import template
from django.utils.formats import number_format
from django.utils.html import format_html

from qms.reports import periods
from qms.reports.tables import DateCell, Suppressed, UnitCell

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


@register.simple_tag(takes_context=True)
def drill_cell(context, cell):
    """The heading cell of a statistics row. On the statistics page a unit of a by-unit
    breakdown links to that unit's statistics, and a month to that month, in the same section
    (drill-down); a unit only when it is one of the scopes the viewer may choose
    (``qms.reports.scope.choices``, the page's ``units``)."""
    scope, period = context.get("scope"), context.get("period")
    units = context.get("units")
    if scope is None or period is None or not units:
        return cell
    current = context.get("current")
    section = {"section": current.key} if current is not None else {}
    if isinstance(cell, UnitCell):
        if cell.unit_id == scope.unit.pk or cell.unit_id not in _choosable_ids(context, units):
            return cell
        query = {"unit": cell.unit_id, **period.as_query(), **section}
    elif isinstance(cell, DateCell) and cell.month:
        month = periods.month(cell.value.year, cell.value.month)
        if month == period:
            return cell
        query = {"unit": scope.unit.pk, **month.as_query(), **section}
    else:
        return cell
    return format_html('<a class="ds-link" href="?{}">{}</a>', urlencode(query), cell)


def _choosable_ids(context, units) -> set[int]:
    """The ids of the scopes the viewer may choose, gathered once per table (its template's
    render context), not once per row."""
    ids = context.render_context.get("drill_unit_ids")
    if ids is None:
        ids = context.render_context["drill_unit_ids"] = {u.pk for u in units}
    return ids

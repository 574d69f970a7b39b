from django import template

from qms import formats

register = template.Library()


@register.filter
def percent(value, decimals: int = 1) -> str:
    """``{{ share|percent }}``: "97,8 %" in Norwegian, "97.8%" in English (qms.formats)."""
    return formats.percent(value, int(decimals))

"""Widget markup written in Python where the template engine is too slow for it."""

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

register = template.Library()

OPTION_TEMPLATE = "django/forms/widgets/select_option.html"


def _attrs(attrs: dict) -> str:
    # Django's attrs.html: False leaves the attribute out, True writes its name alone.
    return "".join(
        f" {name}" if value is True else f' {name}="{conditional_escape(str(value))}"'
        for name, value in attrs.items()
        if value is not False
    )


@register.simple_tag
def select_options(widget: dict) -> str:
    """The ``<optgroup>``s and ``<option>``s of a select widget's context, the markup of
    Django's select_option.html. A unit select has 200 options: one template include per option
    was half the time of a list page with a filter form (bench/load.py); this is one loop."""
    out = []
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            out.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for option in group_choices:
            if option["template_name"] != OPTION_TEMPLATE:
                out.append(
                    "\n  "
                    + template.loader.render_to_string(option["template_name"], {"widget": option})
                )
                continue
            out.append(
                f'\n  <option value="{conditional_escape(str(option["value"]))}"'
                f"{_attrs(option['attrs'])}>{conditional_escape(option['label'])}</option>\n"
            )
        if group_name:
            out.append("\n  </optgroup>")
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped

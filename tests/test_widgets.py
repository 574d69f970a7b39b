"""PeopleSelect writes the same <select> as Django's template-rendered Select."""

import pytest
from django import forms
from django.test.html import parse_html

from qms.models import User
from qms.widgets import PeopleSelect

pytestmark = pytest.mark.django_db


def _forms(**field_kwargs):
    class Plain(forms.Form):
        person = forms.ModelChoiceField(queryset=User.objects.order_by("username"), **field_kwargs)

    class Fast(forms.Form):
        person = forms.ModelChoiceField(
            queryset=User.objects.order_by("username"), widget=PeopleSelect, **field_kwargs
        )

    return Plain, Fast


@pytest.mark.parametrize("required", [True, False])
def test_same_markup_as_the_template_rendered_select(required):
    ann = User.objects.create_user("ann", first_name="Ann", last_name="Berg")
    User.objects.create_user("bo", first_name="Bo & <i>Co</i>")
    User.objects.create_user("cecilie")
    Plain, Fast = _forms(required=required, help_text="Hvem har ansvaret?")
    for data in (None, {"person": str(ann.pk)}, {"person": "999999"}):
        plain, fast = Plain(data), Fast(data)
        if data:
            plain.is_valid(), fast.is_valid()
        assert parse_html(str(fast["person"])) == parse_html(str(plain["person"]))
    fast_html = str(Fast({"person": str(ann.pk)})["person"])
    assert f'<option value="{ann.pk}" selected>' in fast_html
    assert "<i>" not in fast_html and "&lt;i&gt;" in fast_html  # labels are escaped


def test_option_groups_are_refused():
    widget = PeopleSelect(choices=[("Gruppe", [("1", "En")])])
    with pytest.raises(ValueError, match="option groups"):
        widget.render("x", None)

"""Forms of the risk pages. Validation of scores lives in the services; the forms parse input,
offer only the levels of the municipality's matrix, and show the services' errors in place."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from deviations.querysets import responsible_candidates
from qms import permissions
from qms.fields import PeopleChoiceField, PeopleMultipleChoiceField
from qms.models import Membership, OrgUnit, User
from qms.permissions import actor_for
from qms.querysets import subtree_q
from qms.widgets import PeopleSelect
from risk.matrix import Matrix
from risk.models import RiskAssessment, RiskItem

DATE = forms.DateInput(attrs={"type": "date", "class": "ds-input"}, format="%Y-%m-%d")


def _style(form: forms.Form) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            widget.attrs.setdefault("class", "ds-checkbox")
        elif isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
            continue
        elif isinstance(widget, forms.Select | forms.SelectMultiple):
            widget.attrs.setdefault("class", "ds-select")
        elif isinstance(widget, forms.Textarea):
            widget.attrs.setdefault("class", "ds-textarea")
            widget.attrs.setdefault("rows", 3)
        else:
            widget.attrs.setdefault("class", "ds-input")


def participant_choices(user, unit: OrgUnit | None = None):
    """People who may be named participants: members of the unit's subtree and its leaders
    above (or, before a unit is chosen, of the subtrees the user leads)."""
    actor = actor_for(user)
    if unit is not None:
        unit_q = Membership.objects.filter(
            subtree_q([unit.path], "unit__")
            | Q(unit__path__in=unit.ancestor_paths, role__in=Membership.LEADERSHIP)
        )
    elif actor.is_admin:
        unit_q = Membership.objects.all()
    else:
        unit_q = Membership.objects.filter(subtree_q(actor.led_paths, "unit__"))
    return User.objects.filter(is_active=True, pk__in=unit_q.values("user_id")).order_by(
        "first_name", "last_name", "username"
    )


class AssessmentForm(forms.ModelForm):
    class Meta:
        model = RiskAssessment
        fields = [
            "title",
            "unit",
            "activity",
            "scope",
            "important",
            "common",
            "difficult",
            "variable",
            "participants",
            "assessed_on",
            "next_review",
        ]
        widgets = {
            "assessed_on": DATE,
            "next_review": DATE,
            "participants": forms.SelectMultiple(attrs={"size": 6}),
        }
        field_classes = {"participants": PeopleMultipleChoiceField}
        help_texts = {
            "important": _("4V: Er aktiviteten viktig for tjenesten eller brukerne?"),
            "common": _("4V: Er den vanlig, noe mange gjør ofte?"),
            "difficult": _("4V: Er den vanskelig å gjøre riktig?"),
            "variable": _("4V: Har den mest variasjon i hvordan den gjøres?"),
            "participants": _("Deltakerne kan redigere analysen sammen med leder."),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        editing = self.instance.pk is not None
        if editing:
            del self.fields["unit"]
            unit = self.instance.unit
        else:
            self.fields["unit"].queryset = permissions.creatable_units(user, RiskAssessment)
            self.fields["unit"].empty_label = _("Velg enhet")
            unit = None
        self.fields["participants"].queryset = participant_choices(user, unit)
        self.fields["participants"].required = False
        _style(self)

    def clean(self):
        data = super().clean()
        assessed, review = data.get("assessed_on"), data.get("next_review")
        if assessed and review and review < assessed:
            self.add_error("next_review", _("Neste gjennomgang kan ikke være før vurderingen."))
        return data


def _level_field(matrix: Matrix, axis: str, label, required: bool, help_text=""):
    choices = [("", _("– ikke vurdert –"))] if not required else [("", _("– velg –"))]
    choices += matrix.level_choices(axis)
    return forms.TypedChoiceField(
        label=label,
        choices=choices,
        coerce=int,
        empty_value=None,
        required=required,
        help_text=help_text,
    )


class ItemForm(forms.Form):
    hazard = forms.CharField(label=_("Uønsket hendelse – hva kan gå galt?"), max_length=300)
    cause = forms.CharField(label=_("Årsak"), required=False, widget=forms.Textarea)
    existing_controls = forms.CharField(
        label=_("Eksisterende kontrolltiltak"), required=False, widget=forms.Textarea
    )
    treatment = forms.ChoiceField(
        label=_("Håndtering"), choices=RiskItem.Treatment.choices, initial="reduce"
    )

    def __init__(self, *args, matrix: Matrix, **kwargs):
        super().__init__(*args, **kwargs)
        self.matrix = matrix
        fields = {
            "probability": _level_field(matrix, "probability", _("Sannsynlighet"), True),
            "consequence_people": _level_field(
                matrix, "consequence", _("Konsekvens for liv og helse"), False
            ),
            "consequence_environment": _level_field(
                matrix, "consequence", _("Konsekvens for miljø og materielle verdier"), False
            ),
            "consequence_economy": _level_field(
                matrix, "consequence", _("Konsekvens for økonomi"), False
            ),
            "consequence_reputation": _level_field(
                matrix,
                "consequence",
                _("Konsekvens for omdømme"),
                False,
                _("Den verste konsekvensen teller."),
            ),
            "residual_probability": _level_field(
                matrix, "probability", _("Sannsynlighet etter tiltak"), False
            ),
            "residual_consequence": _level_field(
                matrix, "consequence", _("Konsekvens etter tiltak"), False
            ),
        }
        order = ["hazard", "cause", "existing_controls", *fields, "treatment"]
        self.fields.update(fields)
        self.order_fields(order)
        _style(self)

    def clean(self):
        data = super().clean()
        consequences = [
            data.get(f)
            for f in (
                "consequence_people",
                "consequence_environment",
                "consequence_economy",
                "consequence_reputation",
            )
        ]
        if not any(consequences) and not self.has_error("consequence_people"):
            self.add_error("consequence_people", _("Vurder konsekvens for minst én type."))
        if (data.get("residual_probability") is None) != (data.get("residual_consequence") is None):
            self.add_error(
                "residual_consequence",
                _("Fyll ut både sannsynlighet og konsekvens etter tiltak, eller ingen av dem."),
            )
        return data


class AcceptForm(forms.Form):
    reason = forms.CharField(
        label=_("Begrunnelse for å akseptere restrisikoen"),
        widget=forms.Textarea,
        max_length=2000,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class MeasureForm(forms.Form):
    description = forms.CharField(label=_("Tiltak"), widget=forms.Textarea, max_length=2000)
    responsible = PeopleChoiceField(
        label=_("Ansvarlig"),
        queryset=User.objects.none(),
        widget=PeopleSelect,
        empty_label=_("Velg ansvarlig"),
    )
    deadline = forms.DateField(label=_("Frist"), widget=DATE)

    def __init__(self, *args, assessment: RiskAssessment, **kwargs):
        super().__init__(*args, **kwargs)
        # The same people create_action accepts for the unit (one rule for every action).
        self.fields["responsible"].queryset = responsible_candidates(assessment.unit)
        _style(self)

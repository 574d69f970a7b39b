"""One FilterSet for the inbox page and the API list (NetBox's declared lists)."""

from __future__ import annotations

import django_filters
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from deviations.models import Category, CorrectiveAction, Deviation
from qms.models import OrgUnit


class DeviationFilter(django_filters.FilterSet):
    state = django_filters.MultipleChoiceFilter(label=_("Status"), choices=Deviation.State.choices)
    kind = django_filters.MultipleChoiceFilter(label=_("Type"), choices=Deviation.Kind.choices)
    category = django_filters.ModelChoiceFilter(
        label=_("Kategori"), queryset=Category.objects.all(), empty_label=_("Alle kategorier")
    )
    unit = django_filters.NumberFilter(label=_("Enhet (med underenheter)"), method="filter_unit")
    severity = django_filters.MultipleChoiceFilter(
        label=_("Alvorlighet"), choices=Deviation.Severity.choices
    )
    occurred_from = django_filters.DateFilter(
        label=_("Fra dato"), field_name="occurred_at", lookup_expr="date__gte"
    )
    occurred_to = django_filters.DateFilter(
        label=_("Til dato"), field_name="occurred_at", lookup_expr="date__lte"
    )
    overdue = django_filters.BooleanFilter(label=_("Har forfalte tiltak"), method="filter_overdue")
    personal_data = django_filters.BooleanFilter(
        label=_("Inneholder personopplysninger"), field_name="contains_personal_data"
    )
    q = django_filters.CharFilter(label=_("Søk i nummer og tittel"), method="filter_q")

    class Meta:
        model = Deviation
        fields: list[str] = []

    def filter_unit(self, queryset, name, value):
        unit = OrgUnit.objects.filter(pk=value).only("path").first()
        if unit is None:
            return queryset.none()
        return queryset.for_unit_subtree(unit)

    def filter_overdue(self, queryset, name, value):
        # An overdue action is ActionQuerySet.overdue's (deviations/querysets.py), nowhere else.
        overdue = Exists(
            CorrectiveAction.objects.overdue(timezone.localdate()).filter(deviation=OuterRef("pk"))
        )
        return queryset.filter(overdue if value else ~overdue)

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        if value.upper().startswith("AV-"):
            return queryset.filter(number__istartswith=value)
        return queryset.filter(title__icontains=value)

"""One FilterSet for the assessment list page and the API (NetBox's declared lists)."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from qms.models import OrgUnit
from risk.models import RiskAssessment, RiskItem


class RiskAssessmentFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Søk"))
    status = django_filters.ChoiceFilter(choices=RiskAssessment.Status.choices, label=_("Status"))
    unit = django_filters.ModelChoiceFilter(
        queryset=OrgUnit.objects.all(), method="in_subtree", label=_("Enhet (med underenheter)")
    )
    review_before = django_filters.DateFilter(
        field_name="next_review", lookup_expr="lte", label=_("Gjennomgang før")
    )

    class Meta:
        model = RiskAssessment
        fields = ["q", "status", "unit", "review_before"]

    def search(self, queryset, name, value):
        value = value.strip()[:200]
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(activity__icontains=value))

    def in_subtree(self, queryset, name, value):
        return queryset.filter(unit__path__startswith=value.path)


class RiskItemFilter(django_filters.FilterSet):
    min_score = django_filters.NumberFilter(field_name="score", lookup_expr="gte")
    treatment = django_filters.ChoiceFilter(choices=RiskItem.Treatment.choices)

    class Meta:
        model = RiskItem
        fields = ["min_score", "treatment"]

"""Statistics as JSON: the same figures as the statistics page, through the same scope."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from qms.reports import periods, scope, snapshots
from qms.reports.api.serializers import StatisticsSerializer
from qms.reports.tables import plain

PARAMETERS = [
    OpenApiParameter("unit", OpenApiTypes.INT, description="Enhet (med underliggende enheter)."),
    OpenApiParameter("period", OpenApiTypes.STR, enum=list(periods.KINDS)),
    OpenApiParameter("year", OpenApiTypes.INT),
    OpenApiParameter("month", OpenApiTypes.INT, description="1–12, med period=month"),
    OpenApiParameter("tertial", OpenApiTypes.INT, description="1–3, med period=tertial"),
    OpenApiParameter("from", OpenApiTypes.DATE, description="Med period=custom"),
    OpenApiParameter("to", OpenApiTypes.DATE, description="Med period=custom (inkludert)"),
]


class StatisticsView(APIView):
    """One statistics section for a unit subtree and period (default: the viewer's top unit and
    the current tertial). Counts under 5 in person-level breakdowns come as "< 5"."""

    permission_classes = [IsAuthenticated]
    # Not a resource of the layer: the figures are counts over the viewer's scope
    # (qms.reports.scope), whose choices are the units the viewer may see statistics for.
    permission_exempt = "aggregates over the viewer's statistics scope (qms.reports.scope)"
    section = ""

    @extend_schema(parameters=PARAMETERS, responses=StatisticsSerializer)
    def get(self, request):
        units = scope.choices(request.user)
        if not units:
            raise PermissionDenied
        try:
            period = periods.parse(request.query_params)
        except periods.PeriodError as exc:
            raise serializers.ValidationError({"period": [str(exc)]}) from None
        chosen = scope.resolve(request.user, request.query_params.get("unit"), units)
        snapshot = snapshots.live(chosen, period, charts=False, only=self.section)
        sections = snapshot.sections
        if not sections:
            from django.http import Http404

            raise Http404
        section = sections[0]
        data = {
            "section": section.key,
            "title": str(section.title),
            "unit": {"id": chosen.unit.pk, "name": chosen.unit.name, "code": chosen.unit.code},
            "period": {
                "kind": period.kind,
                "start": period.start,
                "end": period.end,
                "label": period.label,
            },
            "figures": [
                {"label": str(f.label), "value": plain(f.value), "hint": str(f.hint)}
                for f in section.figures
            ],
            "tables": [t.as_dict() for t in section.tables()],
            "computed_at": snapshot.computed_at,
        }
        return Response(StatisticsSerializer(data).data)


def view_for(section: str, doc: str):
    return type(
        f"{section.title().replace('_', '')}StatisticsView",
        (StatisticsView,),
        {"section": section, "__doc__": doc},
    ).as_view()

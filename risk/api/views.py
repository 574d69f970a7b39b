"""API for risk assessments and their items (docs/design.md §9), through the permission layer.

Writes go through the same services as the pages; bad data is a 400 and a change the
assessment's state refuses a 409, both with the Norwegian message; an object the caller cannot
see is a 404, one they see but may not change a 403 (``permission_map``).
"""

from __future__ import annotations

from django.db.models import Prefetch
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from qms.api.pagination import StandardPagination
from qms.api.viewsets import READ, Parent, Perm, RestrictedViewSetMixin
from risk import services
from risk.api.serializers import RiskAssessmentSerializer, RiskItemSerializer
from risk.filters import RiskAssessmentFilter, RiskItemFilter
from risk.models import RiskAssessment, RiskItem, RiskMeasure


class RiskAssessmentViewSet(
    RestrictedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """ROS analyses the caller may see. Leaders create them for units they lead; the unit's
    leaders and named participants change them."""

    queryset = RiskAssessment.objects.select_related("unit")
    serializer_class = RiskAssessmentSerializer
    pagination_class = StandardPagination
    filterset_class = RiskAssessmentFilter
    ordering_fields = ["assessed_on", "title", "next_review", "id"]
    ordering = ["-assessed_on", "-id"]
    http_method_names = ["get", "post", "patch", "head", "options"]
    permission_map = {
        **READ,
        "create": Perm("add", object=False),
        "partial_update": Perm("change"),
        "activate": Perm("change"),
    }

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .with_counts()
            .prefetch_related("participants")
            .order_by("-assessed_on", "-id")
        )

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.create_assessment(actor=self.request.user, **data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        participants = data.pop("participants", None)
        data.pop("unit", None)
        services.update_assessment(
            actor=self.request.user,
            assessment=serializer.instance,
            participants=participants,
            **data,
        )

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        self.perform_create(serializer)
        return self.read_back(serializer.instance.pk, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        instance = self.get_object()
        serializer = self.get_serializer(instance, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        self.perform_update(serializer)
        return self.read_back(instance.pk)

    @extend_schema(request=None, responses=RiskAssessmentSerializer)
    @action(detail=True, methods=["post"])
    def activate(self, request, pk=None):
        """Set a draft active (refused while high risks lack measures or acceptance)."""
        assessment = self.get_object()
        services.activate(actor=request.user, assessment=assessment)
        return self.read_back(assessment.pk)


ASSESSMENT_ID = OpenApiParameter(
    "assessment_pk", OpenApiTypes.INT, OpenApiParameter.PATH, description="Risk assessment id"
)


@extend_schema_view(
    list=extend_schema(parameters=[ASSESSMENT_ID]),
    create=extend_schema(parameters=[ASSESSMENT_ID]),
    retrieve=extend_schema(parameters=[ASSESSMENT_ID]),
    partial_update=extend_schema(parameters=[ASSESSMENT_ID]),
    destroy=extend_schema(parameters=[ASSESSMENT_ID]),
)
class RiskItemViewSet(
    RestrictedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """The items of one assessment, by number. Scores are computed: probability × the worst
    consequence type."""

    queryset = RiskItem.objects.select_related("accepted_by")
    serializer_class = RiskItemSerializer
    pagination_class = StandardPagination
    filterset_class = RiskItemFilter
    ordering_fields = ["number", "score", "residual_score"]
    ordering = ["number"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    parent = Parent(RiskAssessment, "assessment_pk", "assessment", related=("unit",))
    permission_map = {
        **READ,
        "create": Perm("change", object=False),
        "partial_update": Perm("change"),
        "destroy": Perm("delete"),
    }

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .prefetch_related(
                Prefetch(
                    "measures",
                    queryset=RiskMeasure.objects.select_related("action__responsible").order_by(
                        "action__deadline", "pk"
                    ),
                )
            )
            .order_by("number")
        )

    def _values(self, serializer):
        return {k: v for k, v in serializer.validated_data.items() if k in services.ITEM_FIELDS}

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        item = services.add_item(
            actor=request.user, assessment=self.parent_object, **self._values(serializer)
        )
        return self.read_back(item.pk, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        item = self.get_object()
        serializer = self.get_serializer(item, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        services.update_item(actor=request.user, item=item, **self._values(serializer))
        return self.read_back(item.pk)

    def destroy(self, request, *args, **kwargs):
        services.remove_item(actor=request.user, item=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

"""API for risk assessments and their items (DESIGN.md §9), through the permission layer.

Writes go through the same services as the pages; a broken workflow rule is a 400 with the
Norwegian message, an object the caller cannot see a 404, one they see but may not change a 403.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from qms.api.pagination import StandardPagination
from qms.api.viewsets import RestrictedViewSetMixin
from risk import services
from risk.api.serializers import RiskAssessmentSerializer, RiskItemSerializer
from risk.filters import RiskAssessmentFilter, RiskItemFilter
from risk.models import RiskAssessment, RiskItem, RiskMeasure


def _drf_error(error: DjangoValidationError) -> serializers.ValidationError:
    if hasattr(error, "error_dict"):
        return serializers.ValidationError(
            {k: [str(m) for e in v for m in e.messages] for k, v in error.error_dict.items()}
        )
    return serializers.ValidationError({"detail": error.messages})


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
        try:
            serializer.instance = services.create_assessment(actor=self.request.user, **data)
        except DjangoValidationError as error:
            raise _drf_error(error) from None

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        participants = data.pop("participants", None)
        data.pop("unit", None)
        try:
            services.update_assessment(
                actor=self.request.user,
                assessment=serializer.instance,
                participants=participants,
                **data,
            )
        except DjangoValidationError as error:
            raise _drf_error(error) from None

    def _after_write(self, pk):
        instance = self.get_queryset().get(pk=pk)
        return Response(self.get_serializer(instance).data)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        self.perform_create(serializer)
        instance = self.get_queryset().get(pk=serializer.instance.pk)
        return Response(self.get_serializer(instance).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        instance = self.get_object()
        serializer = self.get_serializer(instance, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        self.perform_update(serializer)
        return self._after_write(instance.pk)

    @extend_schema(request=None, responses=RiskAssessmentSerializer)
    @action(detail=True, methods=["post"])
    def activate(self, request, pk=None):
        """Set a draft active (refused while high risks lack measures or acceptance)."""
        # The service checks the "change" right (403); get_object gives the 404 for the unseen.
        assessment = self.get_object()
        try:
            services.activate(actor=request.user, assessment=assessment)
        except DjangoValidationError as error:
            raise _drf_error(error) from None
        return self._after_write(assessment.pk)


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

    def assessment(self) -> RiskAssessment:
        if not hasattr(self, "_assessment"):
            found = (
                RiskAssessment.objects.restrict(self.request.user, "view")
                .filter(pk=self.kwargs["assessment_pk"])
                .select_related("unit")
                .first()
            )
            if found is None:
                raise NotFound()
            self._assessment = found
        return self._assessment

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return RiskItem.objects.none()
        return (
            super()
            .get_queryset()
            .filter(assessment=self.assessment())
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
        assessment = self.assessment()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            item = services.add_item(
                actor=request.user, assessment=assessment, **self._values(serializer)
            )
        except DjangoValidationError as error:
            raise _drf_error(error) from None
        return Response(
            self.get_serializer(self.get_queryset().get(pk=item.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    def update(self, request, *args, **kwargs):
        item = self.get_object()
        serializer = self.get_serializer(item, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        try:
            services.update_item(actor=request.user, item=item, **self._values(serializer))
        except DjangoValidationError as error:
            raise _drf_error(error) from None
        return Response(self.get_serializer(self.get_queryset().get(pk=item.pk)).data)

    def destroy(self, request, *args, **kwargs):
        item = self.get_object()
        try:
            services.remove_item(actor=request.user, item=item)
        except DjangoValidationError as error:
            raise _drf_error(error) from None
        return Response(status=status.HTTP_204_NO_CONTENT)

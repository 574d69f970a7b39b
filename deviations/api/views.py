"""/api/v1/deviations/ and /api/v1/deviations/{id}/actions/, through the permission layer."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException, PermissionDenied, ValidationError
from rest_framework.response import Response

from deviations import services
from deviations.api import serializers as s
from deviations.filters import DeviationFilter
from deviations.models import CorrectiveAction, Deviation, Event
from qms import permissions
from qms.api.pagination import KeysetPagination
from qms.api.viewsets import RestrictedViewSetMixin


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "Konflikt med gjeldende tilstand."
    default_code = "conflict"


def call_service(fn, **kwargs):
    """Run a service; its refusals become 400 (data), 403 (permission) or 409 (state)."""
    try:
        return fn(**kwargs)
    except services.TransitionError as exc:
        raise Conflict(exc.message) from exc
    except DjangoValidationError as exc:
        raise ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        ) from exc
    except DjangoPermissionDenied as exc:
        raise PermissionDenied(str(exc) or None) from exc


TRANSITION_RESPONSES = {
    200: s.DeviationSerializer,
    409: OpenApiResponse(description="Ikke tillatt i sakens nåværende tilstand"),
}


class DeviationViewSet(
    RestrictedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Deviations the user may see: their own reports, a leader's subtree, shared cases.

    Lists use keyset pagination (no COUNT over a million rows). Transitions are POST actions;
    one refused because of the case's state answers 409 with a Norwegian message.
    """

    queryset = Deviation.objects.all()
    pagination_class = KeysetPagination
    filterset_class = DeviationFilter
    ordering_fields: list[str] = []

    # The qms mixin's ``@action(permission_action=...)`` keyword is set on the instance by DRF
    # and shadows the mixin's method, so the transitions name their permission here instead.
    TRANSITION_PERMISSION = {"comment": "view"}

    def permission_action(self) -> str:
        if self.action in ("start", "assign", "classify", "forward", "reject", "close"):
            return "change"
        return self.TRANSITION_PERMISSION.get(self.action) or super().permission_action()

    def get_queryset(self):
        qs = super().get_queryset().select_related("unit", "category")
        if self.action == "retrieve":
            qs = qs.select_related("reporter", "handler").prefetch_related(
                Prefetch(
                    "actions",
                    queryset=CorrectiveAction.objects.select_related("responsible").order_by(
                        "deadline", "pk"
                    ),
                ),
                Prefetch("events", queryset=Event.objects.select_related("actor")),
            )
        return qs

    def get_serializer_class(self):
        if self.action == "list":
            return s.DeviationListSerializer
        if self.action == "create":
            return s.DeviationCreateSerializer
        return s.DeviationSerializer

    def get_object(self):
        """The detail and every transition answer with the case: ``fetch_for`` loads (with the
        permission this action needs) and logs the read of a personal-data case."""
        deviation = services.fetch_for(
            self.request.user,
            self.kwargs["pk"],
            self.permission_action(),
            "api",
            self.get_queryset(),
        )
        self.check_object_permissions(self.request, deviation)
        return deviation

    def retrieve(self, request, *args, **kwargs):
        return Response(s.DeviationSerializer(self.get_object()).data)

    @extend_schema(request=s.DeviationCreateSerializer, responses={201: s.DeviationSerializer})
    def create(self, request, *args, **kwargs):
        data = s.DeviationCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        created = call_service(
            services.report_deviation, reporter=request.user, **data.validated_data
        )
        # The answer is the case as the reporter now sees it (on the web: the logged case page).
        deviation = services.fetch_for(request.user, created.pk, "view", "api", self.get_queryset())
        return Response(s.DeviationSerializer(deviation).data, status=status.HTTP_201_CREATED)

    def _transition(self, request, serializer_class, fn, **fixed):
        deviation = self.get_object()
        kwargs = {}
        if serializer_class is not None:
            data = serializer_class(data=request.data)
            data.is_valid(raise_exception=True)
            kwargs = data.validated_data
        call_service(fn, actor=request.user, deviation=deviation, **kwargs, **fixed)
        return Response(s.DeviationSerializer(self.get_queryset().get(pk=deviation.pk)).data)

    @extend_schema(request=None, responses=TRANSITION_RESPONSES)
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        return self._transition(request, None, services.start_treatment)

    @extend_schema(request=s.HandlerSerializer, responses=TRANSITION_RESPONSES)
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        return self._transition(request, s.HandlerSerializer, services.assign_handler)

    @extend_schema(request=s.ClassifySerializer, responses=TRANSITION_RESPONSES)
    @action(detail=True, methods=["post"])
    def classify(self, request, pk=None):
        return self._transition(request, s.ClassifySerializer, services.classify_deviation)

    @extend_schema(request=s.ForwardSerializer, responses=TRANSITION_RESPONSES)
    @action(detail=True, methods=["post"])
    def forward(self, request, pk=None):
        return self._transition(request, s.ForwardSerializer, services.forward_deviation)

    @extend_schema(request=s.ReasonSerializer, responses=TRANSITION_RESPONSES)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self._transition(request, s.ReasonSerializer, services.reject_deviation)

    @extend_schema(request=s.NoteSerializer, responses=TRANSITION_RESPONSES)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        return self._transition(request, s.NoteSerializer, services.close_deviation)

    @extend_schema(request=s.CommentSerializer, responses=TRANSITION_RESPONSES)
    @action(detail=True, methods=["post"])
    def comment(self, request, pk=None):
        return self._transition(request, s.CommentSerializer, services.add_comment)


class ActionViewSet(viewsets.GenericViewSet):
    """The actions of one deviation (``/deviations/{deviation_pk}/actions/``)."""

    serializer_class = s.ActionSerializer
    pagination_class = None
    queryset = CorrectiveAction.objects.all()

    def deviation(self, action: str = "view") -> Deviation:
        # Every answer of this viewset carries the case's actions: the read is logged.
        return services.fetch_for(
            self.request.user,
            self.kwargs["deviation_pk"],
            action,
            "api",
            Deviation.objects.select_related("unit"),
        )

    def get_queryset(self):
        return (
            CorrectiveAction.objects.filter(deviation_id=self.kwargs.get("deviation_pk"))
            .select_related("responsible")
            .order_by("deadline", "pk")
        )

    def _action(self, permission: str = "view") -> CorrectiveAction:
        # Seeing the deviation is seeing its actions; changing one needs the action's own right.
        deviation = self.deviation()
        found = self.get_queryset().filter(deviation=deviation, pk=self.kwargs["pk"]).first()
        if found is None:
            raise Http404
        if permission != "view" and not permissions.can(self.request.user, found, permission):
            raise PermissionDenied()
        return found

    @extend_schema(responses=s.ActionSerializer(many=True))
    def list(self, request, deviation_pk=None):
        self.deviation()
        return Response(s.ActionSerializer(self.get_queryset(), many=True).data)

    @extend_schema(responses=s.ActionSerializer)
    def retrieve(self, request, deviation_pk=None, pk=None):
        return Response(s.ActionSerializer(self._action()).data)

    @extend_schema(request=s.ActionCreateSerializer, responses={201: s.ActionSerializer})
    def create(self, request, deviation_pk=None):
        deviation = self.deviation("change")
        data = s.ActionCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        created = call_service(
            services.create_action,
            actor=request.user,
            unit=deviation.unit,
            deviation=deviation,
            **data.validated_data,
        )
        return Response(s.ActionSerializer(created).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.NoteSerializer, responses={200: s.ActionSerializer})
    @action(detail=True, methods=["post"])
    def complete(self, request, deviation_pk=None, pk=None):
        target = self._action("complete")
        data = s.NoteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        done = call_service(
            services.complete_action,
            actor=request.user,
            action=target,
            note=data.validated_data["note"],
        )
        return Response(s.ActionSerializer(done).data)

    @extend_schema(request=s.EvaluateSerializer, responses={200: s.ActionSerializer})
    @action(detail=True, methods=["post"])
    def evaluate(self, request, deviation_pk=None, pk=None):
        target = self._action("evaluate")
        data = s.EvaluateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        done = call_service(
            services.evaluate_action_effect,
            actor=request.user,
            action=target,
            **data.validated_data,
        )
        return Response(s.ActionSerializer(done).data)

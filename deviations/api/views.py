"""/api/v1/deviations/ (with /actions/) and /api/v1/inspections/ (with /findings/), through the
permission layer."""

from __future__ import annotations

from django.db.models import Prefetch
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from deviations import services
from deviations.api import serializers as s
from deviations.filters import DeviationFilter
from deviations.models import (
    CorrectiveAction,
    Deviation,
    Event,
    Inspection,
    InspectionFinding,
)
from qms.api.pagination import KeysetPagination
from qms.api.viewsets import READ, Parent, Perm, RestrictedViewSetMixin

TRANSITION_RESPONSES = {
    200: s.DeviationSerializer,
    204: OpenApiResponse(
        description=(
            "Endringen er lagret, men du har ikke lenger tilgang til saken (for eksempel etter "
            "videresending til en enhet utenfor ditt ansvarsområde). Svaret har ikke innhold."
        )
    ),
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
    one refused because of the case's state answers 409 with a Norwegian message. A transition
    answers with the case (200), or with 204 and no body when the user no longer sees it.
    """

    queryset = Deviation.objects.all()
    pagination_class = KeysetPagination
    filterset_class = DeviationFilter
    ordering_fields: list[str] = []

    permission_map = {
        **READ,
        "create": Perm("add", object=False),
        "start": Perm("change"),
        "assign": Perm("change"),
        "classify": Perm("change"),
        "forward": Perm("change"),
        "reject": Perm("change"),
        "close": Perm("change"),
        "comment": Perm("view"),
    }

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

    def fetch_object(self, action: str) -> Deviation:
        """The detail and every transition answer with the case: ``fetch_for`` loads it with the
        map's permission (404 / 403) and logs the read of a personal-data case."""
        deviation = services.fetch_for(
            self.request.user, self.kwargs["pk"], action, "api", self.get_queryset()
        )
        self.check_object_permissions(self.request, deviation)
        return deviation

    def retrieve(self, request, *args, **kwargs):
        return Response(s.DeviationSerializer(self.get_object()).data)

    @extend_schema(request=s.DeviationCreateSerializer, responses={201: s.DeviationSerializer})
    def create(self, request, *args, **kwargs):
        data = s.DeviationCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        created = services.report_deviation(reporter=request.user, **data.validated_data)
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
        fn(actor=request.user, deviation=deviation, **kwargs, **fixed)
        # The answer is the case as the user sees it now, read back through the layer. A step
        # can take the case out of the user's sight (a forward out of a leader's subtree, a
        # handler who hands it on): the change is made, and the answer carries none of the
        # content the user may no longer see -- 204, no body.
        after = self.get_queryset().filter(pk=deviation.pk).first()
        if after is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        return Response(s.DeviationSerializer(after).data)

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


class ActionViewSet(
    RestrictedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """The actions of one deviation (``/deviations/{deviation_pk}/actions/``).

    Whoever may view the deviation sees its actions; adding one is handling the case.
    """

    serializer_class = s.ActionSerializer
    pagination_class = None
    queryset = CorrectiveAction.objects.select_related("responsible").order_by("deadline", "pk")
    parent = Parent(Deviation, "deviation_pk", "deviation", related=("unit",))
    permission_map = {
        **READ,
        "create": Perm("change", object=False),
        "complete": Perm("complete"),
        "evaluate": Perm("evaluate"),
    }

    def fetch_parent(self, action: str) -> Deviation:
        # Every answer of this viewset carries the case's actions: the read is logged.
        return services.fetch_for(
            self.request.user,
            self.kwargs["deviation_pk"],
            action,
            "api",
            Deviation.objects.select_related(*self.parent.related),
        )

    @extend_schema(responses=s.ActionSerializer(many=True))
    def list(self, request, deviation_pk=None):
        return super().list(request)

    @extend_schema(responses=s.ActionSerializer)
    def retrieve(self, request, deviation_pk=None, pk=None):
        return super().retrieve(request)

    @extend_schema(request=s.ActionCreateSerializer, responses={201: s.ActionSerializer})
    def create(self, request, deviation_pk=None):
        deviation = self.parent_object
        data = s.ActionCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        created = services.create_action(
            actor=request.user, unit=deviation.unit, deviation=deviation, **data.validated_data
        )
        return Response(s.ActionSerializer(created).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.NoteSerializer, responses={200: s.ActionSerializer})
    @action(detail=True, methods=["post"])
    def complete(self, request, deviation_pk=None, pk=None):
        data = s.NoteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        done = services.complete_action(
            actor=request.user, action=self.get_object(), note=data.validated_data["note"]
        )
        return Response(s.ActionSerializer(done).data)

    @extend_schema(request=s.EvaluateSerializer, responses={200: s.ActionSerializer})
    @action(detail=True, methods=["post"])
    def evaluate(self, request, deviation_pk=None, pk=None):
        data = s.EvaluateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        done = services.evaluate_action_effect(
            actor=request.user, action=self.get_object(), **data.validated_data
        )
        return Response(s.ActionSerializer(done).data)


# --- Inspections (tilsyn) ------------------------------------------------------------------


class InspectionViewSet(
    RestrictedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Inspections the user may see (deviations.permissions.inspection_rule), with their
    findings. Recording one is the create rule's for the unit in the request (403)."""

    queryset = Inspection.objects.select_related("authority", "unit")
    pagination_class = KeysetPagination
    permission_map = {**READ, "create": Perm("add", object=False)}

    def get_queryset(self):
        qs = super().get_queryset()
        if self.action == "retrieve":
            qs = qs.prefetch_related(
                "units",
                Prefetch(
                    "findings",
                    queryset=InspectionFinding.objects.select_related("deviation").order_by(
                        "deadline", "pk"
                    ),
                ),
            )
        return qs

    def get_serializer_class(self):
        if self.action == "list":
            return s.InspectionListSerializer
        if self.action == "create":
            return s.InspectionCreateSerializer
        return s.InspectionSerializer

    @extend_schema(request=s.InspectionCreateSerializer, responses={201: s.InspectionSerializer})
    def create(self, request, *args, **kwargs):
        data = s.InspectionCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        created = services.record_inspection(actor=request.user, **data.validated_data)
        return Response(
            s.InspectionSerializer(self.get_queryset().get(pk=created.pk)).data,
            status=status.HTTP_201_CREATED,
        )


class FindingViewSet(
    RestrictedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """The findings of one inspection (``/inspections/{inspection_pk}/findings/``): seen by
    whoever sees the inspection; added, replied to and confirmed closed by whoever may change
    it. Each finding's case is at ``/deviations/{deviation}/``, under the case's own rule."""

    serializer_class = s.FindingSerializer
    pagination_class = None
    queryset = InspectionFinding.objects.select_related("deviation").order_by("deadline", "pk")
    parent = Parent(Inspection, "inspection_pk", "inspection", related=("unit", "authority"))
    permission_map = {
        **READ,
        "create": Perm("change", object=False),
        "reply": Perm("change"),
        "confirm": Perm("change"),
    }

    @extend_schema(responses=s.FindingSerializer(many=True))
    def list(self, request, inspection_pk=None):
        return super().list(request)

    @extend_schema(responses=s.FindingSerializer)
    def retrieve(self, request, inspection_pk=None, pk=None):
        return super().retrieve(request)

    @extend_schema(request=s.FindingCreateSerializer, responses={201: s.FindingSerializer})
    def create(self, request, inspection_pk=None):
        data = s.FindingCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        created = services.add_finding(
            actor=request.user, inspection=self.parent_object, **data.validated_data
        )
        return Response(s.FindingSerializer(created).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.ReplySerializer, responses={200: s.FindingSerializer})
    @action(detail=True, methods=["post"])
    def reply(self, request, inspection_pk=None, pk=None):
        data = s.ReplySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        done = services.reply_to_finding(
            actor=request.user, finding=self.get_object(), reply=data.validated_data["reply"]
        )
        return Response(s.FindingSerializer(done).data)

    @extend_schema(
        request=s.NoteSerializer,
        responses={
            200: s.FindingSerializer,
            409: OpenApiResponse(description="Svar mangler, eller saken kan ikke lukkes ennå"),
        },
    )
    @action(detail=True, methods=["post"])
    def confirm(self, request, inspection_pk=None, pk=None):
        """The authority has confirmed the finding closed (``confirm_finding_closed``)."""
        data = s.NoteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        done = services.confirm_finding_closed(
            actor=request.user, finding=self.get_object(), note=data.validated_data["note"]
        )
        return Response(s.FindingSerializer(done).data)

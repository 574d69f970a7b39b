"""The activities API (docs/design.md §9): activities with their occurrences, through the layer."""

from __future__ import annotations

from django.db.models import Prefetch, Q
from django.utils import timezone
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from annual_wheel import services
from annual_wheel.api.serializers import (
    ActivitySerializer,
    AddDecisionSerializer,
    AddParticipantSerializer,
    AgendaSerializer,
    AnswerSerializer,
    AssessSerializer,
    AuditFindingSerializer,
    AuditSerializer,
    ChecklistSerializer,
    CommitteeSerializer,
    FreeItemSerializer,
    MeetingSerializer,
    OccurrenceSerializer,
    RecordSerializer,
    ReportAuditSerializer,
    ReviewSerializer,
    ReviewUpdateSerializer,
    RoundSerializer,
    StartAuditSerializer,
)
from annual_wheel.forms import MAX_YEAR, MIN_YEAR
from annual_wheel.models import (
    Activity,
    AgendaItem,
    Audit,
    AuditFinding,
    Checklist,
    ChecklistVersion,
    Committee,
    CommitteeMember,
    Meeting,
    Occurrence,
    Review,
    ReviewDecision,
    Round,
    RoundAnswer,
)
from documents.models import Document
from qms import permissions
from qms.api.pagination import StandardPagination
from qms.api.viewsets import (
    READ,
    Parent,
    Perm,
    RestrictedModelViewSet,
    RestrictedReadOnlyViewSet,
    RestrictedViewSetMixin,
)
from qms.models import OrgUnit

YEAR = OpenApiParameter(
    "year",
    OpenApiTypes.INT,
    description=f"Året forekomstene gjelder ({MIN_YEAR}–{MAX_YEAR}); standard er inneværende år.",
)


def _year(request) -> int:
    raw = request.query_params.get("year")
    if raw in (None, ""):
        return timezone.localdate().year
    try:
        year = int(raw)
    except ValueError:
        raise serializers.ValidationError({"year": ["Ugyldig år."]}) from None
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise serializers.ValidationError(
            {"year": [f"Året må være mellom {MIN_YEAR} og {MAX_YEAR}."]}
        )
    return year


class ActivityFilter(filters.FilterSet):
    wheel_of = filters.NumberFilter(
        method="filter_wheel_of",
        label="Enhetens årshjul: egne aktiviteter og de som arves ovenfra",
    )
    whole_municipality = filters.BooleanFilter(field_name="unit", lookup_expr="isnull")

    class Meta:
        model = Activity
        fields = ["unit", "category", "recurrence", "is_active", "responsible"]

    def filter_wheel_of(self, queryset, name, value):
        unit = OrgUnit.objects.filter(pk=int(value)).first() if abs(value) < 2**31 else None
        if unit is None:
            return queryset.none()
        return queryset.filter(Q(unit__isnull=True) | Q(unit__path__in=unit.ancestor_paths))


@extend_schema_view(
    list=extend_schema(parameters=[YEAR]),
    retrieve=extend_schema(parameters=[YEAR]),
)
class ActivityViewSet(RestrictedModelViewSet):
    """Planned activities of the annual wheel with their occurrences for one year.

    Leaders add and change their unit's activities; DELETE takes an activity out of the wheel
    (recorded occurrences are kept).
    """

    serializer_class = ActivitySerializer
    pagination_class = StandardPagination
    filterset_class = ActivityFilter
    ordering_fields = ["start_date", "title", "id"]
    ordering = ["start_date", "id"]
    queryset = Activity.objects.select_related("unit", "category")
    permission_map = {
        **READ,
        "create": Perm("add", object=False),
        "update": Perm("change"),
        "partial_update": Perm("change"),
        "destroy": Perm("delete"),
    }

    def get_queryset(self):
        year = _year(self.request) if self.request.method == "GET" else timezone.localdate().year
        self.year = year
        occurrences = Occurrence.objects.filter(due_date__year=year).select_related(None)
        return (
            super()
            .get_queryset()
            .prefetch_related(
                Prefetch(
                    "occurrences",
                    queryset=occurrences.order_by("due_date"),
                    to_attr="year_occurrences",
                ),
                Prefetch(
                    "documents",
                    # Only the documents the caller may see are listed.
                    queryset=permissions.restrict(self.request.user, Document).only("pk"),
                ),
            )
            .order_by("start_date", "id")
        )

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["today"] = timezone.localdate()
        return context

    def perform_create(self, serializer):
        serializer.instance = services.create_activity(
            self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = services.update_activity(
            self.request.user, serializer.instance, **serializer.validated_data
        )

    def create(self, request, *args, **kwargs):
        response = super().create(request, *args, **kwargs)
        return self._refetched(response)

    def update(self, request, *args, **kwargs):
        response = super().update(request, *args, **kwargs)
        return self._refetched(response)

    def _refetched(self, response):
        activity = self.get_queryset().get(pk=response.data["id"])
        response.data = self.get_serializer(activity).data
        return response

    def perform_destroy(self, instance):
        services.archive_activity(self.request.user, instance)


ACTIVITY_PK = OpenApiParameter("activity_pk", OpenApiTypes.INT, OpenApiParameter.PATH)


@extend_schema_view(
    list=extend_schema(parameters=[ACTIVITY_PK, YEAR]),
    retrieve=extend_schema(parameters=[ACTIVITY_PK]),
    update=extend_schema(parameters=[ACTIVITY_PK]),
)
class OccurrenceViewSet(
    RestrictedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Occurrences of one activity; PATCH records one as done / not done with a note.

    The activity's responsible and those who may change the activity record.
    """

    serializer_class = OccurrenceSerializer
    pagination_class = StandardPagination
    http_method_names = ["get", "patch", "head", "options"]
    ordering = ["due_date", "id"]
    ordering_fields = ["due_date"]
    queryset = Occurrence.objects.select_related("completed_by").order_by("due_date", "id")
    parent = Parent(Activity, "activity_pk", "activity")
    permission_map = {**READ, "partial_update": Perm("record")}

    def get_queryset(self):
        qs = super().get_queryset()
        if self.action == "list":
            qs = qs.filter(due_date__year=_year(self.request))
        return qs

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["today"] = timezone.localdate()
        return context

    @extend_schema(
        request=RecordSerializer, responses=OccurrenceSerializer, parameters=[ACTIVITY_PK]
    )
    def partial_update(self, request, *args, **kwargs):
        occurrence = self.get_object()
        payload = RecordSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        occurrence = services.record_occurrence(
            request.user,
            occurrence,
            payload.validated_data["status"],
            payload.validated_data.get("note", ""),
        )
        return Response(self.get_serializer(occurrence).data)


class ChecklistViewSet(RestrictedReadOnlyViewSet):
    """Checklist templates with the questions of their published version (read-only; quality
    advisors keep them on the checklist pages)."""

    serializer_class = ChecklistSerializer
    pagination_class = StandardPagination
    ordering = ["title", "id"]
    ordering_fields = ["title", "id"]
    queryset = Checklist.objects.all()

    def get_queryset(self):
        published = ChecklistVersion.objects.filter(
            status=ChecklistVersion.Status.PUBLISHED
        ).prefetch_related("questions")
        return (
            super()
            .get_queryset()
            .prefetch_related(
                Prefetch("versions", queryset=published, to_attr="published_versions")
            )
            .order_by("title", "id")
        )


class RoundFilter(filters.FilterSet):
    class Meta:
        model = Round
        fields = ["unit", "status", "occurrence"]


class RoundViewSet(
    RestrictedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Rounds carried out with a checklist: start one (POST), answer its questions one at a time
    (POST …/answer/), sign it off (POST …/sign/: every question answered, by a participant who
    leads the unit or is a quality advisor; its annual-wheel occurrence is then recorded done)."""

    serializer_class = RoundSerializer
    pagination_class = StandardPagination
    filterset_class = RoundFilter
    ordering = ["-date", "-id"]
    ordering_fields = ["date", "id"]
    queryset = Round.objects.select_related("version", "version__checklist")
    permission_map = {
        **READ,
        "create": Perm("add", object=False),
        "answer": Perm("change"),
        "sign": Perm("sign"),
    }

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .prefetch_related(
                "participants",
                Prefetch("answers", queryset=RoundAnswer.objects.select_related("question")),
            )
            .order_by("-date", "-id")
        )

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        round_ = services.start_round(
            request.user,
            checklist=data["checklist"],
            unit=data.get("unit"),
            date=data["date"],
            participants=data.get("participants", []),
            occurrence=data.get("occurrence"),
        )
        return self.read_back(round_.pk, status.HTTP_201_CREATED)

    @extend_schema(request=AnswerSerializer, responses=RoundSerializer)
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        """Save the answer to one question of the round (photos are taken on the round page)."""
        round_ = self.get_object()
        payload = AnswerSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        question = round_.version.questions.filter(pk=payload.validated_data["question"]).first()
        if question is None:
            raise serializers.ValidationError({"question": ["Spørsmålet hører ikke til runden."]})
        services.answer_question(
            request.user,
            round_,
            question,
            value=payload.validated_data["value"],
            comment=payload.validated_data["comment"],
        )
        return self.read_back(round_.pk)

    @extend_schema(request=None, responses=RoundSerializer)
    @action(detail=True, methods=["post"])
    def sign(self, request, pk=None):
        """Sign the round off; 409 while a question is unanswered or when it is signed."""
        round_ = self.get_object()
        services.sign_round(request.user, round_)
        return self.read_back(round_.pk)


class AuditFilter(filters.FilterSet):
    year = filters.NumberFilter(field_name="programme__year")

    class Meta:
        model = Audit
        fields = ["unit", "status", "occurrence", "year"]


class AuditViewSet(
    RestrictedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Internal audits: plan one (POST), start it (POST …/start/, the opening meeting), add
    findings (POST …/findings/: an avvik is reported as a deviation of the audited unit with
    source internal_audit), report it (POST …/report/: the conclusion is required; its
    annual-wheel occurrence is then recorded done)."""

    serializer_class = AuditSerializer
    pagination_class = StandardPagination
    filterset_class = AuditFilter
    ordering = ["planned_date", "id"]
    ordering_fields = ["planned_date", "id"]
    queryset = Audit.objects.select_related("programme")
    permission_map = {
        **READ,
        "create": Perm("add", object=False),
        "start": Perm("change"),
        "findings": Perm("change"),
        "report": Perm("change"),
    }

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .prefetch_related(
                "auditors",
                "criteria",
                Prefetch("findings", queryset=AuditFinding.objects.order_by("pk")),
            )
            .order_by("planned_date", "id")
        )

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        audit = services.plan_audit(
            request.user,
            title=data["title"],
            programme_unit=data.get("programme_unit"),
            unit=data["unit"],
            process=data.get("process"),
            planned_date=data["planned_date"],
            lead_auditor=data["lead_auditor"],
            auditors=data.get("auditors", []),
            criteria=data.get("criteria", []),
            requirements=data.get("requirements", ""),
            occurrence=data.get("occurrence"),
        )
        return self.read_back(audit.pk, status.HTTP_201_CREATED)

    @extend_schema(request=StartAuditSerializer, responses=AuditSerializer)
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        """The opening meeting; 409 unless the audit is planned."""
        audit = self.get_object()
        payload = StartAuditSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.start_audit(request.user, audit, **payload.validated_data)
        return self.read_back(audit.pk)

    @extend_schema(request=AuditFindingSerializer, responses=AuditFindingSerializer)
    @action(detail=True, methods=["post"])
    def findings(self, request, pk=None):
        """Add a finding to an audit in progress (409 otherwise)."""
        audit = self.get_object()
        payload = AuditFindingSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        finding = services.add_finding(request.user, audit, **payload.validated_data)
        return Response(AuditFindingSerializer(finding).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ReportAuditSerializer, responses=AuditSerializer)
    @action(detail=True, methods=["post"])
    def report(self, request, pk=None):
        """The closing meeting and the report; 400 without a conclusion, 409 unless started."""
        audit = self.get_object()
        payload = ReportAuditSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.report_audit(request.user, audit, **payload.validated_data)
        return self.read_back(audit.pk)


class ReviewFilter(filters.FilterSet):
    class Meta:
        model = Review
        fields = ["unit", "year", "status", "occurrence"]


class ReviewViewSet(
    RestrictedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Management reviews (ledelsens gjennomgåelse, docs/design.md §14): start one (POST), change
    the meeting date and overall assessment (PATCH), write the assessment of an agenda heading
    (POST …/assess/), add a participant with a role (POST …/participants/), record a decision
    that becomes a corrective action with a responsible and a deadline (POST …/decisions/), read
    the agenda (GET …/agenda/: live, or the snapshot once signed) and sign it off (POST …/sign/:
    the unit's leader or deputy; every heading assessed; read-only afterwards, 409)."""

    serializer_class = ReviewSerializer
    pagination_class = StandardPagination
    filterset_class = ReviewFilter
    http_method_names = ["get", "post", "patch", "head", "options"]
    ordering = ["-year", "id"]
    ordering_fields = ["year", "date", "id"]
    queryset = Review.objects.all()
    permission_map = {
        **READ,
        "create": Perm("add", object=False),
        "partial_update": Perm("change"),
        "agenda": Perm("view"),
        "assess": Perm("change"),
        "participants": Perm("change"),
        "decisions": Perm("change"),
        "sign": Perm("sign"),
    }

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .prefetch_related(
                "participants",
                "assessments",
                Prefetch("decisions", queryset=ReviewDecision.objects.select_related("action")),
            )
            .order_by("-year", "id")
        )

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        review = services.start_review(
            request.user,
            unit=data.get("unit"),
            year=data["year"],
            date=data["date"],
            occurrence=data.get("occurrence"),
            role=data.get("role", ""),
        )
        return self.read_back(review.pk, status.HTTP_201_CREATED)

    @extend_schema(request=ReviewUpdateSerializer, responses=ReviewSerializer)
    def partial_update(self, request, *args, **kwargs):
        review = self.get_object()
        payload = ReviewUpdateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.update_review(request.user, review, **payload.validated_data)
        return self.read_back(review.pk)

    @extend_schema(request=None, responses=AgendaSerializer)
    @action(detail=True, methods=["get"])
    def agenda(self, request, pk=None):
        """The agenda's headings with their figures (the snapshot once signed) and assessments."""
        review = self.get_object()
        headings = services.review_agenda(review)
        return Response(
            {
                "signed": review.is_signed,
                "sections": [
                    {
                        "key": h["key"],
                        "title": h["title"],
                        "data": h["data"],
                        "assessment": h["assessment"].text if h["assessment"] else "",
                    }
                    for h in headings
                ],
            }
        )

    @extend_schema(request=AssessSerializer, responses=ReviewSerializer)
    @action(detail=True, methods=["post"])
    def assess(self, request, pk=None):
        review = self.get_object()
        payload = AssessSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.save_assessment(request.user, review, **payload.validated_data)
        return self.read_back(review.pk)

    @extend_schema(request=AddParticipantSerializer, responses=ReviewSerializer)
    @action(detail=True, methods=["post"])
    def participants(self, request, pk=None):
        review = self.get_object()
        payload = AddParticipantSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.add_participant(
            request.user,
            review,
            person=payload.validated_data["user"],
            role=payload.validated_data["role"],
        )
        return self.read_back(review.pk)

    @extend_schema(request=AddDecisionSerializer, responses=ReviewSerializer)
    @action(detail=True, methods=["post"])
    def decisions(self, request, pk=None):
        review = self.get_object()
        payload = AddDecisionSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.add_decision(request.user, review, **payload.validated_data)
        return self.read_back(review.pk, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=ReviewSerializer)
    @action(detail=True, methods=["post"])
    def sign(self, request, pk=None):
        """Sign the review off; 409 while a heading is unassessed or when it is signed."""
        review = self.get_object()
        services.sign_review(request.user, review)
        return self.read_back(review.pk)


# --- Committees and meetings (docs/design.md §14) ------------------------------------------------


class CommitteeViewSet(RestrictedReadOnlyViewSet):
    """Committees (quality committees, AMU) with their members; set up in the admin."""

    serializer_class = CommitteeSerializer
    pagination_class = StandardPagination
    queryset = Committee.objects.prefetch_related(
        Prefetch("seats", queryset=CommitteeMember.objects.select_related("user").order_by("pk"))
    ).order_by("pk")


class MeetingViewSet(
    RestrictedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Committee meetings: those where the user has a seat, and published minutes in the
    user's part of the organisation. Plan one (POST, by the committee's keepers), add a free
    item (POST …/items/), send the agenda (…/publish-agenda/), mark it held (…/hold/), approve
    the minutes (…/approve/, the chair) and publish them (…/publish/); 409 when the meeting's
    state does not allow it. Referring a case and writing decisions are done on the pages."""

    serializer_class = MeetingSerializer
    pagination_class = StandardPagination
    queryset = Meeting.objects.select_related("committee").prefetch_related(
        Prefetch("items", queryset=AgendaItem.objects.select_related("action"))
    )
    permission_map = {
        **READ,
        "create": Perm("add", object=False),
        "items": Perm("change"),
        "publish_agenda": Perm("change"),
        "hold": Perm("change"),
        "approve": Perm("approve"),
        "publish": Perm("change"),
    }

    def get_queryset(self):
        return super().get_queryset().order_by("-date", "-id")

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        meeting = services.plan_meeting(
            request.user,
            data["committee"],
            date=data["date"],
            place=data.get("place", ""),
            occurrence=data.get("occurrence"),
        )
        return self.read_back(meeting.pk, status.HTTP_201_CREATED)

    @extend_schema(request=FreeItemSerializer, responses=MeetingSerializer)
    @action(detail=True, methods=["post"])
    def items(self, request, pk=None):
        """Add a free item to the agenda (until the meeting is held)."""
        payload = FreeItemSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        meeting = self.get_object()
        services.add_free_item(request.user, meeting, **payload.validated_data)
        return self.read_back(meeting.pk, status.HTTP_201_CREATED)

    def _step(self, step):
        meeting = self.get_object()
        step(self.request.user, meeting)
        return self.read_back(meeting.pk)

    @extend_schema(request=None, responses=MeetingSerializer)
    @action(detail=True, methods=["post"], url_path="publish-agenda")
    def publish_agenda(self, request, pk=None):
        return self._step(services.publish_agenda)

    @extend_schema(request=None, responses=MeetingSerializer)
    @action(detail=True, methods=["post"])
    def hold(self, request, pk=None):
        return self._step(services.hold_meeting)

    @extend_schema(request=None, responses=MeetingSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """The chair approves the minutes: every item needs a decision (409 otherwise)."""
        return self._step(services.approve_minutes)

    @extend_schema(request=None, responses=MeetingSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        return self._step(services.publish_minutes)

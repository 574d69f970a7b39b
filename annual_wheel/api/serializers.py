from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from annual_wheel.forms import MAX_YEAR, MIN_YEAR
from annual_wheel.models import (
    Activity,
    Audit,
    AuditFinding,
    Category,
    Checklist,
    ChecklistQuestion,
    ChecklistVersion,
    Committee,
    CommitteeMember,
    Meeting,
    Occurrence,
    Review,
    ReviewAssessment,
    ReviewDecision,
    ReviewParticipant,
    Round,
    RoundAnswer,
)
from documents.models import Document, Process
from qms.models import OrgUnit, User


class OccurrenceSerializer(serializers.ModelSerializer):
    completed_by = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Occurrence
        fields = ["id", "due_date", "status", "completed_at", "completed_by", "note", "overdue"]
        read_only_fields = ["id", "due_date", "completed_at", "completed_by", "overdue"]

    def get_overdue(self, obj: Occurrence) -> bool:
        return obj.is_overdue(self.context.get("today") or timezone.localdate())


_DATETIME = serializers.DateTimeField()


def occurrence_rows(occurrences, today) -> list[dict]:
    """What OccurrenceSerializer(many=True) gives, built directly: a list page nests up to 52
    occurrences in each of 50 activities, and the field machinery per value was most of the
    response time. A test holds the two to the same output."""
    return [
        {
            "id": o.pk,
            "due_date": o.due_date.isoformat(),
            "status": o.status,
            "completed_at": _DATETIME.to_representation(o.completed_at) if o.completed_at else None,
            "completed_by": o.completed_by_id,
            "note": o.note,
            "overdue": o.status == Occurrence.Status.PLANNED and o.due_date < today,
        }
        for o in occurrences
    ]


class RecordSerializer(serializers.Serializer):
    """Recording an occurrence: done, not done, or back to planned, with a note."""

    status = serializers.ChoiceField(choices=Occurrence.Status.choices)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class ActivitySerializer(serializers.ModelSerializer):
    unit = serializers.PrimaryKeyRelatedField(
        queryset=OrgUnit.objects.filter(is_active=True),
        allow_null=True,
        required=False,
        help_text="Eierenhet; null betyr hele kommunen.",
    )
    unit_name = serializers.SerializerMethodField()
    category = serializers.PrimaryKeyRelatedField(queryset=Category.objects.all())
    category_name = serializers.CharField(source="category.name", read_only=True)
    responsible = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), allow_null=True, required=False
    )
    documents = serializers.PrimaryKeyRelatedField(
        many=True,
        queryset=Document.objects.all(),
        required=False,
        help_text="Dokumenter aktiviteten bygger på (id-er); bare dokumenter du kan se.",
    )
    checklist = serializers.PrimaryKeyRelatedField(
        queryset=Checklist.objects.filter(is_active=True),
        allow_null=True,
        required=False,
        help_text="Sjekklisten en runde for aktiviteten gjennomføres med.",
    )
    occurrences = serializers.SerializerMethodField()
    reminder_days = serializers.IntegerField(min_value=0, max_value=365, required=False)
    recurrence_text = serializers.CharField(
        read_only=True,
        help_text="Gjentakelsen i ord, for eksempel «Hver måned, andre mandag» "
        "(month_nth og month_last tar ukedagen fra start_date).",
    )

    class Meta:
        model = Activity
        fields = [
            "id",
            "title",
            "description",
            "kind",
            "unit",
            "unit_name",
            "category",
            "category_name",
            "responsible",
            "recurrence",
            "recurrence_text",
            "start_date",
            "end_date",
            "reminder_days",
            "documents",
            "checklist",
            "is_active",
            "occurrences",
        ]
        read_only_fields = ["id", "is_active"]

    def get_unit_name(self, obj: Activity) -> str:
        return obj.owner_name

    @extend_schema_field(OccurrenceSerializer(many=True))
    def get_occurrences(self, obj: Activity) -> list[dict]:
        rows = getattr(obj, "year_occurrences", None)
        if rows is None:
            return []
        return occurrence_rows(rows, self.context.get("today") or timezone.localdate())

    def validate(self, attrs):
        start = attrs.get("start_date", getattr(self.instance, "start_date", None))
        end = attrs.get("end_date", getattr(self.instance, "end_date", None))
        errors = {}
        for name, value in (("start_date", start), ("end_date", end)):
            if value and not (MIN_YEAR <= value.year <= MAX_YEAR):
                errors[name] = [f"Datoen må være mellom år {MIN_YEAR} og {MAX_YEAR}."]
        if start and end and end < start:
            errors["end_date"] = ["Sluttdatoen kan ikke være før startdatoen."]
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


# --- Checklists and rounds -----------------------------------------------------------------------


class QuestionSerializer(serializers.ModelSerializer):
    document = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)

    class Meta:
        model = ChecklistQuestion
        fields = ["id", "order", "section", "text", "guidance", "kind", "fail_answer", "document"]
        read_only_fields = fields


class ChecklistVersionSerializer(serializers.ModelSerializer):
    questions = QuestionSerializer(many=True, read_only=True)

    class Meta:
        model = ChecklistVersion
        fields = ["id", "number", "status", "published_at", "questions"]
        read_only_fields = fields


class ChecklistSerializer(serializers.ModelSerializer):
    """A checklist with the version rounds are started from (null while none is published)."""

    published_version = serializers.SerializerMethodField()

    class Meta:
        model = Checklist
        fields = ["id", "title", "description", "unit", "is_active", "published_version"]
        read_only_fields = fields

    @extend_schema_field(ChecklistVersionSerializer(allow_null=True))
    def get_published_version(self, obj: Checklist) -> dict | None:
        versions = getattr(obj, "published_versions", None)
        if versions is None:
            versions = list(obj.versions.filter(status=ChecklistVersion.Status.PUBLISHED))
        return ChecklistVersionSerializer(versions[0]).data if versions else None


class RoundAnswerSerializer(serializers.ModelSerializer):
    has_photo = serializers.SerializerMethodField()
    failed = serializers.SerializerMethodField()

    class Meta:
        model = RoundAnswer
        fields = [
            "question",
            "value",
            "comment",
            "has_photo",
            "failed",
            "deviation",
            "action",
            "answered_by",
            "answered_at",
        ]
        read_only_fields = fields

    def get_has_photo(self, obj: RoundAnswer) -> bool:
        return bool(obj.photo)

    def get_failed(self, obj: RoundAnswer) -> bool:
        return obj.failed


class RoundSerializer(serializers.ModelSerializer):
    """A round; created with a checklist (its published version is used), a unit or an
    occurrence, a date and the participants (the creator takes part)."""

    checklist = serializers.PrimaryKeyRelatedField(
        queryset=Checklist.objects.filter(is_active=True),
        write_only=True,
        help_text="Sjekklisten; runden bruker den publiserte versjonen.",
    )
    version = serializers.PrimaryKeyRelatedField(read_only=True)
    checklist_title = serializers.CharField(source="version.checklist.title", read_only=True)
    unit = serializers.PrimaryKeyRelatedField(
        queryset=OrgUnit.objects.filter(is_active=True),
        required=False,
        allow_null=True,
        help_text="Enheten; fra en forekomst er det aktivitetens enhet.",
    )
    participants = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), many=True, required=False
    )
    occurrence = serializers.PrimaryKeyRelatedField(
        queryset=Occurrence.objects.all(), required=False, allow_null=True
    )
    answers = RoundAnswerSerializer(many=True, read_only=True)

    class Meta:
        model = Round
        fields = [
            "id",
            "checklist",
            "checklist_title",
            "version",
            "unit",
            "date",
            "participants",
            "occurrence",
            "status",
            "signed_by",
            "signed_at",
            "answers",
        ]
        read_only_fields = ["id", "version", "status", "signed_by", "signed_at", "answers"]


class AnswerSerializer(serializers.Serializer):
    """One answer: yes / no / na for yes-no questions, 1–5 or na for a scale, a number, a text."""

    question = serializers.IntegerField()
    value = serializers.CharField(allow_blank=True, max_length=2000)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=4000, default="")


# --- Internal audits -----------------------------------------------------------------------------


class AuditFindingSerializer(serializers.ModelSerializer):
    """A finding; an avvik carries the deviation it was reported as."""

    class Meta:
        model = AuditFinding
        fields = ["id", "kind", "text", "evidence", "criterion", "deviation", "created_at"]
        read_only_fields = ["id", "deviation", "created_at"]
        extra_kwargs = {"criterion": {"queryset": Document.objects.all()}}


class AuditSerializer(serializers.ModelSerializer):
    """An internal audit; created (planned) in the programme of ``programme_unit`` (null: the
    whole municipality) for the planned date's year."""

    programme_unit = serializers.PrimaryKeyRelatedField(
        queryset=OrgUnit.objects.filter(is_active=True),
        required=False,
        allow_null=True,
        write_only=True,
        help_text="Enheten revisjonsprogrammet tilhører; tom er hele kommunen.",
    )
    year = serializers.IntegerField(source="programme.year", read_only=True)
    unit = serializers.PrimaryKeyRelatedField(queryset=OrgUnit.objects.filter(is_active=True))
    process = serializers.PrimaryKeyRelatedField(
        queryset=Process.objects.all(), required=False, allow_null=True
    )
    lead_auditor = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True))
    auditors = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), many=True, required=False
    )
    criteria = serializers.PrimaryKeyRelatedField(
        queryset=Document.objects.all(), many=True, required=False
    )
    occurrence = serializers.PrimaryKeyRelatedField(
        queryset=Occurrence.objects.all(), required=False, allow_null=True
    )
    findings = AuditFindingSerializer(many=True, read_only=True)

    class Meta:
        model = Audit
        fields = [
            "id",
            "programme",
            "programme_unit",
            "year",
            "title",
            "unit",
            "process",
            "planned_date",
            "lead_auditor",
            "auditors",
            "criteria",
            "requirements",
            "occurrence",
            "status",
            "opening_date",
            "closing_date",
            "summary",
            "conclusion",
            "reported_by",
            "reported_at",
            "findings",
        ]
        read_only_fields = [
            "id",
            "programme",
            "status",
            "opening_date",
            "closing_date",
            "summary",
            "conclusion",
            "reported_by",
            "reported_at",
            "findings",
        ]


class StartAuditSerializer(serializers.Serializer):
    opening_date = serializers.DateField()


class ReportAuditSerializer(serializers.Serializer):
    """The closing meeting; ``report_audit`` requires the conclusion (400 without one)."""

    closing_date = serializers.DateField()
    conclusion = serializers.CharField(allow_blank=True, max_length=8000)
    summary = serializers.CharField(required=False, allow_blank=True, max_length=8000, default="")


# --- Management review ---------------------------------------------------------------------------


class ReviewParticipantSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReviewParticipant
        fields = ["id", "user", "role"]


class ReviewAssessmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReviewAssessment
        fields = ["section", "text", "updated_at"]


class ReviewDecisionSerializer(serializers.ModelSerializer):
    """A decision and the corrective action that follows it up (its responsible and deadline)."""

    responsible = serializers.IntegerField(source="action.responsible_id", read_only=True)
    deadline = serializers.DateField(source="action.deadline", read_only=True)

    class Meta:
        model = ReviewDecision
        fields = ["id", "section", "text", "action", "responsible", "deadline", "created_at"]


class ReviewSerializer(serializers.ModelSerializer):
    """A management review; created with a unit (or an occurrence of a review activity), the
    year reviewed, the meeting date and the creator's role. PATCH changes ``date`` and
    ``summary`` until it is signed. ``snapshot`` is the agenda kept at sign-off (empty before;
    the live agenda is at …/agenda/)."""

    unit = serializers.PrimaryKeyRelatedField(
        queryset=OrgUnit.objects.filter(is_active=True),
        required=False,
        allow_null=True,
        help_text="Enheten; fra en forekomst er det aktivitetens enhet.",
    )
    occurrence = serializers.PrimaryKeyRelatedField(
        queryset=Occurrence.objects.all(), required=False, allow_null=True
    )
    year = serializers.IntegerField(min_value=MIN_YEAR, max_value=MAX_YEAR)
    role = serializers.CharField(
        write_only=True, required=False, allow_blank=True, max_length=100, default=""
    )
    summary = serializers.CharField(required=False, allow_blank=True, max_length=10000)
    participants = ReviewParticipantSerializer(many=True, read_only=True)
    assessments = ReviewAssessmentSerializer(many=True, read_only=True)
    decisions = ReviewDecisionSerializer(many=True, read_only=True)

    class Meta:
        model = Review
        fields = [
            "id",
            "unit",
            "year",
            "date",
            "occurrence",
            "role",
            "status",
            "summary",
            "participants",
            "assessments",
            "decisions",
            "signed_by",
            "signed_at",
            "snapshot",
        ]
        read_only_fields = ["id", "status", "signed_by", "signed_at", "snapshot"]
        # One review per unit and year is the service's to say, with the unit's name.
        validators = []


class ReviewUpdateSerializer(serializers.Serializer):
    date = serializers.DateField(required=False)
    summary = serializers.CharField(required=False, allow_blank=True, max_length=10000)


class AssessSerializer(serializers.Serializer):
    section = serializers.CharField(max_length=50, help_text="Punktets nøkkel i dagsordenen.")
    text = serializers.CharField(allow_blank=True, max_length=10000)


class AddParticipantSerializer(serializers.Serializer):
    user = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True))
    role = serializers.CharField(required=False, allow_blank=True, max_length=100, default="")


class AddDecisionSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=2000)
    section = serializers.CharField(required=False, allow_blank=True, max_length=50, default="")
    responsible = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True))
    deadline = serializers.DateField()


# --- Committees and meetings ---------------------------------------------------------------------


class CommitteeMemberSerializer(serializers.ModelSerializer):
    name = serializers.SerializerMethodField()

    class Meta:
        model = CommitteeMember
        fields = ["user", "name", "role", "representing"]
        read_only_fields = fields

    def get_name(self, obj: CommitteeMember) -> str:
        return obj.user.get_full_name() or obj.user.username


class CommitteeSerializer(serializers.ModelSerializer):
    """A committee and its members (committees are set up in the admin)."""

    members = CommitteeMemberSerializer(source="seats", many=True, read_only=True)

    class Meta:
        model = Committee
        fields = ["id", "name", "kind", "unit", "description", "is_active", "members"]
        read_only_fields = fields


class MinutesItemSerializer(serializers.Serializer):
    """One item as the published minutes carry it (``services.published_minutes``)."""

    number = serializers.IntegerField()
    kind = serializers.CharField()
    title = serializers.CharField()
    summary = serializers.CharField()
    decision = serializers.CharField()
    action_deadline = serializers.DateField(allow_null=True)


class MeetingSerializer(serializers.ModelSerializer):
    """A meeting; its agenda as ``services.published_minutes`` lets it out (title, summary,
    decision per item), the same to the committee and to the readers of the published minutes."""

    committee = serializers.PrimaryKeyRelatedField(
        queryset=Committee.objects.filter(is_active=True)
    )
    occurrence = serializers.PrimaryKeyRelatedField(
        queryset=Occurrence.objects.all(), required=False, allow_null=True
    )
    items = serializers.SerializerMethodField()

    class Meta:
        model = Meeting
        fields = [
            "id",
            "committee",
            "date",
            "place",
            "status",
            "occurrence",
            "agenda_published_at",
            "held_at",
            "approved_at",
            "published_at",
            "items",
        ]
        read_only_fields = [
            "id",
            "status",
            "agenda_published_at",
            "held_at",
            "approved_at",
            "published_at",
            "items",
        ]

    @extend_schema_field(MinutesItemSerializer(many=True))
    def get_items(self, obj: Meeting) -> list[dict]:
        from annual_wheel.services import published_minutes

        return MinutesItemSerializer(published_minutes(obj), many=True).data


class FreeItemSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    summary = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


class AgendaSectionSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="Punktets nøkkel i dagsordenen.")
    title = serializers.CharField()
    data = serializers.JSONField(
        help_text="Tallene: figures, tables, items, text (se qms/reports/agenda.py)."
    )
    assessment = serializers.CharField(allow_blank=True)


class AgendaSerializer(serializers.Serializer):
    """The agenda: from the snapshot once signed (``signed``), computed now before."""

    signed = serializers.BooleanField()
    sections = AgendaSectionSerializer(many=True)

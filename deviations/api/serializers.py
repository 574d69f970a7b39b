from __future__ import annotations

from django.utils import timezone
from rest_framework import serializers

from deviations.models import (
    Authority,
    Category,
    CorrectiveAction,
    Deviation,
    Event,
    Inspection,
    InspectionFinding,
)
from qms.api.serializers import UserBriefSerializer
from qms.models import OrgUnit, User


class DeviationUnitSerializer(serializers.ModelSerializer):
    class Meta:
        model = OrgUnit
        fields = ["id", "name"]


class DeviationListSerializer(serializers.ModelSerializer):
    unit = DeviationUnitSerializer(read_only=True)
    category = serializers.SlugRelatedField(slug_field="name", read_only=True, allow_null=True)
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Deviation
        fields = [
            "id",
            "number",
            "title",
            "kind",
            "source",
            "category",
            "severity",
            "state",
            "unit",
            "occurred_at",
            "created_at",
            "contains_personal_data",
            "url",
        ]


class ActionSerializer(serializers.ModelSerializer):
    responsible = UserBriefSerializer(read_only=True)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = CorrectiveAction
        fields = [
            "id",
            "deviation",
            "unit",
            "description",
            "responsible",
            "deadline",
            "done_at",
            "done_note",
            "effect",
            "effect_note",
            "effect_evaluated_at",
            "overdue",
            "created_at",
        ]
        read_only_fields = fields
        # DRF drops allow_blank from read-only fields, but a client reads "" until the effect
        # is evaluated: the schema must offer it.
        extra_kwargs = {"effect": {"allow_blank": True}}

    def get_overdue(self, obj: CorrectiveAction) -> bool:
        return obj.is_overdue()


class EventSerializer(serializers.ModelSerializer):
    actor = UserBriefSerializer(read_only=True, allow_null=True, help_text="null: the system")
    kind = serializers.CharField(read_only=True, help_text="Hendelsestype, f.eks. reported, closed")

    class Meta:
        model = Event
        fields = ["id", "kind", "actor", "at", "from_state", "to_state", "text", "action"]


class DeviationSerializer(DeviationListSerializer):
    reporter = UserBriefSerializer(
        read_only=True, allow_null=True, help_text="null: reported through the public form"
    )
    handler = UserBriefSerializer(read_only=True, allow_null=True)
    actions = ActionSerializer(many=True, read_only=True)
    events = EventSerializer(many=True, read_only=True)

    class Meta(DeviationListSerializer.Meta):
        fields = [
            *DeviationListSerializer.Meta.fields,
            "description",
            "place",
            "immediate_action",
            "reporter",
            "reporter_name",
            "via_public_form",
            "handler",
            "cause_class",
            "cause_analysis",
            "state_reason",
            "closing_note",
            "closed_at",
            "actions",
            "events",
        ]


class DeviationCreateSerializer(serializers.Serializer):
    """What a reporter sends; the number, handler and state are set by the service."""

    kind = serializers.ChoiceField(choices=Deviation.Kind.choices)
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=20000)
    occurred_at = serializers.DateTimeField()
    unit = serializers.PrimaryKeyRelatedField(queryset=OrgUnit.objects.filter(is_active=True))
    severity = serializers.ChoiceField(choices=Deviation.Severity.choices, default=2)
    place = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    immediate_action = serializers.CharField(
        max_length=5000, required=False, allow_blank=True, default=""
    )
    contains_personal_data = serializers.BooleanField(required=False, default=False)
    category = serializers.PrimaryKeyRelatedField(
        queryset=Category.objects.filter(is_active=True), required=False, allow_null=True
    )

    def validate_occurred_at(self, value):
        if value > timezone.now() + timezone.timedelta(minutes=5):
            raise serializers.ValidationError("Tidspunktet kan ikke være i fremtiden.")
        return value


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=5000)


class ForwardSerializer(ReasonSerializer):
    unit = serializers.PrimaryKeyRelatedField(queryset=OrgUnit.objects.filter(is_active=True))


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


class CommentSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=5000)


class HandlerSerializer(serializers.Serializer):
    handler = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True))


class ClassifySerializer(serializers.Serializer):
    cause_class = serializers.ChoiceField(choices=Deviation.CauseClass.choices)
    cause_analysis = serializers.CharField(
        max_length=20000, required=False, allow_blank=True, default=""
    )
    category = serializers.PrimaryKeyRelatedField(
        queryset=Category.objects.filter(is_active=True), required=False, allow_null=True
    )


class ActionCreateSerializer(serializers.Serializer):
    description = serializers.CharField(max_length=5000)
    responsible = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True))
    deadline = serializers.DateField()


class EvaluateSerializer(serializers.Serializer):
    effect = serializers.ChoiceField(choices=CorrectiveAction.Effect.choices)
    note = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


# --- Inspections (tilsyn) ------------------------------------------------------------------


class FindingSerializer(serializers.ModelSerializer):
    deviation_number = serializers.CharField(source="deviation.number", read_only=True)
    past_deadline = serializers.SerializerMethodField()

    class Meta:
        model = InspectionFinding
        fields = [
            "id",
            "inspection",
            "kind",
            "title",
            "deadline",
            "deviation",
            "deviation_number",
            "reply",
            "replied_at",
            "confirmed_closed_at",
            "past_deadline",
        ]
        read_only_fields = fields

    def get_past_deadline(self, obj: InspectionFinding) -> bool:
        return obj.is_past_deadline()


class InspectionListSerializer(serializers.ModelSerializer):
    authority = serializers.SlugRelatedField(slug_field="name", read_only=True)
    unit = DeviationUnitSerializer(read_only=True)
    has_report = serializers.SerializerMethodField()
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Inspection
        fields = [
            "id",
            "authority",
            "theme",
            "unit",
            "status",
            "opened_on",
            "visit_on",
            "report_received_on",
            "has_report",
            "url",
        ]
        read_only_fields = fields

    def get_has_report(self, obj: Inspection) -> bool:
        return bool(obj.report)


class InspectionSerializer(InspectionListSerializer):
    units = DeviationUnitSerializer(many=True, read_only=True)
    findings = FindingSerializer(many=True, read_only=True)

    class Meta(InspectionListSerializer.Meta):
        fields = [*InspectionListSerializer.Meta.fields, "units", "notes", "findings"]
        read_only_fields = fields


class InspectionCreateSerializer(serializers.Serializer):
    """What the recording leader or advisor sends; the report is uploaded on the page."""

    authority = serializers.PrimaryKeyRelatedField(
        queryset=Authority.objects.filter(is_active=True)
    )
    theme = serializers.CharField(max_length=300)
    unit = serializers.PrimaryKeyRelatedField(queryset=OrgUnit.objects.filter(is_active=True))
    units = serializers.PrimaryKeyRelatedField(
        queryset=OrgUnit.objects.filter(is_active=True), many=True, required=False, default=list
    )
    status = serializers.ChoiceField(
        choices=Inspection.Status.choices, default=Inspection.Status.PLANNED
    )
    opened_on = serializers.DateField(required=False, allow_null=True, default=None)
    visit_on = serializers.DateField(required=False, allow_null=True, default=None)
    report_received_on = serializers.DateField(required=False, allow_null=True, default=None)
    notes = serializers.CharField(max_length=20000, required=False, allow_blank=True, default="")


class FindingCreateSerializer(serializers.Serializer):
    unit = serializers.PrimaryKeyRelatedField(queryset=OrgUnit.objects.filter(is_active=True))
    kind = serializers.ChoiceField(choices=InspectionFinding.Kind.choices)
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(
        max_length=20000, required=False, allow_blank=True, default=""
    )
    deadline = serializers.DateField(required=False, allow_null=True, default=None)
    severity = serializers.ChoiceField(choices=Deviation.Severity.choices, default=3)


class ReplySerializer(serializers.Serializer):
    reply = serializers.CharField(max_length=20000)

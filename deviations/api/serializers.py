from __future__ import annotations

from django.utils import timezone
from rest_framework import serializers

from deviations.models import Category, CorrectiveAction, Deviation, Event
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

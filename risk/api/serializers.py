from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from qms.api.serializers import UserBriefSerializer
from qms.dates import DueStatus
from qms.models import OrgUnit, User
from risk.matrix import matrix_for
from risk.models import RiskAssessment, RiskItem
from risk.querysets import review_status

LEVEL = {"min_value": 1, "max_value": 6}


class RiskAssessmentSerializer(serializers.ModelSerializer):
    unit = serializers.PrimaryKeyRelatedField(queryset=OrgUnit.objects.all())
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    participants = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), many=True, required=False
    )
    item_count = serializers.IntegerField(read_only=True, default=0)
    high_count = serializers.IntegerField(
        read_only=True, default=0, help_text="Items at or above the action threshold."
    )
    untreated_count = serializers.IntegerField(
        read_only=True, default=0, help_text="Items at or above the threshold without a measure."
    )
    action_threshold = serializers.SerializerMethodField(
        help_text="The municipality's action threshold: a score at or above it requires measures."
    )
    review_status = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = RiskAssessment
        fields = [
            "id",
            "title",
            "unit",
            "unit_name",
            "activity",
            "scope",
            "important",
            "common",
            "difficult",
            "variable",
            "participants",
            "assessed_on",
            "next_review",
            "review_status",
            "status",
            "revision",
            "previous",
            "item_count",
            "high_count",
            "untreated_count",
            "action_threshold",
            "created_at",
            "updated_at",
            "url",
        ]
        read_only_fields = ["status", "revision", "previous", "created_at", "updated_at"]

    @extend_schema_field(serializers.ChoiceField(choices=DueStatus.choices, allow_null=True))
    def get_review_status(self, obj: RiskAssessment) -> str | None:
        """current / due_soon (within a month, the date included) / overdue; null unless
        active (risk/querysets.py review_status)."""
        return review_status(obj, timezone.localdate())

    def get_action_threshold(self, obj: RiskAssessment) -> int:
        # ``with_counts`` annotates it for every list and detail; the matrix is the fallback.
        threshold = getattr(obj, "threshold", None)
        return threshold if threshold is not None else matrix_for(obj.unit).action_threshold

    def get_url(self, obj: RiskAssessment) -> str:
        return obj.get_absolute_url()

    def get_fields(self):
        fields = super().get_fields()
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            # The unit of an existing assessment is fixed (permissions follow it).
            fields["unit"].read_only = True
        return fields

    def validate(self, attrs):
        assessed = attrs.get("assessed_on") or getattr(self.instance, "assessed_on", None)
        review = attrs.get("next_review")
        if assessed and review and review < assessed:
            raise serializers.ValidationError(
                {"next_review": "Neste gjennomgang kan ikke være før vurderingen."}
            )
        return attrs


class RiskMeasureSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="action.id", read_only=True)
    description = serializers.CharField(source="action.description", read_only=True)
    responsible = UserBriefSerializer(source="action.responsible", read_only=True)
    deadline = serializers.DateField(source="action.deadline", read_only=True)
    done_at = serializers.DateTimeField(source="action.done_at", read_only=True, allow_null=True)


class RiskItemSerializer(serializers.ModelSerializer):
    probability = serializers.IntegerField(**LEVEL)
    consequence_people = serializers.IntegerField(**LEVEL, required=False, allow_null=True)
    consequence_environment = serializers.IntegerField(**LEVEL, required=False, allow_null=True)
    consequence_economy = serializers.IntegerField(**LEVEL, required=False, allow_null=True)
    consequence_reputation = serializers.IntegerField(**LEVEL, required=False, allow_null=True)
    residual_probability = serializers.IntegerField(**LEVEL, required=False, allow_null=True)
    residual_consequence = serializers.IntegerField(**LEVEL, required=False, allow_null=True)
    measures = RiskMeasureSerializer(many=True, read_only=True)
    accepted_by = UserBriefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = RiskItem
        fields = [
            "id",
            "assessment",
            "number",
            "hazard",
            "cause",
            "existing_controls",
            "probability",
            "consequence_people",
            "consequence_environment",
            "consequence_economy",
            "consequence_reputation",
            "consequence",
            "score",
            "treatment",
            "residual_probability",
            "residual_consequence",
            "residual_score",
            "accepted_by",
            "accepted_at",
            "acceptance_reason",
            "measures",
        ]
        read_only_fields = [
            "assessment",
            "number",
            "consequence",
            "score",
            "residual_score",
            "accepted_at",
            "acceptance_reason",
        ]

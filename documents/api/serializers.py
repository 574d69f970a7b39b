from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from documents.models import Document, DocumentVersion, Process
from documents.querysets import revision_status
from qms.api.serializers import UserBriefSerializer
from qms.dates import DueStatus


class UnitBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class ProcessBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Process
        fields = ["id", "name", "kind"]


class DocumentSerializer(serializers.ModelSerializer):
    unit = UnitBriefSerializer(read_only=True)
    process = ProcessBriefSerializer(read_only=True, allow_null=True)
    revision_status = serializers.SerializerMethodField()
    version = serializers.IntegerField(
        source="current_version.number", read_only=True, allow_null=True, default=None
    )
    approved_at = serializers.DateTimeField(
        source="current_version.approved_at", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = Document
        fields = [
            "id",
            "number",
            "title",
            "status",
            "unit",
            "process",
            "version",
            "approved_at",
            "next_revision",
            "revision_status",
        ]

    @extend_schema_field(serializers.ChoiceField(choices=DueStatus.choices, allow_null=True))
    def get_revision_status(self, document: Document) -> str | None:
        """current / due_soon (within a month, the revision date included) / overdue; null
        unless published (documents/querysets.py revision_status)."""
        return revision_status(document, timezone.localdate())


class VersionSerializer(serializers.ModelSerializer):
    author = UserBriefSerializer(read_only=True, allow_null=True)
    approver = UserBriefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = DocumentVersion
        fields = [
            "id",
            "number",
            "status",
            "title",
            "body",
            "change_summary",
            "significant",
            "author",
            "submitted_at",
            "approver",
            "approved_at",
            "next_revision",
            "return_comment",
        ]


class DocumentDetailSerializer(DocumentSerializer):
    scope = UnitBriefSerializer(many=True, read_only=True)
    approval_unit = UnitBriefSerializer(read_only=True)
    process_owner = UserBriefSerializer(read_only=True, allow_null=True)
    revision_responsible = UserBriefSerializer(read_only=True, allow_null=True)
    current_version = VersionSerializer(read_only=True, allow_null=True)

    class Meta(DocumentSerializer.Meta):
        fields = [
            *DocumentSerializer.Meta.fields,
            "scope",
            "approval_unit",
            "process_owner",
            "revision_responsible",
            "read_deadline_days",
            "reread_months",
            "current_version",
        ]


class ApproveSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, help_text="Version number to approve.")
    next_revision = serializers.DateField(required=False, help_text="At most one year ahead.")


class ReturnSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1)
    comment = serializers.CharField(max_length=4000)


class ReadReceiptResultSerializer(serializers.Serializer):
    document = serializers.IntegerField()
    confirmed_at = serializers.DateTimeField()

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from documents.coverage import CoverageStatus
from documents.models import Document, DocumentType, DocumentVersion, Process, RequiredDocument
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


class DocumentTypeSerializer(serializers.ModelSerializer):
    revision_intervals = serializers.ListField(
        child=serializers.IntegerField(), source="intervals", read_only=True
    )
    approver_group = serializers.CharField(
        source="approver_group.name", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = DocumentType
        fields = [
            "id",
            "code",
            "name",
            "prefix",
            "revision_intervals",
            "default_interval",
            "approver_group",
            "default_template",
            "is_active",
        ]


class DocumentTypeBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = DocumentType
        fields = ["id", "code", "name", "prefix"]


class DocumentSerializer(serializers.ModelSerializer):
    doc_type = DocumentTypeBriefSerializer(read_only=True)
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
            "doc_type",
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
            "revision_months",
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
    revision_months = serializers.IntegerField(
        required=False,
        help_text="One of the document type's revision intervals (months); its default if left out.",
    )
    next_revision = serializers.DateField(
        required=False,
        help_text="An earlier revision date; at most revision_months after today.",
    )


class ReturnSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1)
    comment = serializers.CharField(max_length=4000)


class ReadReceiptResultSerializer(serializers.Serializer):
    document = serializers.IntegerField()
    confirmed_at = serializers.DateTimeField()


class RequiredDocumentSerializer(serializers.ModelSerializer):
    doc_type = DocumentTypeBriefSerializer(read_only=True, allow_null=True)
    unit = UnitBriefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = RequiredDocument
        fields = ["id", "title", "description", "doc_type", "unit_kind", "unit"]


class DocumentBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    title = serializers.CharField()
    status = serializers.CharField()
    next_revision = serializers.DateField(allow_null=True)


class CoverageRowSerializer(serializers.Serializer):
    requirement = RequiredDocumentSerializer()
    unit = UnitBriefSerializer()
    document = DocumentBriefSerializer(allow_null=True)
    status = serializers.ChoiceField(
        choices=CoverageStatus.choices,
        help_text="missing (nothing published linked), present, or overdue (past revision).",
    )


class InForceVersionSerializer(VersionSerializer):
    """A version in force on a date, with its document."""

    document = serializers.IntegerField(source="document_id", read_only=True)
    document_number = serializers.CharField(source="document.number", read_only=True)
    unit = UnitBriefSerializer(source="document.unit", read_only=True)

    class Meta(VersionSerializer.Meta):
        fields = ["document", "document_number", "unit", *VersionSerializer.Meta.fields]


class InForceQuerySerializer(serializers.Serializer):
    date = serializers.DateField(
        help_text="The day (YYYY-MM-DD); today when left out.", required=False
    )
    unit = serializers.IntegerField(required=False, help_text="Unit id (with its subtree)")
    process = serializers.IntegerField(
        required=False, help_text="Process id (with its sub-processes)"
    )


class WordImportSerializer(serializers.Serializer):
    files = serializers.ListField(
        child=serializers.FileField(),
        allow_empty=False,
        help_text="One or more .docx files, or a .zip of a folder tree (folders name processes).",
    )
    unit = serializers.IntegerField(help_text="Owning unit of the drafts")
    process = serializers.IntegerField(
        required=False, allow_null=True, help_text="Process for files outside a process folder"
    )


class ImportedFileSerializer(serializers.Serializer):
    file = serializers.CharField(source="name")
    document = serializers.IntegerField(source="document.pk", allow_null=True, default=None)
    number = serializers.CharField(source="document.number", allow_null=True, default=None)
    title = serializers.CharField(source="document.title", allow_null=True, default=None)
    process = serializers.IntegerField(source="process.pk", allow_null=True, default=None)
    number_in_file = serializers.CharField(source="number")
    attachments = serializers.IntegerField()
    error = serializers.CharField()
    notes = serializers.ListField(child=serializers.CharField())


class WordImportReportSerializer(serializers.Serializer):
    results = ImportedFileSerializer(many=True)
    notes = serializers.ListField(child=serializers.CharField())

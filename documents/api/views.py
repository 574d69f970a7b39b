"""REST API: /api/v1/documents/ with versions and the workflow actions (docs/design.md §9)."""

from __future__ import annotations

import django_filters
from django.contrib.postgres.search import SearchQuery
from django.db import connection
from django.db.models import Q
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response

from documents import coverage, printing, services, word_import
from documents.api.serializers import (
    ApproveSerializer,
    CoverageRowSerializer,
    DocumentDetailSerializer,
    DocumentSerializer,
    DocumentTypeSerializer,
    InForceQuerySerializer,
    InForceVersionSerializer,
    ReadReceiptResultSerializer,
    RequiredDocumentSerializer,
    ReturnSerializer,
    VersionSerializer,
    WordImportReportSerializer,
    WordImportSerializer,
)
from documents.models import (
    Document,
    DocumentType,
    DocumentVersion,
    Process,
    ReadReceipt,
    RequiredDocument,
)
from documents.permissions import coverage_units
from documents.querysets import revision_q
from qms import permissions
from qms.api.viewsets import READ, Parent, Perm, RestrictedReadOnlyViewSet
from qms.dates import DueStatus
from qms.models import OrgUnit


class DocumentFilter(django_filters.FilterSet):
    unit = django_filters.NumberFilter(method="filter_unit", label="Unit id (with its subtree)")
    process = django_filters.NumberFilter(
        method="filter_process", label="Process id (with its sub-processes)"
    )
    status = django_filters.ChoiceFilter(choices=Document.Status.choices)
    text = django_filters.CharFilter(method="filter_text", label="Text in title, number or body")
    revision = django_filters.ChoiceFilter(
        choices=DueStatus.choices,
        method="filter_revision",
        label="Revision state: current, due_soon (within a month, the date included) or overdue",
    )

    class Meta:
        model = Document
        fields = ["unit", "process", "status", "text", "revision"]

    def filter_revision(self, queryset, name, value):
        return queryset.filter(getattr(revision_q(timezone.localdate()), value))

    def filter_unit(self, queryset, name, value):
        unit = OrgUnit.objects.filter(pk=value).first()
        return queryset.in_units([unit.path]) if unit else queryset.none()

    def filter_process(self, queryset, name, value):
        process = Process.objects.filter(pk=value).first()
        if process is None:
            return queryset.none()
        return queryset.filter(process__in=Process.objects.filter(path__startswith=process.path))

    def filter_text(self, queryset, name, value):
        value = value.strip()[:200]
        if not value:
            return queryset
        q = Q(title__icontains=value) | Q(number__iexact=value)
        if connection.vendor == "postgresql":
            q |= Q(
                current_version__search_vector=SearchQuery(
                    value, config="norwegian", search_type="websearch"
                )
            )
        else:
            q |= Q(current_version__body_text__icontains=value)
        return queryset.filter(q)


class DocumentViewSet(RestrictedReadOnlyViewSet):
    """Documents the user may see: published ones for everyone, drafts for those who work on them."""

    queryset = Document.objects.select_related("unit", "process", "current_version", "doc_type")
    serializer_class = DocumentSerializer
    filterset_class = DocumentFilter
    ordering = ["number"]
    ordering_fields = ["number", "title", "next_revision"]
    permission_map = {
        **READ,
        "in_force": Perm("view", object=False),
        # Creating in a unit is the import service's rule for the unit in the request.
        "word_import": Perm("add", object=False),
        "submit": Perm("change"),
        "approve": Perm("approve"),
        "return_version": Perm("approve"),
        "start_revision": Perm("change"),
        "confirm_read": Perm("view"),
    }

    def get_queryset(self):
        qs = super().get_queryset()
        if self.action == "retrieve":
            qs = qs.select_related(
                "approval_unit",
                "process_owner",
                "revision_responsible",
                "current_version__author",
                "current_version__approver",
            ).prefetch_related("scope")
        return qs.order_by("number")

    def get_serializer_class(self):
        return DocumentDetailSerializer if self.action == "retrieve" else DocumentSerializer

    def _version(self, document: Document, number: int) -> DocumentVersion:
        version = (
            permissions.restrict(self.request.user, DocumentVersion)
            .filter(document=document, number=number)
            .first()
        )
        if version is None:
            raise NotFound()
        return version

    def _open_draft(self, document: Document) -> DocumentVersion:
        version = (
            permissions.restrict(self.request.user, DocumentVersion)
            .filter(document=document, status__in=DocumentVersion.OPEN)
            .first()
        )
        if version is None:
            raise NotFound("Dokumentet har ikke noe utkast.")
        return version

    @extend_schema(
        parameters=[InForceQuerySerializer], responses={200: InForceVersionSerializer(many=True)}
    )
    @action(detail=False, methods=["get"], url_path="in-force")
    def in_force(self, request):
        """The version of each document in force at the end of ``date`` (default today)."""
        query = InForceQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        unit, process, unknown = None, None, False
        if data.get("unit") is not None:
            unit = OrgUnit.objects.filter(pk=data["unit"]).first()
            unknown = unit is None
        if data.get("process") is not None:
            process = Process.objects.filter(pk=data["process"]).first()
            unknown = unknown or process is None
        versions = printing.in_force_for(
            request.user, data.get("date") or timezone.localdate(), unit, process
        )
        if unknown:  # an unknown unit or process holds nothing, as in the list's filters
            versions = versions.none()
        page = self.paginate_queryset(versions)
        return self.get_paginated_response(InForceVersionSerializer(page, many=True).data)

    @extend_schema(
        request={"multipart/form-data": WordImportSerializer},
        responses={201: WordImportReportSerializer},
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="import",
        parser_classes=[MultiPartParser],
    )
    def word_import(self, request):
        """Drafts from Word files (.docx) or a ZIP of a folder tree, with the import report."""
        data = WordImportSerializer(
            data={
                "files": request.FILES.getlist("files"),
                "unit": request.data.get("unit"),
                "process": request.data.get("process") or None,
            }
        )
        data.is_valid(raise_exception=True)
        unit = OrgUnit.objects.filter(pk=data.validated_data["unit"]).first()
        if unit is None:
            raise ValidationError({"unit": ["Ukjent enhet."]})
        process = None
        if data.validated_data.get("process") is not None:
            process = Process.objects.filter(pk=data.validated_data["process"]).first()
            if process is None:
                raise ValidationError({"process": ["Ukjent prosess."]})
        try:
            report = word_import.import_word_files(
                request.user, data.validated_data["files"], unit=unit, process=process
            )
        except word_import.ImportRefused as exc:
            raise ValidationError({"files": [str(exc)]}) from None
        return Response(WordImportReportSerializer(report).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: VersionSerializer})
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Send the open draft for approval."""
        version = services.submit(request.user, self._open_draft(self.get_object()))
        return Response(VersionSerializer(version).data)

    @extend_schema(request=ApproveSerializer, responses={200: VersionSerializer})
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """Approve and publish a version in review; the previous published version is retired."""
        data = ApproveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        version = self._version(self.get_object(), data.validated_data["version"])
        version = services.approve(
            request.user,
            version,
            data.validated_data.get("next_revision"),
            data.validated_data.get("revision_months"),
        )
        return Response(VersionSerializer(version).data)

    @extend_schema(request=ReturnSerializer, responses={200: VersionSerializer})
    @action(detail=True, methods=["post"], url_path="return")
    def return_version(self, request, pk=None):
        """Send a version in review back to its author with a comment."""
        data = ReturnSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        version = self._version(self.get_object(), data.validated_data["version"])
        version = services.return_version(request.user, version, data.validated_data["comment"])
        return Response(VersionSerializer(version).data)

    @extend_schema(request=None, responses={201: VersionSerializer})
    @action(detail=True, methods=["post"], url_path="start-revision")
    def start_revision(self, request, pk=None):
        """Start a new draft from the published version (or return the open one)."""
        version = services.start_revision(request.user, self.get_object())
        return Response(VersionSerializer(version).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: ReadReceiptResultSerializer})
    @action(detail=True, methods=["post"], url_path="confirm-read")
    def confirm_read(self, request, pk=None):
        """Confirm "read and understood" for the current read round."""
        document = self.get_object()
        receipt = ReadReceipt.objects.filter(
            round_id=document.current_round_id, user=request.user
        ).first()
        if receipt is None:
            raise NotFound("Dokumentet står ikke på leselisten din.")
        receipt = services.confirm_read(request.user, receipt)
        return Response({"document": document.pk, "confirmed_at": receipt.confirmed_at})


class PDFRenderer(BaseRenderer):
    """Lets a client ask for ``Accept: application/pdf``; errors are still JSON."""

    media_type = "application/pdf"
    format = "pdf"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, bytes):
            return data
        return JSONRenderer().render(data)


@extend_schema(
    parameters=[OpenApiParameter("document_pk", int, OpenApiParameter.PATH)],
)
class VersionViewSet(RestrictedReadOnlyViewSet):
    """Versions of one document, newest first; drafts only for those who work on it."""

    queryset = DocumentVersion.objects.select_related("author", "approver").order_by("-number")
    serializer_class = VersionSerializer
    lookup_field = "number"
    lookup_value_regex = r"\d+"
    ordering = ["-number"]
    ordering_fields = ["number"]
    filterset_fields = ["status"]
    parent = Parent(Document, "document_pk", "document")

    permission_map = {**READ, "pdf": Perm("view")}

    @extend_schema(
        responses={(200, "application/pdf"): OpenApiTypes.BINARY},
        # DRF's ?format= override is not part of this endpoint: the answer is the PDF.
        parameters=[OpenApiParameter("format", exclude=True)],
    )
    @action(detail=True, methods=["get"], renderer_classes=[JSONRenderer, PDFRenderer])
    def pdf(self, request, document_pk=None, number=None):
        """The tagged PDF of the version, with the header of a printed copy."""
        version = self.get_object()
        copy = printing.PrintedCopy(
            version,
            request.build_absolute_uri(reverse("documents:detail", args=[version.document_id])),
        )
        response = HttpResponse(printing.version_pdf(copy), content_type="application/pdf")
        response["Content-Disposition"] = (
            f'attachment; filename="{printing.version_filename(version)}"'
        )
        return response


class DocumentTypeViewSet(RestrictedReadOnlyViewSet):
    """Document types with their number prefix, allowed revision intervals and approver group."""

    queryset = DocumentType.objects.select_related("approver_group").order_by("name")
    serializer_class = DocumentTypeSerializer
    ordering = ["name"]
    filterset_fields = ["is_active"]


class UnitFilterSerializer(serializers.Serializer):
    unit = serializers.IntegerField(
        required=False, help_text="Unit id; its subtree is included. Default: your top unit."
    )


class RequiredDocumentViewSet(RestrictedReadOnlyViewSet):
    """The register of documents each kind of unit (or a named unit) must have."""

    queryset = RequiredDocument.objects.select_related("doc_type", "unit").order_by("title")
    serializer_class = RequiredDocumentSerializer
    ordering = ["title"]
    permission_map = {**READ, "coverage": Perm("view", object=False)}

    @extend_schema(
        parameters=[OpenApiParameter("unit", int, required=False)],
        responses={200: CoverageRowSerializer(many=True)},
    )
    @action(detail=False, methods=["get"], pagination_class=None, filter_backends=[])
    def coverage(self, request):
        """Per unit of the subtree: each requirement, the linked document and its state
        (documents.coverage). Leaders see their subtrees, advisors every unit."""
        params = UnitFilterSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        units = coverage_units(request.user).order_by("path")
        if "unit" not in params.validated_data:
            unit = units.first()
            if unit is None:  # neither a leader nor an advisor: nothing to cover
                return Response([])
        else:
            unit = units.filter(pk=params.validated_data["unit"]).first()
            if unit is None:
                raise NotFound()
        rows = coverage.coverage(unit)
        return Response(CoverageRowSerializer(rows, many=True).data)

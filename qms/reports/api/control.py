"""The report on internal control over the API: ``internal-control-reports``."""

from __future__ import annotations

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied

from qms import permissions
from qms.api.pagination import StandardPagination
from qms.api.viewsets import READ, Perm, RestrictedViewSetMixin
from qms.reports.api.serializers import ChapterTextSerializer, InternalControlReportSerializer
from qms.reports.control import services
from qms.reports.models import InternalControlReport, ReportChapter


class InternalControlReportViewSet(
    RestrictedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """The chief executive's report to the council on internal control (kommuneloven § 25-2):
    make one for a year or a tertial (POST; chapters assembled), write a chapter's assessment
    (POST …/texts/), fetch the figures again (POST …/assemble/), approve it (POST …/approve/,
    the chief executive only; the figures are then kept and the report is read-only: 409)."""

    serializer_class = InternalControlReportSerializer
    pagination_class = StandardPagination
    lookup_field = "uid"
    queryset = InternalControlReport.objects.select_related("unit")
    permission_map = {
        **READ,
        "create": Perm("add", object=False),
        "texts": Perm("change"),
        "assemble": Perm("change"),
        "approve": Perm("approve"),
    }

    def get_queryset(self):
        chapters = ReportChapter.objects.order_by("position")
        return (
            super()
            .get_queryset()
            .prefetch_related(Prefetch("chapters", queryset=chapters))
            .order_by("-period_start", "period_kind", "pk")
        )

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        unit = permissions.creatable_units(request.user, InternalControlReport).first()
        if unit is None:
            raise PermissionDenied()
        report = services.create_report(request.user, unit, serializer.period())
        return self.read_back(report.pk, status.HTTP_201_CREATED)

    @extend_schema(request=ChapterTextSerializer, responses=InternalControlReportSerializer)
    @action(detail=True, methods=["post"])
    def texts(self, request, uid=None):
        """The chief executive's assessment in one chapter (409 once approved)."""
        report = self.get_object()
        payload = ChapterTextSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        chapter = permissions.get_object_or_404(
            request.user, report.chapters.all(), "change", pk=data["chapter"]
        )
        services.save_chapter(
            request.user, chapter, good=data["good"], weak=data["weak"], planned=data["planned"]
        )
        return self.read_back(report.pk)

    @extend_schema(request=None, responses=InternalControlReportSerializer)
    @action(detail=True, methods=["post"])
    def assemble(self, request, uid=None):
        """Fetch the figures again (a draft; 409 once approved)."""
        report = self.get_object()
        services.assemble_report(request.user, report)
        return self.read_back(report.pk)

    @extend_schema(request=None, responses=InternalControlReportSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, uid=None):
        """Approve (the chief executive); 409 without the overall assessment or when approved."""
        report = self.get_object()
        services.approve_report(request.user, report)
        return self.read_back(report.pk)

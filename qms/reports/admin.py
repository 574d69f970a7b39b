from django.contrib import admin

from qms.reports.models import GeneratedReport, InternalControlReport, ReportChapter


@admin.register(GeneratedReport)
class GeneratedReportAdmin(admin.ModelAdmin):
    list_display = ["unit", "period_start", "period_end", "status", "progress", "created_at"]
    list_filter = ["status", "period_kind"]
    readonly_fields = [f.name for f in GeneratedReport._meta.fields]
    search_fields = ["unit__name", "last_error"]
    raw_id_fields = ["unit", "requested_by"]


class ReportChapterInline(admin.TabularInline):
    model = ReportChapter
    fields = ["position", "title", "good", "weak", "planned"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(InternalControlReport)
class InternalControlReportAdmin(admin.ModelAdmin):
    """Read-only: a report is made, written and approved on its pages; an approved report that
    must be corrected is deleted here and made again."""

    list_display = ["unit", "period_kind", "period_start", "status", "approved_at"]
    list_filter = ["status", "period_kind"]
    readonly_fields = [f.name for f in InternalControlReport._meta.fields]
    inlines = [ReportChapterInline]

    def has_add_permission(self, request) -> bool:
        return False

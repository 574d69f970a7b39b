from django.contrib import admin

from qms.reports.models import GeneratedReport


@admin.register(GeneratedReport)
class GeneratedReportAdmin(admin.ModelAdmin):
    list_display = ["unit", "period_start", "period_end", "status", "progress", "created_at"]
    list_filter = ["status", "period_kind"]
    readonly_fields = [f.name for f in GeneratedReport._meta.fields]
    search_fields = ["unit__name", "last_error"]
    raw_id_fields = ["unit", "requested_by"]

from django.contrib import admin
from django.http import Http404
from guardian.admin import GuardedModelAdmin

from deviations import services
from deviations.models import (
    AccessLog,
    Attachment,
    Authority,
    Category,
    CorrectiveAction,
    Deviation,
    Event,
    Inspection,
    InspectionFinding,
    ReportLink,
)
from qms.admin import AuditLogAdmin


class CaseReadAdmin:
    """A change page that shows a case's content loads the case through ``fetch_for``: the
    permission layer decides, and the read of a personal-data case is logged ("admin")."""

    def case_id(self, obj) -> int | None:
        return obj.deviation_id

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None or self.case_id(obj) is None:
            return obj
        try:
            services.fetch_for(request.user, self.case_id(obj), "view", "admin")
        except Http404:
            return None
        return obj


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "order", "is_active", "is_hms"]
    list_editable = ["order", "is_active", "is_hms"]
    search_fields = ["name"]


class ActionInline(admin.TabularInline):
    model = CorrectiveAction
    extra = 0
    fields = ["description", "unit", "responsible", "deadline", "done_at", "effect"]
    raw_id_fields = ["responsible", "unit"]
    show_change_link = True


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0
    fields = ["original_name", "content_type", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = fields
    can_delete = False


@admin.register(Deviation)
class DeviationAdmin(CaseReadAdmin, GuardedModelAdmin):
    list_display = ["number", "title", "kind", "unit", "state", "severity", "created_at"]
    list_filter = ["state", "kind", "source", "severity", "category", "contains_personal_data"]
    search_fields = ["number", "title"]
    raw_id_fields = ["unit", "reporter", "handler"]
    list_select_related = ["unit"]
    readonly_fields = ["number", "created_at", "updated_at", "closed_at"]
    inlines = [ActionInline, AttachmentInline]
    show_full_result_count = False  # no COUNT(*) over a million rows

    def case_id(self, obj) -> int:
        return obj.pk


@admin.register(CorrectiveAction)
class CorrectiveActionAdmin(CaseReadAdmin, admin.ModelAdmin):
    list_display = ["__str__", "deviation", "unit", "responsible", "deadline", "done_at"]
    list_filter = ["effect"]
    search_fields = ["description"]
    raw_id_fields = ["deviation", "unit", "responsible", "done_by", "effect_evaluated_by"]
    list_select_related = ["deviation", "unit", "responsible"]
    readonly_fields = ["escalation_step", "created_at", "created_by"]
    show_full_result_count = False


@admin.register(Event)
class EventAdmin(CaseReadAdmin, AuditLogAdmin):
    list_display = ["kind", "deviation", "action", "actor", "at"]
    list_filter = ["kind"]
    raw_id_fields = ["deviation", "action", "actor"]
    show_full_result_count = False


@admin.register(AccessLog)
class AccessLogAdmin(AuditLogAdmin):
    list_display = ["deviation", "user", "at", "channel"]
    raw_id_fields = ["deviation", "user"]
    show_full_result_count = False


@admin.register(ReportLink)
class ReportLinkAdmin(admin.ModelAdmin):
    list_display = ["unit", "is_active", "created_at"]
    raw_id_fields = ["unit"]
    readonly_fields = ["token"]


@admin.register(Authority)
class AuthorityAdmin(admin.ModelAdmin):
    """The configurable list of supervisory authorities offered when recording an inspection."""

    list_display = ["name", "order", "is_active"]
    list_editable = ["order", "is_active"]
    search_fields = ["name"]


class FindingInline(admin.TabularInline):
    """Findings are added on the inspection page (they report a deviation); shown here only."""

    model = InspectionFinding
    extra = 0
    fields = ["kind", "title", "deadline", "deviation", "replied_at", "confirmed_closed_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Inspection)
class InspectionAdmin(admin.ModelAdmin):
    list_display = ["theme", "authority", "unit", "status", "visit_on"]
    list_filter = ["status", "authority"]
    search_fields = ["theme"]
    raw_id_fields = ["unit", "units", "created_by"]
    list_select_related = ["authority", "unit"]
    inlines = [FindingInline]

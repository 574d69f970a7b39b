"""Admin: the matrix settings per municipality and read-only views of the rest.

Saving the matrix goes through ``services.record_matrix_change``: stored scores are recomputed
and the change is logged, never rewritten silently.
"""

from django.contrib import admin

from qms.admin import AuditLogAdmin
from risk import services
from risk.models import (
    RiskAssessment,
    RiskEvent,
    RiskItem,
    RiskMatrix,
    RiskMatrixBand,
    RiskMatrixCell,
    RiskMatrixChange,
    RiskMatrixLevel,
)


class LevelInline(admin.TabularInline):
    model = RiskMatrixLevel
    extra = 0


class BandInline(admin.TabularInline):
    model = RiskMatrixBand
    extra = 0


class CellInline(admin.TabularInline):
    model = RiskMatrixCell
    extra = 0


class ChangeInline(admin.TabularInline):
    model = RiskMatrixChange
    extra = 0
    can_delete = False
    fields = ["changed_at", "changed_by", "items_rescored", "before", "after"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(RiskMatrix)
class RiskMatrixAdmin(admin.ModelAdmin):
    list_display = ["municipality", "size", "action_threshold", "updated_at"]
    inlines = [LevelInline, BandInline, CellInline, ChangeInline]

    def save_model(self, request, obj, form, change):
        request._risk_matrix_before = (
            services.snapshot(RiskMatrix.objects.get(pk=obj.pk)) if change else {}
        )
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.record_matrix_change(
            actor=request.user,
            matrix=form.instance,
            before=getattr(request, "_risk_matrix_before", {}),
        )


@admin.register(RiskMatrixChange)
class RiskMatrixChangeAdmin(AuditLogAdmin):
    list_display = ["matrix", "changed_at", "changed_by", "items_rescored"]
    readonly_fields = ["matrix", "changed_at", "changed_by", "items_rescored", "before", "after"]


class ItemInline(admin.TabularInline):
    model = RiskItem
    extra = 0
    fields = ["number", "hazard", "probability", "consequence", "score", "residual_score"]
    readonly_fields = fields
    can_delete = False


@admin.register(RiskAssessment)
class RiskAssessmentAdmin(admin.ModelAdmin):
    """Read-mostly: assessments change through the pages, where the workflow rules apply."""

    list_display = ["title", "unit", "status", "revision", "assessed_on", "next_review"]
    list_filter = ["status"]
    search_fields = ["title", "activity", "unit__name"]
    list_select_related = ["unit"]
    raw_id_fields = ["unit", "previous", "created_by", "participants"]
    readonly_fields = ["status", "revision", "previous", "created_by"]
    inlines = [ItemInline]


@admin.register(RiskEvent)
class RiskEventAdmin(AuditLogAdmin):
    list_display = ["assessment", "kind", "actor", "created_at"]
    list_filter = ["kind"]
    raw_id_fields = ["assessment", "item", "actor"]

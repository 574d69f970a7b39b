from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from annual_wheel import services
from annual_wheel.models import (
    Activity,
    AgendaItem,
    Audit,
    AuditFinding,
    AuditProgramme,
    CalendarFeed,
    Category,
    Checklist,
    ChecklistVersion,
    Committee,
    CommitteeMember,
    Meeting,
    Occurrence,
    Review,
    ReviewDecision,
    ReviewParticipant,
    Round,
    RoundAnswer,
)


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "colour", "order"]
    list_editable = ["order"]
    search_fields = ["name"]


class OccurrenceInline(admin.TabularInline):
    model = Occurrence
    extra = 0
    fields = ["due_date", "status", "completed_at", "completed_by", "note"]
    readonly_fields = ["due_date", "completed_at", "completed_by"]
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("completed_by")


@admin.register(Activity)
class ActivityAdmin(SimpleHistoryAdmin):
    list_display = [
        "title",
        "unit",
        "category",
        "recurrence",
        "start_date",
        "responsible",
        "is_active",
    ]
    list_filter = ["category", "recurrence", "is_active"]
    search_fields = ["title", "description", "unit__name"]
    autocomplete_fields = ["unit", "responsible"]
    list_select_related = ["unit", "category", "responsible"]
    readonly_fields = ["materialised_until", "created_by", "created_at", "updated_at"]
    inlines = [OccurrenceInline]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
        # The admin edits rows directly; keep the occurrences in line with the schedule.
        services.materialise(obj)


@admin.register(Occurrence)
class OccurrenceAdmin(SimpleHistoryAdmin):
    list_display = ["activity", "due_date", "status", "completed_by", "completed_at"]
    list_filter = ["status"]
    date_hierarchy = "due_date"
    search_fields = ["activity__title"]
    list_select_related = ["activity", "completed_by"]
    raw_id_fields = ["activity", "completed_by"]
    readonly_fields = ["remind_on", "reminded_at", "overdue_flagged_at"]


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    list_display = ["user", "unit", "created_at", "revoked_at", "last_used_at"]
    list_filter = ["revoked_at"]
    search_fields = ["user__username", "unit__name"]
    list_select_related = ["user", "unit"]
    raw_id_fields = ["user", "unit"]
    readonly_fields = ["token_hash", "created_at", "last_used_at"]


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ChecklistVersionInline(ReadOnlyInline):
    model = ChecklistVersion
    fields = ["number", "status", "published_at", "published_by"]
    readonly_fields = fields
    show_change_link = False


@admin.register(Checklist)
class ChecklistAdmin(admin.ModelAdmin):
    """Title, owner and whether it is offered; questions and versions are kept on the checklist
    pages, where a published version stays read-only."""

    list_display = ["title", "unit", "is_active", "created_at"]
    list_filter = ["is_active"]
    search_fields = ["title"]
    autocomplete_fields = ["unit"]
    list_select_related = ["unit"]
    readonly_fields = ["created_by", "created_at"]
    inlines = [ChecklistVersionInline]


class RoundAnswerInline(ReadOnlyInline):
    model = RoundAnswer
    fields = ["question", "value", "comment", "deviation", "action", "answered_by", "answered_at"]
    readonly_fields = fields


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
    """Rounds are read here; they are carried out and signed on the round page."""

    list_display = ["version", "unit", "date", "status", "signed_by"]
    list_filter = ["status"]
    date_hierarchy = "date"
    search_fields = ["version__checklist__title", "unit__name"]
    list_select_related = ["version__checklist", "unit", "signed_by"]
    inlines = [RoundAnswerInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    """Read here; planned, carried out and reported on the audit pages, through the services."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AuditInline(ReadOnlyInline):
    model = Audit
    fields = ["title", "unit", "planned_date", "lead_auditor", "status"]
    readonly_fields = fields
    show_change_link = True


@admin.register(AuditProgramme)
class AuditProgrammeAdmin(ReadOnlyAdmin):
    list_display = ["year", "unit", "created_at"]
    list_filter = ["year"]
    search_fields = ["unit__name"]
    list_select_related = ["unit"]
    inlines = [AuditInline]


class AuditFindingInline(ReadOnlyInline):
    model = AuditFinding
    fields = ["kind", "text", "evidence", "criterion", "deviation", "created_at"]
    readonly_fields = fields


@admin.register(Audit)
class AuditAdmin(ReadOnlyAdmin):
    list_display = ["title", "unit", "planned_date", "lead_auditor", "status"]
    list_filter = ["status", "programme__year"]
    date_hierarchy = "planned_date"
    search_fields = ["title", "unit__name"]
    list_select_related = ["unit", "lead_auditor"]
    inlines = [AuditFindingInline]


@admin.register(AuditFinding)
class AuditFindingAdmin(ReadOnlyAdmin):
    list_display = ["audit", "kind", "deviation", "created_at"]
    list_filter = ["kind"]
    search_fields = ["text", "audit__title"]
    list_select_related = ["audit__unit", "deviation"]


class CommitteeMemberInline(admin.TabularInline):
    model = CommitteeMember
    extra = 1
    fields = ["user", "role", "representing"]
    autocomplete_fields = ["user"]


@admin.register(Committee)
class CommitteeAdmin(admin.ModelAdmin):
    """Committees and their members are set up here (one chair each: a database constraint);
    meetings are planned and run on the committee pages."""

    list_display = ["name", "kind", "unit", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "unit__name"]
    list_select_related = ["unit"]
    inlines = [CommitteeMemberInline]


class AgendaItemInline(ReadOnlyInline):
    model = AgendaItem
    fields = ["order", "kind", "object_id", "title", "decision", "action", "referred_by"]
    readonly_fields = fields


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ["committee", "date", "status"]
    list_filter = ["status"]
    date_hierarchy = "date"
    list_select_related = ["committee"]
    inlines = [AgendaItemInline]


class ReviewParticipantInline(admin.TabularInline):
    model = ReviewParticipant
    fields = ["user", "role"]
    readonly_fields = fields
    extra = 0
    can_delete = False


class ReviewDecisionInline(admin.TabularInline):
    model = ReviewDecision
    fields = ["section", "text", "action"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Review)
class ReviewAdmin(ReadOnlyAdmin):
    """Management reviews are read here; they are prepared and signed on the review page."""

    list_display = ["unit", "year", "date", "status", "signed_by"]
    list_filter = ["status", "year"]
    search_fields = ["unit__name"]
    list_select_related = ["unit", "signed_by"]
    exclude = ["snapshot"]
    inlines = [ReviewParticipantInline, ReviewDecisionInline]

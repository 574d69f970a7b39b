from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from rest_framework.authtoken.models import TokenProxy
from simple_history.admin import SimpleHistoryAdmin
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from qms import notifications, tokens
from qms.models import (
    Absence,
    ApiToken,
    Handover,
    Membership,
    Notification,
    OrgUnit,
    ProvisioningToken,
    Reminder,
    RoutedWork,
    SiteSettings,
    User,
)

# DRF's never-expiring keys ("Tokens") no longer authenticate: their rows became ApiTokens
# (migration 0005), and rest_framework.authtoken stays installed only for that migration and
# its login serializer. Its admin page would send administrators to the wrong keys.
if admin.site.is_registered(TokenProxy):
    admin.site.unregister(TokenProxy)


class AuditLogAdmin(admin.ModelAdmin):
    """Audit rows (events, access log, ledger) are evidence: shown, never added, changed or
    deleted through the admin, not even by a superuser."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["user"]


@admin.register(OrgUnit)
class OrgUnitAdmin(TreeAdmin, SimpleHistoryAdmin):
    form = movenodeform_factory(OrgUnit, exclude=["path", "depth", "numchild"])
    list_display = ["name", "kind", "code", "external_id", "headcount", "is_active", "closed_at"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "code", "external_id"]
    readonly_fields = ["closed_at"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "unit", "role"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "unit__name"]
    autocomplete_fields = ["user", "unit"]
    list_select_related = ["user", "unit"]


@admin.register(User)
class UserAdmin(BaseUserAdmin, SimpleHistoryAdmin):
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        ("Arbeid", {"fields": ("employee_number", "job_title", "phone", "language")}),
        (_("Enkel pålogging"), {"fields": ("external_id",)}),
    )
    list_display = [
        "username",
        "first_name",
        "last_name",
        "email",
        "employee_number",
        "is_active",
        "is_staff",
    ]
    search_fields = [*BaseUserAdmin.search_fields, "employee_number", "external_id"]
    inlines = [MembershipInline]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = [
        "subject",
        "recipient",
        "kind",
        "created_at",
        "email_status",
        "email_attempts",
        "last_error",
        "read_at",
    ]
    # "Feilet" lists the e-mails the mail server refused for good (5xx) or that gave up after
    # 48 hours of temporary failures; the action puts them back in the outbox.
    list_filter = ["email_status", "kind"]
    search_fields = ["subject", "recipient__username"]
    raw_id_fields = ["recipient"]
    actions = ["retry_email"]
    readonly_fields = [
        "created_at",
        "email_claimed_at",
        "email_sent_at",
        "email_attempts",
        "email_next_attempt_at",
        "last_error",
    ]

    @admin.action(description=_("Send feilede e-poster på nytt"))
    def retry_email(self, request, queryset):
        count = notifications.retry_failed_emails(queryset)
        self.message_user(request, _("%(n)s e-poster lagt i køen igjen.") % {"n": count})


@admin.register(Reminder)
class ReminderAdmin(AuditLogAdmin):
    list_display = ["content_type", "object_id", "kind", "step", "created_at"]
    list_filter = ["kind", "content_type"]
    readonly_fields = ["content_type", "object_id", "kind", "step", "created_at", "notification"]


@admin.register(SiteSettings)
class SiteSettingsAdmin(admin.ModelAdmin):
    """One row: the list opens the row itself; it is never added twice or deleted."""

    fields = ["default_language", "whistleblowing_url"]

    def has_add_permission(self, request):
        return not SiteSettings.objects.exists() and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        from django.shortcuts import redirect

        row, _created = SiteSettings.objects.get_or_create(pk=1)
        return redirect("admin:qms_sitesettings_change", row.pk)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Every user's API keys, to revoke one that leaked or belongs to someone who left. Keys are
    made by their owners only (the key is shown once, to them); the admin never sees a key or
    its hash, and changes nothing but the key's existence."""

    list_display = ["name", "user", "prefix", "created_at", "expires_at", "last_used_at"]
    list_filter = ["expires_at", "last_used_at"]
    search_fields = ["name", "prefix", "user__username", "user__first_name", "user__last_name"]
    list_select_related = ["user"]
    fields = ["user", "name", "prefix", "created_at", "expires_at", "last_used_at"]
    readonly_fields = fields
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Trekk tilbake valgte API-nøkler"), permissions=["delete"])
    def revoke(self, request, queryset):
        count = tokens.revoke_tokens(queryset)
        self.message_user(
            request, _("%(n)s API-nøkler er trukket tilbake og virker ikke lenger.") % {"n": count}
        )


@admin.register(Absence)
class AbsenceAdmin(admin.ModelAdmin):
    """Leaders' absences; registered on Min side > Fravær as a rule (qms.absence), here for the
    administrators' overview and corrections."""

    list_display = ["user", "starts", "ends", "deputy", "note"]
    list_filter = ["starts"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    raw_id_fields = ["user", "deputy", "created_by"]


@admin.register(RoutedWork)
class RoutedWorkAdmin(AuditLogAdmin):
    """What went to a deputy or the leader above while a leader was away (read-only)."""

    list_display = ["subject", "recipient", "unit", "created_at"]
    list_select_related = ["recipient", "unit"]


@admin.register(ProvisioningToken)
class ProvisioningTokenAdmin(admin.ModelAdmin):
    """The keys of the identity provider's SCIM client (docs/operations.md). Adding one shows
    its key once, to give to Entra ID; deleting one stops it at once."""

    list_display = ["name", "prefix", "created_at", "expires_at", "last_used_at"]
    fields = ["name", "expires_at"]

    def has_change_permission(self, request, obj=None):
        return False

    def get_changeform_initial_data(self, request):
        from django.utils import timezone

        return {"expires_at": timezone.now() + tokens_lifetime()}

    def save_model(self, request, obj, form, change):
        token, key = tokens.issue_provisioning_token(obj.name)
        token.expires_at = obj.expires_at
        token.save(update_fields=["expires_at"])
        obj.pk = token.pk
        self.message_user(
            request,
            _("Ny nøkkel for brukerforsyning. Kopier den nå – den vises ikke igjen: %(key)s")
            % {"key": key},
        )


def tokens_lifetime():
    from datetime import timedelta

    return timedelta(days=tokens.PROVISIONING_TOKEN_DAYS)


@admin.register(Handover)
class HandoverAdmin(AuditLogAdmin):
    """Every hand-over of open work (who, to whom, why, what): evidence, never changed."""

    list_display = ["created_at", "from_user", "to_user", "unit", "reason", "source"]
    list_filter = ["reason", "source"]
    search_fields = ["from_user__username", "to_user__username", "unit__name"]
    list_select_related = ["from_user", "to_user", "unit"]
    fields = ["created_at", "from_user", "to_user", "unit", "reason", "source", "items"]
    readonly_fields = fields

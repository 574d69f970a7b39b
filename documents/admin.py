"""Admin for the quality advisors: the process map and document templates.

Documents themselves change only through the workflow (services), so their admin is read-mostly.
"""

from django.contrib import admin
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from documents import services
from documents.models import (
    Document,
    DocumentEvent,
    DocumentTemplate,
    DocumentType,
    DocumentVersion,
    InForceBundle,
    Process,
    ReadRound,
    RequiredDocument,
    TemplateVersion,
)
from documents.sanitize import clean_html
from qms.admin import AuditLogAdmin


@admin.register(Process)
class ProcessAdmin(TreeAdmin):
    form = movenodeform_factory(Process, exclude=["path", "depth", "numchild"])
    list_display = ["name", "kind", "code", "owner"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["owner"]


class TemplateVersionInline(admin.TabularInline):
    model = TemplateVersion
    fields = ["number", "created_by", "created_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(DocumentTemplate)
class DocumentTemplateAdmin(admin.ModelAdmin):
    """A saved change is a new template version (services.save_template), as on the advisors'
    page; documents written from an earlier version keep their text."""

    list_display = ["name", "is_default"]
    inlines = [TemplateVersionInline]

    def save_model(self, request, obj, form, change):
        obj.body = clean_html(obj.body)
        if change:
            services.save_template(request.user, obj.name, obj.body, obj, check=False)
            DocumentTemplate.objects.filter(pk=obj.pk).update(is_default=obj.is_default)
        else:
            super().save_model(request, obj, form, change)
            services.save_template(request.user, obj.name, obj.body, obj, check=False)


@admin.register(DocumentType)
class DocumentTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "prefix", "default_interval", "approver_group", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "code", "prefix"]


@admin.register(RequiredDocument)
class RequiredDocumentAdmin(admin.ModelAdmin):
    list_display = ["title", "unit_kind", "unit", "doc_type"]
    list_filter = ["unit_kind", "doc_type"]
    search_fields = ["title"]
    autocomplete_fields = ["unit"]


class VersionInline(admin.TabularInline):
    model = DocumentVersion
    fields = ["number", "status", "title", "author", "approver", "approved_at", "next_revision"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "doc_type", "unit", "process", "status", "next_revision"]
    list_filter = ["status", "doc_type", "process"]
    search_fields = ["number", "title"]
    list_select_related = ["unit", "process"]
    readonly_fields = [
        "number",
        "doc_type",
        "status",
        "current_version",
        "current_round",
        "next_revision",
    ]
    autocomplete_fields = [
        "unit",
        "approval_unit",
        "process_owner",
        "revision_responsible",
        "delegated_approver",
    ]
    filter_horizontal = ["scope"]
    inlines = [VersionInline]


@admin.register(DocumentVersion)
class DocumentVersionAdmin(admin.ModelAdmin):
    list_display = ["document", "number", "status", "author", "approver", "approved_at"]
    list_filter = ["status"]
    search_fields = ["document__number", "title"]
    list_select_related = ["document", "author", "approver"]
    readonly_fields = [f.name for f in DocumentVersion._meta.fields if f.name != "search_vector"]
    exclude = ["search_vector"]

    def has_add_permission(self, request):
        return False


@admin.register(DocumentEvent)
class DocumentEventAdmin(AuditLogAdmin):
    list_display = ["document", "kind", "actor", "created_at"]
    list_filter = ["kind"]
    list_select_related = ["document", "actor"]
    readonly_fields = ["document", "version", "kind", "actor", "comment", "created_at"]


@admin.register(ReadRound)
class ReadRoundAdmin(admin.ModelAdmin):
    list_display = ["document", "version", "reason", "started_at", "deadline"]
    list_select_related = ["document", "version"]
    readonly_fields = ["document", "version", "reason", "started_at"]


@admin.register(InForceBundle)
class InForceBundleAdmin(admin.ModelAdmin):
    """Bundles of the documents in force: their state and a failed one's error (read-only)."""

    list_display = ["day", "format", "requested_by", "status", "documents", "created_at"]
    list_filter = ["status", "format"]
    list_select_related = ["requested_by"]
    readonly_fields = [f.name for f in InForceBundle._meta.fields]
    search_fields = ["last_error"]

    def has_add_permission(self, request):
        return False

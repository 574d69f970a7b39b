"""Pages for what quality advisors keep — document types, templates and the register of required
documents — and the required-documents coverage of a unit (advisors and leaders).

Thin like documents/views.py: parse, call a service, render. Who may do what is decided in
documents/permissions.py (``may_configure``, ``coverage_units``).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from documents import coverage as cov
from documents import forms, services
from documents.models import (
    DocumentTemplate,
    DocumentType,
    NumberSequence,
    RequiredDocument,
)
from documents.permissions import coverage_units, may_configure
from documents.services import TypeData, WorkflowError
from qms.forms import add_service_errors


def _advisor(request) -> None:
    if not may_configure(request.user):
        raise PermissionDenied


@login_required
def setup(request):
    """Document types with their series, templates with their versions, required documents."""
    _advisor(request)
    last = dict(NumberSequence.objects.values_list("prefix", "last"))
    types = list(
        DocumentType.objects.select_related("default_template", "approver_group").annotate(
            n_documents=Count("documents")
        )
    )
    for each in types:
        each.next_number = f"{each.prefix}-{last.get(each.prefix, 0) + 1:04d}"
    return render(
        request,
        "documents/setup.html",
        {
            "types": types,
            "templates": DocumentTemplate.objects.annotate(n_versions=Count("versions")),
            "requirements": RequiredDocument.objects.select_related("doc_type", "unit"),
        },
    )


@login_required
def type_form(request, pk: int | None = None):
    _advisor(request)
    doc_type = get_object_or_404(DocumentType, pk=pk) if pk else None
    if request.method == "POST":
        form = forms.TypeForm(request.POST)
        if form.is_valid():
            try:
                services.save_type(request.user, TypeData(**form.cleaned_data), doc_type)
            except WorkflowError as exc:
                form.add_error(None, str(exc))
            except ValidationError as exc:  # from full_clean, e.g. a name or code in use
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Dokumenttypen er lagret."))
                return redirect("documents:setup")
    else:
        initial = {"revision_intervals": [12], "default_interval": 12, "is_active": True}
        if doc_type:
            initial = {
                f: getattr(doc_type, f)
                for f in (
                    "name",
                    "code",
                    "prefix",
                    "description",
                    "revision_intervals",
                    "default_interval",
                    "default_template",
                    "approver_group",
                    "is_active",
                )
            }
        form = forms.TypeForm(initial=initial)
    return render(
        request,
        "documents/setup_form.html",
        {
            "form": form,
            "heading": doc_type.name if doc_type else _("Ny dokumenttype"),
        },
    )


@login_required
def template_form(request, pk: int | None = None):
    """Create or change a template; a change is a new template version, documents written from
    an earlier version keep their text."""
    _advisor(request)
    template = get_object_or_404(DocumentTemplate, pk=pk) if pk else None
    if request.method == "POST":
        form = forms.TemplateForm(request.POST)
        if form.is_valid():
            try:
                services.save_template(
                    request.user, form.cleaned_data["name"], form.cleaned_data["body"], template
                )
            except WorkflowError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Malen er lagret."))
                return redirect("documents:setup")
    else:
        form = forms.TemplateForm(
            initial={"name": template.name, "body": template.body} if template else None
        )
    return render(
        request,
        "documents/setup_form.html",
        {
            "form": form,
            "heading": template.name if template else _("Ny mal"),
            "rich": True,
            "versions": template.versions.select_related("created_by") if template else None,
        },
    )


@login_required
def requirement_form(request, pk: int | None = None):
    _advisor(request)
    requirement = get_object_or_404(RequiredDocument, pk=pk) if pk else None
    if request.method == "POST":
        form = forms.RequirementForm(request.POST)
        if form.is_valid():
            try:
                services.save_requirement(
                    request.user, requirement=requirement, **form.cleaned_data
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Kravet er lagret."))
                return redirect("documents:setup")
    else:
        form = forms.RequirementForm(
            initial={
                "title": requirement.title,
                "description": requirement.description,
                "doc_type": requirement.doc_type,
                "unit_kind": requirement.unit_kind,
                "unit": requirement.unit,
            }
            if requirement
            else None
        )
    return render(
        request,
        "documents/setup_form.html",
        {"form": form, "heading": requirement.title if requirement else _("Nytt påkrevd dokument")},
    )


@login_required
def coverage(request):
    """Per unit: each required document — missing, present or past its revision date."""
    units = coverage_units(request.user).order_by("path")
    if not units.exists():
        raise PermissionDenied
    chosen = request.GET.get("enhet", "")
    unit = units.filter(pk=chosen).first() if chosen.isdigit() else units.first()
    if unit is None:
        raise Http404
    rows = cov.coverage(unit)
    forms_by_row = [
        (
            row,
            forms.LinkForm(
                documents=cov.linkable_documents(request.user, row.requirement, row.unit),
                initial={"document": row.document},
                prefix=f"r{row.requirement.pk}-u{row.unit.pk}",
            ),
        )
        for row in rows
    ]
    return render(
        request,
        "documents/coverage.html",
        {
            "unit": unit,
            "units": [(u.pk, forms.tree_label(u)) for u in units],
            "rows": forms_by_row,
            "summary": cov.summary(rows),
            "labels": cov.LABELS,
        },
    )


@login_required
@require_POST
def link(request, requirement: int, unit: int):
    requirement = get_object_or_404(RequiredDocument, pk=requirement)
    target = coverage_units(request.user).filter(pk=unit).first()
    if target is None or not requirement.applies_to(target):
        raise Http404
    form = forms.LinkForm(
        request.POST,
        documents=cov.linkable_documents(request.user, requirement, target),
        prefix=f"r{requirement.pk}-u{target.pk}",
    )
    if not form.is_valid():
        messages.error(request, _("Velg et dokument fra listen."))
    else:
        try:
            services.link_requirement(
                request.user, requirement, target, form.cleaned_data["document"]
            )
        except WorkflowError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Koblingen er lagret."))
    return redirect(f"{reverse('documents:coverage')}?enhet={target.pk}")

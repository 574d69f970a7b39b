"""Documents on paper: the tagged PDF of one version, and the documents in force on a date.

A version's PDF carries the header a reader of a printed copy needs (number, version, status,
approver, approval date, next revision) and on every page "Skrevet ut <date> — sjekk gjeldende
versjon på nett" with the document's address, so a copy in a ward binder says how old it is.
Old versions are marked as superseded (or withdrawn), drafts as not approved.

Rendering goes through ``qms.reports.pdf`` (the safe URL fetcher, PDF/UA-1 tagging). One version
is small (a few pages, well under a second): it renders in the request. The bundle of every
document in force on a date can be hundreds of documents: it is a background job on the ``pdf``
queue (``documents.tasks.render_in_force_bundle``).
"""

from __future__ import annotations

import io
import logging
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import slugify

from documents.models import DocumentVersion

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PrintedCopy:
    """One version as printed: the version, the address of its document and when it was printed."""

    version: DocumentVersion
    url: str

    @property
    def marking(self) -> str:
        """The status word a printed copy carries when it is not the version in force."""
        from django.utils.translation import gettext as _

        status = self.version.status
        if status == DocumentVersion.Status.SUPERSEDED:
            return _("Utgått – erstattet av en nyere versjon")
        if status == DocumentVersion.Status.ARCHIVED:
            return _("Utgått – dokumentet er trukket tilbake")
        if status in DocumentVersion.OPEN:
            return _("Utkast – ikke godkjent")
        return ""


def version_filename(version: DocumentVersion) -> str:
    return f"{version.document.number}-v{version.number}-{slugify(version.title)[:60]}.pdf"


def version_html(copy: PrintedCopy, printed_at: datetime | None = None) -> str:
    return render_to_string(
        "documents/pdf/version.html",
        {
            "copies": [copy],
            "printed_at": printed_at or timezone.localtime(),
            "title": f"{copy.version.document.number} {copy.version.title}",
        },
    )


def version_pdf(copy: PrintedCopy, printed_at: datetime | None = None) -> bytes:
    """The tagged PDF of one version (rendered at once: a handful of pages)."""
    from qms.reports import pdf

    content, _pages = pdf.render_pdf(version_html(copy, printed_at))
    return content


def bundle_html(copies: list[PrintedCopy], day: date, heading: str, printed_at=None) -> str:
    """One HTML document: a cover with the table of contents, then every version."""
    return render_to_string(
        "documents/pdf/version.html",
        {
            "copies": copies,
            "bundle_day": day,
            "heading": heading,
            "printed_at": printed_at or timezone.localtime(),
            "title": heading,
        },
    )


# --- The documents in force on a date -------------------------------------------------------


def in_force_for(user, day: date, unit=None, process=None):
    """The versions in force at the end of ``day`` that ``user`` may see, owned in ``unit``'s
    subtree and filed under ``process`` or its sub-processes: the page, the API and the bundle
    ask this (the rule itself is ``VersionQuerySet.in_force_on``)."""
    from documents.models import Process
    from qms import permissions
    from qms.querysets import subtree_q

    versions = permissions.restrict(user, DocumentVersion).in_force_on(day)
    if unit is not None:
        versions = versions.filter(subtree_q([unit.path], "document__unit__"))
    if process is not None:
        versions = versions.filter(
            document__process__in=Process.objects.filter(path__startswith=process.path)
        )
    return versions.select_related("document__unit", "approver").order_by("document__number")


BUNDLE_PREFIX = "private/documents/bundles/"  # served only through the download view
STALE_AFTER = timedelta(minutes=15)


def request_bundle(user, day: date, *, unit=None, process=None, fmt="pdf", site_url=""):
    """Ask for the bundle; a task on the ``pdf`` queue renders it after commit (in-process: in
    a background thread), so the request returns at once to a page that polls."""
    from documents import tasks
    from documents.models import InForceBundle
    from qms.dispatch import enqueue_on_commit_in_background

    with transaction.atomic():
        bundle = InForceBundle.objects.create(
            day=day,
            unit=unit,
            process=process,
            format=fmt,
            requested_by=user,
            language=translation.get_language() or settings.LANGUAGE_CODE,
            site_url=site_url[:200],
        )
        enqueue_on_commit_in_background(tasks.render_in_force_bundle_pdf, bundle.pk)
    return bundle


def _claim(bundle_id: int) -> bool:
    """PENDING → PROCESSING, or a PROCESSING row whose worker died (a task delivered twice
    renders once)."""
    from documents.models import InForceBundle

    now, status = timezone.now(), InForceBundle.Status
    rows = InForceBundle.objects.filter(pk=bundle_id)
    return bool(
        rows.filter(status=status.PENDING).update(status=status.PROCESSING, started_at=now)
        or rows.filter(status=status.PROCESSING, started_at__lt=now - STALE_AFTER).update(
            started_at=now
        )
    )


def _copies(bundle) -> list[PrintedCopy]:
    versions = in_force_for(bundle.requested_by, bundle.day, bundle.unit, bundle.process)
    base = bundle.site_url.rstrip("/")
    return [PrintedCopy(v, base + v.document.get_absolute_url()) for v in versions]


def _zip_of(bundle, copies: list[PrintedCopy], printed_at) -> bytes:
    from documents.models import InForceBundle

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for n, copy in enumerate(copies, start=1):
            archive.writestr(version_filename(copy.version), version_pdf(copy, printed_at))
            InForceBundle.objects.filter(pk=bundle.pk).update(
                progress=5 + 90 * n // max(len(copies), 1)
            )
    return out.getvalue()


def _bundle_heading(bundle) -> str:
    from django.utils.translation import gettext as _

    parts = [bundle.unit.name if bundle.unit else _("Hele kommunen")]
    if bundle.process:
        parts.append(bundle.process.name)
    return " – ".join(parts)


def render_bundle(bundle_id: int) -> str:
    """Render one bundle to its file; the row turns READY only with the whole file saved."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from documents.models import InForceBundle

    if not _claim(bundle_id):
        return "skipped"
    bundle = InForceBundle.objects.select_related("requested_by", "unit", "process").get(
        pk=bundle_id
    )
    rows = InForceBundle.objects.filter(pk=bundle_id)
    try:
        with translation.override(bundle.language):
            copies, printed_at = _copies(bundle), timezone.localtime()
            rows.update(progress=5, documents=len(copies))
            if bundle.format == InForceBundle.Format.ZIP:
                content = _zip_of(bundle, copies, printed_at)
            else:
                html = bundle_html(copies, bundle.day, _bundle_heading(bundle), printed_at)
                content = _render(html)
        name = default_storage.save(
            f"{BUNDLE_PREFIX}{bundle.uid}.{bundle.format}", ContentFile(content)
        )
    except Exception as exc:
        logger.exception("bundle of documents in force %s failed", bundle_id)
        rows.update(
            status=InForceBundle.Status.FAILED,
            last_error=f"{type(exc).__name__}: {exc}"[:2000],
            finished_at=timezone.now(),
        )
        return InForceBundle.Status.FAILED
    rows.update(
        status=InForceBundle.Status.READY,
        progress=100,
        file=name,
        size=len(content),
        last_error="",
        finished_at=timezone.now(),
    )
    return InForceBundle.Status.READY


def _render(html: str) -> bytes:
    from qms.reports import pdf

    content, _pages = pdf.render_pdf(html)
    return content


def open_bundle(bundle):
    """The file of a READY bundle, opened from the storage, or None."""
    from django.core.files.storage import default_storage

    if bundle.status != bundle.Status.READY or not bundle.file.startswith(BUNDLE_PREFIX):
        return None
    try:
        return default_storage.open(bundle.file, "rb")
    except (FileNotFoundError, OSError):
        return None

"""Celery entry points of the documents module (names fixed in qms/sweeps.py)."""

from __future__ import annotations

from celery import shared_task

from documents import reminders


@shared_task(name="documents.tasks.send_revision_reminders", ignore_result=True)
def send_revision_reminders() -> int:
    return reminders.send_revision_reminders()


@shared_task(name="documents.tasks.send_read_reminders", ignore_result=True)
def send_read_reminders() -> int:
    return reminders.send_read_reminders()


# The name matches ``*.render_*_pdf``, which settings route to the ``pdf`` queue.
@shared_task(name="documents.tasks.render_in_force_bundle_pdf", ignore_result=True)
def render_in_force_bundle_pdf(bundle_id: int) -> str:
    from documents import printing

    return printing.render_bundle(bundle_id)

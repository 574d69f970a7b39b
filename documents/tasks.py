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

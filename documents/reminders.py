"""The documents module's sweeps (docs/design.md §4, §10): revision reminders and read reminders.

Each sweep derives what is due from the database and claims every reminder in the ledger
(object, kind, step) inside the transaction that records its notification, so a sweep that
runs twice sends nothing twice, and one that has not run for days catches up once. The
candidate queries exclude what the ledger already holds, so a sweep's cost grows with what is
due, not with the size of the tables.
"""

from __future__ import annotations

from datetime import date, datetime, time

from dateutil.relativedelta import relativedelta
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from documents.models import Document, DocumentVersion, ReadReceipt, ReadRound
from qms import reminders
from qms.models import Reminder
from qms.notifications import Message
from qms.organisation import acting_leaders, routed_work

REVISION_KIND = "documents.revision"
NOTICE, DUE = 1, 2  # due soon; overdue (documents/querysets.py revision_q decides both)
READ_KIND = "documents.read_overdue"


def _unclaimed(model, kind: str, step: int, field: str = "pk"):
    content_type = ContentType.objects.get_for_model(model)
    return ~Exists(
        Reminder.objects.filter(
            content_type=content_type, object_id=OuterRef(field), kind=kind, step=step
        )
    )


def send_revision_reminders(today: date | None = None) -> int:
    """When a document becomes due soon (one month before its revision date) the revision
    responsible is e-mailed; when it becomes overdue (the day after the date) the owning unit's
    leader is told (and the responsible again). Once per version and step; the two states are
    the querysets' (``revision_due_soon`` / ``revision_overdue``), as on every page. In batches
    of ``SWEEP_BATCH_SIZE`` documents, one transaction each (``qms.reminders.send_due``)."""
    today = today or timezone.localdate()
    sent = 0
    published = Document.objects.filter(current_version__isnull=False).select_related(
        "current_version", "unit", "revision_responsible", "created_by"
    )
    notice = published.revision_due_soon(today).filter(
        _unclaimed(DocumentVersion, REVISION_KIND, NOTICE, "current_version_id")
    )
    for batch in reminders.batches(notice):
        planned = []
        for document in batch:
            recipient = document.revision_responsible or document.created_by
            if recipient is None:
                continue
            message = Message(
                recipient,
                kind="documents.revision_notice",
                subject=_("Revisjon om en måned: %(doc)s") % {"doc": document},
                body=_(
                    "%(doc)s skal revideres innen %(date)s. Start revisjonen i kvalitetssystemet."
                )
                % {"doc": document, "date": document.next_revision.strftime("%d.%m.%Y")},
                url=document.get_absolute_url(),
            )
            planned.append(
                reminders.Due((document.current_version_id, REVISION_KIND, NOTICE), [message])
            )
        with transaction.atomic():
            sent += len(reminders.send_due(DocumentVersion, planned))
    due = published.revision_overdue(today).filter(
        _unclaimed(DocumentVersion, REVISION_KIND, DUE, "current_version_id")
    )
    leader_of = acting_leaders(today)
    for batch in reminders.batches(due):
        planned = []
        for document in batch:
            leader = leader_of(document.unit)
            subject = _("Revisjonsdatoen er nådd: %(doc)s") % {"doc": document}
            url = document.get_absolute_url()
            body = _("%(doc)s skulle vært revidert %(date)s og er nå forfalt.") % {
                "doc": document,
                "date": document.next_revision.strftime("%d.%m.%Y"),
            }
            item = reminders.Due((document.current_version_id, REVISION_KIND, DUE))
            if work := routed_work(leader, subject, url):
                item.routed.append(work)
            seen = set()
            for user in [leader.user if leader else None, document.revision_responsible]:
                if user is None or user.pk in seen:
                    continue
                seen.add(user.pk)
                item.messages.append(
                    Message(
                        user, kind="documents.revision_due", subject=subject, body=body, url=url
                    )
                )
            planned.append(item)
        with transaction.atomic():
            sent += len(reminders.send_due(DocumentVersion, planned))
    return sent


def start_periodic_rounds(now: datetime | None = None) -> int:
    """Documents that require periodic re-reading get a new round when the interval has run."""
    from documents import services

    now = now or timezone.now()
    started = 0
    candidates = Document.objects.filter(
        status=Document.Status.PUBLISHED,
        reread_months__isnull=False,
        current_round__isnull=False,
        current_version__isnull=False,
    ).select_related("current_round")
    for document in candidates.iterator(chunk_size=500):
        if document.current_round.started_at + relativedelta(months=document.reread_months) > now:
            continue
        with transaction.atomic():
            locked = Document.objects.select_for_update().get(pk=document.pk)
            if locked.current_round_id != document.current_round_id:
                continue  # another sweep or a publication started a round meanwhile
            services.start_read_round(
                locked, locked.current_version, ReadRound.Reason.PERIODIC, now=now
            )
            started += 1
    return started


def send_read_reminders(today: date | None = None) -> int:
    """A reminder to each reader whose deadline has passed without a confirmation, once per
    read-list line. In batches of ``SWEEP_BATCH_SIZE`` lines, one transaction each
    (``qms.reminders.send_due``)."""
    today = today or timezone.localdate()
    start_periodic_rounds(timezone.make_aware(datetime.combine(today, time(12))))
    sent = 0
    overdue = (
        ReadReceipt.objects.open()
        .current()
        .filter(deadline__lt=today, document__status=Document.Status.PUBLISHED)
        .filter(_unclaimed(ReadReceipt, READ_KIND, 0))
        .select_related("document", "user")
    )
    for batch in reminders.batches(overdue):
        planned = [
            reminders.Due(
                (receipt.pk, READ_KIND, 0),
                [
                    Message(
                        receipt.user,
                        kind="documents.read_overdue",
                        subject=_("Påminnelse: les %(doc)s") % {"doc": receipt.document},
                        body=_("Fristen for å bekrefte at du har lest %(doc)s var %(date)s.")
                        % {
                            "doc": receipt.document,
                            "date": receipt.deadline.strftime("%d.%m.%Y"),
                        },
                        url=receipt.document.get_absolute_url(),
                    )
                ],
            )
            for receipt in batch
        ]
        with transaction.atomic():
            sent += len(reminders.send_due(ReadReceipt, planned))
    return sent

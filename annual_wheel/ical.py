"""The iCalendar feed of a unit's wheel, made with the icalendar library (RFC 5545).

Each occurrence is an all-day event with a stable UID, so a calendar app updates it in place
when the schedule changes and drops it when it is removed.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

PRODID = "-//qms//Arshjul//NO"


def render(unit, occurrences, base_url: str) -> bytes:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", _("Årshjul – %(unit)s") % {"unit": unit.name})
    cal.add("x-wr-timezone", "Europe/Oslo")
    stamp = timezone.now()
    base = base_url.rstrip("/")
    for occ in occurrences:
        activity = occ.activity
        event = Event()
        event.add("uid", f"arshjul-occurrence-{occ.pk}@qms")
        event.add("dtstamp", stamp)
        event.add("dtstart", occ.due_date)
        event.add("dtend", occ.due_date + timedelta(days=1))
        summary = activity.title
        if occ.status == "done":
            summary = _("%(title)s (gjennomført)") % {"title": activity.title}
        elif occ.status == "not_done":
            summary = _("%(title)s (ikke gjennomført)") % {"title": activity.title}
        event.add("summary", summary)
        lines = [activity.description] if activity.description else []
        lines.append(_("Eier: %(owner)s") % {"owner": activity.owner_name})
        if occ.note:
            lines.append(_("Merknad: %(note)s") % {"note": occ.note})
        event.add("description", "\n\n".join(lines))
        event.add("categories", [activity.category.name])
        event.add("url", base + occ.get_absolute_url())
        event.add("transp", "TRANSPARENT")
        event.add("status", "CANCELLED" if occ.status == "not_done" else "CONFIRMED")
        cal.add_component(event)
    return cal.to_ical()

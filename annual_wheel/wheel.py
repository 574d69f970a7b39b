"""Geometry of the wheel: 12 month segments in a circle, each occurrence a dot in its month.

January starts at twelve o'clock and the year runs clockwise, as on the paper wheels the
handbooks show. The SVG is drawn by the template from these numbers; the same occurrences are
listed month by month beside it as the text alternative.
"""

from __future__ import annotations

import calendar
import math
from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext_lazy as _

SIZE = 440
CENTRE = SIZE / 2
OUTER = 210
INNER = 80
LABEL_RADIUS = 96
DOT_RADIUS = 6
DOT_STEP = 14  # radial distance between stacked dots
FIRST_DOT = OUTER - 12
MAX_STACK = 8  # dots per slot before "+N"
SLOTS_PER_MONTH = 3

MONTHS = [
    _("januar"),
    _("februar"),
    _("mars"),
    _("april"),
    _("mai"),
    _("juni"),
    _("juli"),
    _("august"),
    _("september"),
    _("oktober"),
    _("november"),
    _("desember"),
]
MONTH_ABBR = [
    _("jan"),
    _("feb"),
    _("mar"),
    _("apr"),
    _("mai"),
    _("jun"),
    _("jul"),
    _("aug"),
    _("sep"),
    _("okt"),
    _("nov"),
    _("des"),
]


def point(angle_deg: float, radius: float) -> tuple[float, float]:
    """The point at ``angle_deg`` clockwise from twelve o'clock, ``radius`` from the centre."""
    rad = math.radians(angle_deg)
    return round(CENTRE + radius * math.sin(rad), 2), round(CENTRE - radius * math.cos(rad), 2)


def angle_of(day: date) -> float:
    """The angle of a date: its month's 30° segment, and its place inside the month."""
    days = calendar.monthrange(day.year, day.month)[1]
    return (day.month - 1) * 30 + 30 * (day.day - 0.5) / days


def month_of_angle(angle: float) -> int:
    return int(angle // 30) + 1


@dataclass
class Segment:
    month: int
    name: str
    abbr: str
    path: str
    label_x: float
    label_y: float
    shaded: bool


@dataclass
class Dot:
    x: float
    y: float
    colour: str
    title: str
    month: int
    done: bool
    overdue: bool


@dataclass
class More:
    x: float
    y: float
    count: int


@dataclass
class Wheel:
    size: int = SIZE
    centre: float = CENTRE
    outer: int = OUTER
    inner: int = INNER
    segments: list[Segment] = field(default_factory=list)
    dots: list[Dot] = field(default_factory=list)
    more: list[More] = field(default_factory=list)
    today: tuple[float, float, float, float] | None = None


def _segment_path(month: int) -> str:
    start, end = month * 30, (month + 1) * 30
    ox1, oy1 = point(start, OUTER)
    ox2, oy2 = point(end, OUTER)
    ix2, iy2 = point(end, INNER)
    ix1, iy1 = point(start, INNER)
    return (
        f"M {ox1} {oy1} A {OUTER} {OUTER} 0 0 1 {ox2} {oy2} "
        f"L {ix2} {iy2} A {INNER} {INNER} 0 0 0 {ix1} {iy1} Z"
    )


def layout(occurrences, year: int, today: date | None = None) -> Wheel:
    """Place each occurrence (with ``.due_date``, ``.activity.category.colour``) on the wheel.

    Dots that fall in the same third of a month are stacked inwards; past ``MAX_STACK`` the rest
    is counted in a "+N" label (the list beside the wheel always has them all).
    """
    wheel = Wheel()
    for m in range(12):
        lx, ly = point(m * 30 + 15, LABEL_RADIUS)
        wheel.segments.append(
            Segment(
                month=m + 1,
                name=str(MONTHS[m]),
                abbr=str(MONTH_ABBR[m]),
                path=_segment_path(m),
                label_x=lx,
                label_y=ly,
                shaded=m % 2 == 1,
            )
        )
    stacks: dict[tuple[int, int], int] = {}
    overflow: dict[tuple[int, int], int] = {}
    for occ in occurrences:
        if occ.due_date.year != year:
            continue
        days = calendar.monthrange(year, occ.due_date.month)[1]
        slot = min(SLOTS_PER_MONTH - 1, (occ.due_date.day - 1) * SLOTS_PER_MONTH // days)
        key = (occ.due_date.month, slot)
        depth = stacks.get(key, 0)
        if depth >= MAX_STACK:
            overflow[key] = overflow.get(key, 0) + 1
            continue
        stacks[key] = depth + 1
        angle = (occ.due_date.month - 1) * 30 + 30 * (slot + 0.5) / SLOTS_PER_MONTH
        x, y = point(angle, FIRST_DOT - depth * DOT_STEP)
        activity = occ.activity
        wheel.dots.append(
            Dot(
                x=x,
                y=y,
                colour=activity.category.colour,
                title=f"{occ.due_date:%d.%m.} {activity.title}",
                month=occ.due_date.month,
                done=occ.status == "done",
                overdue=bool(today and occ.status == "planned" and occ.due_date < today),
            )
        )
    for (month, slot), count in overflow.items():
        angle = (month - 1) * 30 + 30 * (slot + 0.5) / SLOTS_PER_MONTH
        x, y = point(angle, FIRST_DOT - MAX_STACK * DOT_STEP)
        wheel.more.append(More(x=x, y=y, count=count))
    if today and today.year == year:
        a = angle_of(today)
        x1, y1 = point(a, INNER - 4)
        x2, y2 = point(a, OUTER + 6)
        wheel.today = (x1, y1, x2, y2)
    return wheel

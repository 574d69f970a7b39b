"""Charts as SVG, drawn on the server, the same for the page and the PDF.

Each chart is an ``<svg role="img">`` with an accessible name and no script, style sheet or
``style=`` attribute (the page's Content-Security-Policy allows neither inline): every colour,
dash and pattern is a presentation attribute, so the browser and WeasyPrint draw the same
picture. The data table beside each chart is its accessible equivalent. A suppressed count
("< 5") is drawn as no bar and no point at all, never as a value.

Colours are Designsystemet's (``@digdir/designsystemet-css`` 1.22, light scheme): that version
has no data-visualisation tokens of its own, so the series take the theme's base colours in an
order that keeps neighbours apart, each with at least 3:1 contrast on white (WCAG 1.4.11). A
series is never told by colour alone: bars carry a pattern (solid, stripes, dots, cross-hatch,
…) and lines a dash style and a marker shape, repeated in the legend.

Layout is computed, not left to chance: a text's width is estimated from its font size and
length (``text_width``), and the margins, legend rows and x labels are laid out so that every
label lies inside the view box (tests/reports/test_chart_layout.py checks every chart). Count
axes get whole-number ticks; no bar runs past its axis.
"""

from __future__ import annotations

import base64
import math
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from qms.reports.tables import is_suppressed

# Designsystemet 1.22 light scheme: accent base, warning border, brand1 base, brand2 base,
# danger base, neutral border (--ds-color-…-default).
PALETTE = ("#0062ba", "#a56d13", "#0d7a5f", "#5b3fa0", "#c01b1b", "#77797b")
INK = "#292c30"  # --ds-color-neutral-text-default
SUBTLE = "#77797b"  # --ds-color-neutral-border-default: axes
GUIDE = "#e0e1e2"  # a light guide line
DANGER = "#c01b1b"  # --ds-color-danger-base-default: a control chart's signals
DASHES = ("", "6 3", "2 3", "8 3 2 3", "4 4", "1 2")
MARKERS = ("circle", "square", "triangle", "diamond")
PATTERNS = ("solid", "stripes", "dots", "cross", "horizontal", "vertical")
FONT = "DejaVu Sans, Arial, sans-serif"
FONT_SIZE = 12
CHAR_EM = 0.64  # DejaVu Sans: a digit is 0.636 em; most letters are narrower
WIDTH, HEIGHT = 720, 340
MARGIN = 10
# A bar per category is read up to about this many categories; beyond it (a row per unit of
# the whole municipality: 200) the bars are a few pixels each on the page and under a
# millimetre in the PDF, and the table beside it is the figure (it also took a tenth of the
# quality report's rendering time).
MAX_CATEGORIES = 40


def readable(labels: Sequence) -> bool:
    """Whether a chart of one bar (or group of bars) per label can be read at all."""
    return 0 < len(labels) <= MAX_CATEGORIES


def text_width(text: str, size: float = FONT_SIZE) -> float:
    """A generous estimate of a text's width in DejaVu Sans (no font metrics on the server)."""
    return CHAR_EM * size * len(text)


def _n(value: float) -> str:
    """A number for an attribute: Python formatting, never the locale (bokmål writes 2,5)."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


@dataclass(frozen=True)
class Chart:
    title: str
    svg: SafeString
    css: SafeString = mark_safe("")  # noqa: S308 - kept for old snapshots; charts need no CSS
    standalone: str = ""  # the SVG for the PDF's image, when it differs from ``svg``

    def __html__(self) -> str:
        return self.svg

    @property
    def image(self) -> SafeString:
        """The chart as an ``<img>`` of a ``data:`` SVG, for the PDF: WeasyPrint parses it on
        its own instead of running every chart's elements through the whole report's cascade —
        a third of the rendering time with inline SVG."""
        data = base64.b64encode((self.standalone or self.svg).encode()).decode()
        return format_html('<img alt="{}" src="data:image/svg+xml;base64,{}">', self.title, data)


def _values(values: Sequence) -> list[float | None]:
    return [None if (v is None or v == "" or is_suppressed(v)) else float(v) for v in values]


def nice_ticks(top: float, *, integer: bool, count: int = 5) -> list[float]:
    """Ticks from 0 to at least ``top`` in steps of 1, 2, 2.5 or 5 × 10ⁿ (whole numbers only on
    a count axis, where a step below 1 makes no sense)."""
    top = max(top, 1.0 if integer else 0.0)
    if top <= 0:
        return [0.0, 1.0]
    raw = top / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    if integer:
        step = max(1, math.ceil(step))
        if step > 2 and step % 5 and step % 2:
            step += 1
    n = math.ceil(top / step - 1e-9)
    return [round(i * step, 10) for i in range(n + 1)]


def tick_label(value: float) -> str:
    """An axis label for reading: through the locale (2,5 in bokmål)."""
    if float(value).is_integer():
        return number_format(int(value), 0)
    return number_format(value, 2 if round(value, 1) != value else 1)


class _Svg:
    """A chart being drawn: parts, unique ids and text helpers."""

    def __init__(self, title: str, width: float, height: float) -> None:
        self.title, self.width, self.height = title, width, height
        self.uid = "c" + uuid.uuid4().hex[:10]  # several charts share one page and one PDF
        self.defs: list[str] = []
        self.parts: list[str] = []

    def text(self, x, y, text, *, anchor="start", size=FONT_SIZE, cls="", fill=INK, rotate=None):
        extra = f' class="{cls}"' if cls else ""
        if rotate is not None:
            extra += f' transform="rotate({_n(rotate)} {_n(x)} {_n(y)})"'
        self.parts.append(
            f'<text x="{_n(x)}" y="{_n(y)}" text-anchor="{anchor}" font-size="{_n(size)}" '
            f'fill="{fill}"{extra}>{escape(text)}</text>'
        )

    def pattern_fill(self, i: int) -> str:
        """The fill of bar series ``i``: its colour, with series ≥ 1 patterned."""
        colour = PALETTE[i % len(PALETTE)]
        kind = PATTERNS[i % len(PATTERNS)]
        if kind == "solid":
            return colour
        pid = f"{self.uid}-p{i}"
        shapes = {
            "stripes": '<path d="M-1 1 L1 -1 M0 6 L6 0 M5 7 L7 5" stroke="#fff" stroke-width="1.6"/>',
            "dots": '<circle cx="3" cy="3" r="1.3" fill="#fff"/>',
            "cross": '<path d="M0 3 H6 M3 0 V6" stroke="#fff" stroke-width="1.2"/>',
            "horizontal": '<path d="M0 3 H6" stroke="#fff" stroke-width="1.6"/>',
            "vertical": '<path d="M3 0 V6" stroke="#fff" stroke-width="1.6"/>',
        }[kind]
        self.defs.append(
            f'<pattern id="{pid}" width="6" height="6" patternUnits="userSpaceOnUse">'
            f'<rect width="6" height="6" fill="{colour}"/>{shapes}</pattern>'
        )
        return f"url(#{pid})"

    def marker(self, kind: str, x: float, y: float, colour: str, size: float = 4) -> str:
        if kind == "square":
            return (
                f'<rect x="{_n(x - size)}" y="{_n(y - size)}" width="{_n(2 * size)}" '
                f'height="{_n(2 * size)}" fill="{colour}"/>'
            )
        if kind == "triangle":
            pts = f"{_n(x)} {_n(y - size - 1)} {_n(x + size + 1)} {_n(y + size)} {_n(x - size - 1)} {_n(y + size)}"
            return f'<polygon points="{pts}" fill="{colour}"/>'
        if kind == "diamond":
            s = size + 1
            pts = f"{_n(x)} {_n(y - s)} {_n(x + s)} {_n(y)} {_n(x)} {_n(y + s)} {_n(x - s)} {_n(y)}"
            return f'<polygon points="{pts}" fill="{colour}"/>'
        return f'<circle cx="{_n(x)}" cy="{_n(y)}" r="{_n(size)}" fill="{colour}"/>'

    def render(self) -> Chart:
        defs = f"<defs>{''.join(self.defs)}</defs>" if self.defs else ""
        svg = (
            f'<svg role="img" aria-label="{escape(self.title)}" focusable="false" '
            f'xmlns="http://www.w3.org/2000/svg" class="qms-svg-chart" '
            f'viewBox="0 0 {_n(self.width)} {_n(self.height)}" width="{_n(self.width)}" '
            f'height="{_n(self.height)}" preserveAspectRatio="xMidYMid meet" '
            f'font-family="{FONT}">{defs}'
            f'<rect class="background" width="{_n(self.width)}" height="{_n(self.height)}" '
            f'fill="#ffffff"/>{"".join(self.parts)}</svg>'
        )
        return Chart(title=self.title, svg=mark_safe(svg))  # noqa: S308 - numbers, escaped text


@dataclass
class _Legend:
    """Legend entries laid out in rows under the plot, wrapping when a row is full."""

    entries: list[tuple[str, Callable[[_Svg, float, float], None]]]
    width: float

    ROW = 20
    SWATCH = 22

    def rows(self) -> list[list[tuple[float, str, Callable]]]:
        rows, row, x = [], [], 0.0
        usable = self.width - 2 * MARGIN
        for label, draw in self.entries:
            w = self.SWATCH + 6 + text_width(label)
            if row and x + w > usable:
                rows.append(row)
                row, x = [], 0.0
            row.append((x, label, draw))
            x += w + 18
        if row:
            rows.append(row)
        return rows

    @property
    def height(self) -> float:
        return len(self.rows()) * self.ROW + 6 if self.entries else 0

    def draw(self, svg: _Svg, top: float) -> None:
        for r, row in enumerate(self.rows()):
            y = top + 6 + r * self.ROW + self.ROW / 2
            for x, label, draw in row:
                draw(svg, MARGIN + x, y)
                svg.text(MARGIN + x + self.SWATCH + 6, y + 4, label, cls="legend")


def _bar_swatch(fill: str):
    def draw(svg: _Svg, x: float, y: float) -> None:
        svg.parts.append(
            f'<rect x="{_n(x)}" y="{_n(y - 7)}" width="{_n(_Legend.SWATCH)}" height="14" '
            f'fill="{fill}" stroke="{INK}" stroke-width="0.5"/>'
        )

    return draw


def _line_swatch(colour: str, dash: str, marker: str | None, width: float = 2.5):
    def draw(svg: _Svg, x: float, y: float) -> None:
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        svg.parts.append(
            f'<line x1="{_n(x)}" y1="{_n(y)}" x2="{_n(x + _Legend.SWATCH)}" y2="{_n(y)}" '
            f'stroke="{colour}" stroke-width="{_n(width)}"{dash_attr}/>'
        )
        if marker:
            svg.parts.append(svg.marker(marker, x + _Legend.SWATCH / 2, y, colour))

    return draw


@dataclass
class _XLabels:
    """Category labels under a vertical plot: level, wrapped onto two lines, thinned (a time
    axis) or turned 45°, whichever fits the slot."""

    labels: list[str]
    slot: float
    thin: bool  # a time axis: every k-th label (the last always) rather than turned

    def __post_init__(self) -> None:
        widest = max((text_width(label) for label in self.labels), default=0)
        self.lines = [[label] for label in self.labels]
        self.every, self.angle = 1, 0
        if widest <= self.slot - 4:
            return
        wrapped = [_wrap(label) for label in self.labels]
        if all(text_width(line) <= self.slot - 4 for lines in wrapped for line in lines):
            self.lines = wrapped
            return
        if self.thin:
            self.every = max(1, math.ceil((widest + 10) / self.slot))
            return
        self.angle = -45

    @property
    def height(self) -> float:
        if self.angle:
            widest = max(text_width(label) for label in self.labels)
            return 8 + widest * math.sin(math.radians(45)) + FONT_SIZE
        return 6 + FONT_SIZE * 1.2 * max(len(lines) for lines in self.lines)

    def reach_left(self) -> float:
        """How far the first label reaches left of its tick."""
        if not self.labels:
            return 0
        if self.angle:
            return text_width(self.labels[0]) * math.cos(math.radians(45))
        return max(text_width(line) for line in self.lines[0]) / 2

    def reach_right(self) -> float:
        """How far the last label reaches right of its tick (a turned one hangs left)."""
        if not self.labels or self.angle:
            return 8
        return max(text_width(line) for line in self.lines[-1]) / 2

    def shown(self, i: int) -> bool:
        return (len(self.labels) - 1 - i) % self.every == 0

    def draw(self, svg: _Svg, centres: list[float], top: float) -> None:
        for i, (x, lines) in enumerate(zip(centres, self.lines, strict=True)):
            if not self.shown(i):
                continue
            if self.angle:
                svg.text(x + 4, top + 10, self.labels[i], anchor="end", rotate=self.angle, cls="x")
                continue
            for k, line in enumerate(lines):
                svg.text(
                    x, top + 4 + FONT_SIZE + k * FONT_SIZE * 1.2, line, anchor="middle", cls="x"
                )


def _wrap(label: str) -> list[str]:
    """Two lines split at the space nearest the middle (one word stays one line)."""
    words = label.split()
    if len(words) < 2:
        return [label]
    best = min(range(1, len(words)), key=lambda i: abs(len(" ".join(words[:i])) - len(label) / 2))
    return [" ".join(words[:best]), " ".join(words[best:])]


@dataclass
class _Plot:
    """The plot area of a vertical chart and its value axes."""

    left: float
    right: float
    top: float
    bottom: float
    ticks: list[float]

    def y(self, value: float, ticks: list[float] | None = None) -> float:
        ticks = ticks or self.ticks
        return self.bottom - (self.bottom - self.top) * value / ticks[-1]


def _y_axis(svg: _Svg, plot: _Plot, *, integer: bool, ticks=None, right=False) -> None:
    ticks = ticks or plot.ticks
    kind = "count" if integer else "value"
    side = "right" if right else "left"
    svg.parts.append(f'<g class="axis-y" data-axis="{kind}" data-side="{side}">')
    for t in ticks:
        y = plot.y(t, ticks)
        if not right:
            svg.parts.append(
                f'<line x1="{_n(plot.left)}" y1="{_n(y)}" x2="{_n(plot.right)}" y2="{_n(y)}" '
                f'stroke="{GUIDE if t else SUBTLE}" stroke-width="1"/>'
            )
        x = plot.right + 6 if right else plot.left - 6
        svg.text(x, y + 4, tick_label(t), anchor="start" if right else "end", cls="tick")
    svg.parts.append("</g>")


def _frame(
    title: str,
    labels: list[str],
    legend: _Legend,
    top_value: float,
    *,
    integer: bool,
    thin: bool,
    height: float = HEIGHT,
    right_ticks: list[float] | None = None,
) -> tuple[_Svg, _Plot, _XLabels, list[float]]:
    """The canvas, plot area, x labels and category centres of a vertical chart."""
    svg = _Svg(title, WIDTH, height)
    ticks = nice_ticks(top_value, integer=integer)
    left = MARGIN + max(text_width(tick_label(t)) for t in ticks) + 8
    right = WIDTH - MARGIN
    if right_ticks:
        right -= max(text_width(tick_label(t)) for t in right_ticks) + 8
    n = max(1, len(labels))
    x_labels = _XLabels(list(labels), (right - left) / n, thin)
    # The first and last labels must not stick out of the view box: widen the margins, lay the
    # labels out again in the narrower slots, and check once more.
    for _ in range(3):
        slot = (right - left) / n
        left = max(left, MARGIN + x_labels.reach_left() - slot / 2 + 2)
        right = min(right, WIDTH - MARGIN - x_labels.reach_right() + slot / 2 - 2)
        x_labels = _XLabels(list(labels), (right - left) / n, thin)
    bottom = height - MARGIN - legend.height - x_labels.height
    plot = _Plot(left, right, MARGIN + 8, bottom, ticks)
    slot = (right - left) / n
    centres = [left + slot * (i + 0.5) for i in range(len(labels))]
    return svg, plot, x_labels, centres


def _finish_frame(svg: _Svg, plot: _Plot, x_labels: _XLabels, centres, legend: _Legend) -> Chart:
    svg.parts.append(
        f'<line x1="{_n(plot.left)}" y1="{_n(plot.bottom)}" x2="{_n(plot.right)}" '
        f'y2="{_n(plot.bottom)}" stroke="{SUBTLE}" stroke-width="1"/>'
    )
    x_labels.draw(svg, centres, plot.bottom)
    legend.draw(svg, plot.bottom + x_labels.height)
    return svg.render()


def _bar_fills_and_legend(probe: _Svg, series) -> tuple[list, _Legend]:
    """One pattern fill per series, and the legend that repeats them (none for a single series)."""
    fills = [probe.pattern_fill(i) for i in range(len(series))]
    entries = [(name, _bar_swatch(fill)) for (name, _), fill in zip(series, fills, strict=True)]
    return fills, _Legend(entries if len(series) > 1 else [], WIDTH)


def _horizontal_bar(title, labels, series, *, integer: bool) -> Chart:
    groups = max(1, len(series))
    bar_h = 14 if groups > 1 else 18
    row = bar_h * groups + 10
    probe = _Svg(title, WIDTH, 0)
    fills, legend = _bar_fills_and_legend(probe, series)
    columns = [_values(vs) for _, vs in series]  # once: a row per unit makes hundreds of rows
    top_value = max((v or 0 for column in columns for v in column), default=0)
    ticks = nice_ticks(top_value, integer=integer)
    label_room = min(max((text_width(label) for label in labels), default=0), WIDTH * 0.4)
    left = MARGIN + label_room + 8
    right = WIDTH - MARGIN - text_width(tick_label(ticks[-1])) / 2
    height = MARGIN + 8 + row * len(labels) + 6 + FONT_SIZE + 6 + legend.height + MARGIN
    svg = _Svg(title, WIDTH, max(height, 120))
    svg.defs = probe.defs
    top = MARGIN + 8
    bottom = top + row * len(labels)
    scale = (right - left) / ticks[-1]
    svg.parts.append('<g class="axis-x" data-axis="{}">'.format("count" if integer else "value"))
    for t in ticks:
        x = left + t * scale
        svg.parts.append(
            f'<line x1="{_n(x)}" y1="{_n(top)}" x2="{_n(x)}" y2="{_n(bottom)}" '
            f'stroke="{GUIDE if t else SUBTLE}" stroke-width="1"/>'
        )
        svg.text(x, bottom + 4 + FONT_SIZE, tick_label(t), anchor="middle", cls="tick")
    svg.parts.append("</g>")
    max_chars = max(1, int(label_room / (CHAR_EM * FONT_SIZE)))
    for i, label in enumerate(labels):
        y0 = top + row * i + 5
        shown = label if len(label) <= max_chars else label[: max_chars - 1] + "…"
        svg.text(left - 6, y0 + bar_h * groups / 2 + 4, shown, anchor="end", cls="y")
        for s, column in enumerate(columns):
            value = column[i] if i < len(column) else None
            if value is None:
                continue
            svg.parts.append(
                f'<rect class="bar" x="{_n(left)}" y="{_n(y0 + s * bar_h)}" '
                f'width="{_n(max(0.0, value) * scale)}" height="{_n(bar_h - 2)}" '
                f'fill="{fills[s]}"/>'
            )
    legend.draw(svg, bottom + 4 + FONT_SIZE + 4)
    return svg.render()


def bar(
    title: str,
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence]],
    *,
    horizontal: bool = False,
    stacked: bool = False,
    integer: bool | None = None,
) -> Chart:
    """Bars per category, one bar (or one stacked segment) per series. ``integer``: a count
    axis (whole-number ticks); by default when every value is a whole number."""
    labels = [str(label) for label in labels]
    series = [(str(name), list(values)) for name, values in series]
    if integer is None:
        integer = all(
            float(v).is_integer() for _, vs in series for v in _values(vs) if v is not None
        )
    if horizontal:
        return _horizontal_bar(title, labels, series, integer=integer)
    probe = _Svg(title, WIDTH, HEIGHT)
    fills, legend = _bar_fills_and_legend(probe, series)
    columns = [_values(vs) for _, vs in series]
    if stacked:
        top_value = max((sum(c[i] or 0 for c in columns) for i in range(len(labels))), default=0)
    else:
        top_value = max((v or 0 for c in columns for v in c), default=0)
    svg, plot, x_labels, centres = _frame(
        title, labels, legend, top_value, integer=integer, thin=True
    )
    svg.defs = probe.defs
    _y_axis(svg, plot, integer=integer)
    slot = (plot.right - plot.left) / max(1, len(labels))
    width = slot * 0.7 if stacked or len(series) == 1 else slot * 0.8 / len(series)
    for i, x in enumerate(centres):
        base = 0.0
        for s, column in enumerate(columns):
            value = column[i] if i < len(column) else None
            if value is None:
                continue
            value = max(0.0, value)
            if stacked:
                x0 = x - width / 2
                y_top, y_bottom = plot.y(base + value), plot.y(base)
                base += value
            else:
                x0 = x - width * len(columns) / 2 + s * width
                y_top, y_bottom = plot.y(value), plot.bottom
            svg.parts.append(
                f'<rect class="bar" x="{_n(x0)}" y="{_n(y_top)}" width="{_n(width - 1)}" '
                f'height="{_n(max(0.0, y_bottom - y_top))}" fill="{fills[s]}"/>'
            )
    return _finish_frame(svg, plot, x_labels, centres, legend)


def _polyline(svg: _Svg, points, colour: str, dash: str, width: float = 2.5) -> None:
    """A line through the points, broken where a value is missing."""
    run: list[tuple[float, float]] = []
    dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
    for point in [*points, None]:
        if point is not None:
            run.append(point)
            continue
        if len(run) > 1:
            pts = " ".join(f"{_n(x)} {_n(y)}" for x, y in run)
            svg.parts.append(
                f'<polyline class="line" points="{pts}" fill="none" stroke="{colour}" '
                f'stroke-width="{_n(width)}" stroke-linejoin="round"{dash_attr}/>'
            )
        run = []


def line(
    title: str,
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence]],
    *,
    integer: bool | None = None,
) -> Chart:
    """Lines over a time axis, each series its own colour, dash style and marker."""
    labels = [str(label) for label in labels]
    series = [(str(name), _values(values)) for name, values in series]
    if integer is None:
        integer = all(float(v).is_integer() for _, vs in series for v in vs if v is not None)
    styles = [
        (PALETTE[i % len(PALETTE)], DASHES[i % len(DASHES)], MARKERS[i % len(MARKERS)])
        for i in range(len(series))
    ]
    legend = _Legend(
        [(name, _line_swatch(*style)) for (name, _), style in zip(series, styles, strict=True)]
        if len(series) > 1
        else [],
        WIDTH,
    )
    top_value = max((v or 0 for _, vs in series for v in vs), default=0)
    svg, plot, x_labels, centres = _frame(
        title, labels, legend, top_value, integer=integer, thin=True
    )
    _y_axis(svg, plot, integer=integer)
    for (_, values), (colour, dash, marker) in zip(series, styles, strict=True):
        points = [
            None if v is None else (x, plot.y(v)) for x, v in zip(centres, values, strict=False)
        ]
        _polyline(svg, points, colour, dash)
        for point in points:
            if point is not None:
                svg.parts.append(svg.marker(marker, *point, colour))
    return _finish_frame(svg, plot, x_labels, centres, legend)


SHARE_TICKS = [0.0, 20.0, 40.0, 60.0, 80.0, 100.0]


def pareto(
    title: str, labels: Sequence[str], counts: Sequence, count_label: str, share_label: str
) -> Chart:
    """Bars in falling order (a count axis on the left) with the cumulative share as a line on
    a 0–100 % axis on the right (the Pareto chart)."""
    labels = [str(label) for label in labels]
    values = _values(counts)
    plain = [v or 0 for v in values]
    total = sum(plain) or 1
    running, shares = 0.0, []
    for value in plain:
        running += value
        shares.append(round(100 * running / total, 1))
    bar_fill, line_colour = PALETTE[0], PALETTE[1]
    legend = _Legend(
        [
            (str(count_label), _bar_swatch(bar_fill)),
            (str(share_label), _line_swatch(line_colour, DASHES[1], MARKERS[1])),
        ],
        WIDTH,
    )
    svg, plot, x_labels, centres = _frame(
        title,
        labels,
        legend,
        max(plain, default=0),
        integer=True,
        thin=False,
        right_ticks=SHARE_TICKS,
    )
    _y_axis(svg, plot, integer=True)
    _y_axis(svg, plot, integer=False, ticks=SHARE_TICKS, right=True)
    slot = (plot.right - plot.left) / max(1, len(labels))
    for x, value in zip(centres, values, strict=True):
        if value is None:
            continue
        y = plot.y(value)
        svg.parts.append(
            f'<rect class="bar" x="{_n(x - slot * 0.35)}" y="{_n(y)}" width="{_n(slot * 0.7)}" '
            f'height="{_n(plot.bottom - y)}" fill="{bar_fill}"/>'
        )
    points = [(x, plot.y(s, SHARE_TICKS)) for x, s in zip(centres, shares, strict=True)]
    _polyline(svg, points, line_colour, DASHES[1])
    for point in points:
        svg.parts.append(svg.marker(MARKERS[1], *point, line_colour))
    return _finish_frame(svg, plot, x_labels, centres, legend)


def control_chart(
    title: str,
    labels: Sequence[str],
    values: Sequence[float | None],
    centre: float,
    upper: Sequence[float],
    lower: Sequence[float],
    outside: Sequence[bool],
    names: dict[str, str],
) -> Chart:
    """The monthly rate, the centre line and the control limits; months outside the limits are
    marked a second time with a large square (a real change rather than noise)."""
    labels = [str(label) for label in labels]
    rate = _values(values)
    styles = {
        "value": (PALETTE[0], "", "circle", 2.5),
        "centre": (INK, "", None, 1.5),
        "upper": (SUBTLE, DASHES[1], None, 1.5),
        "lower": (SUBTLE, DASHES[2], None, 1.5),
    }
    entries = [(names[k], _line_swatch(*styles[k][:3], styles[k][3])) for k in styles]
    entries.append((names["outside"], _signal_swatch))
    legend = _Legend(entries, WIDTH)
    top_value = max([*(v or 0 for v in rate), *upper, centre], default=0)
    svg, plot, x_labels, centres = _frame(
        title, labels, legend, top_value, integer=False, thin=True
    )
    _y_axis(svg, plot, integer=False)
    lines = {
        "upper": list(upper),
        "lower": list(lower),
        "centre": [centre] * len(labels),
        "value": rate,
    }
    for key in ("upper", "lower", "centre", "value"):
        colour, dash, marker, width = styles[key]
        points = [
            None if v is None else (x, plot.y(v)) for x, v in zip(centres, lines[key], strict=True)
        ]
        _polyline(svg, points, colour, dash, width)
        if marker:
            for point in points:
                if point is not None:
                    svg.parts.append(svg.marker(marker, *point, colour, 3.5))
    for x, v, flag in zip(centres, rate, outside, strict=True):
        if flag and v is not None:
            svg.parts.append(_signal_mark(x, plot.y(v)))
    return _finish_frame(svg, plot, x_labels, centres, legend)


def _signal_mark(x: float, y: float) -> str:
    return (
        f'<rect class="signal" x="{_n(x - 7)}" y="{_n(y - 7)}" width="14" height="14" '
        f'fill="none" stroke="{DANGER}" stroke-width="2.5"/>'
    )


def _signal_swatch(svg: _Svg, x: float, y: float) -> None:
    svg.parts.append(_signal_mark(x + _Legend.SWATCH / 2, y))


def heat_grid(
    title: str,
    size: int,
    cells: dict[tuple[int, int], int],
    requires_measures: Callable[[int], bool],
    axis: dict[str, str],
) -> Chart:
    """A risk matrix (probability up, consequence across) with the count in each cell, shaded by
    score (grey levels; cells whose score ``requires_measures`` — the risk module's threshold
    predicate — get a heavy border)."""
    cell, left, top = 56, 46, 28
    width, height = left + cell * size + 8, top + cell * size + 44
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{escape(title)}" '
        f'focusable="false" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        'font-family="DejaVu Sans, Arial, sans-serif">'
    ]
    for p in range(1, size + 1):
        y = top + (size - p) * cell
        parts.append(
            f'<text x="{left - 8}" y="{y + cell / 2 + 4}" text-anchor="end" font-size="12">{p}</text>'
        )
        for c in range(1, size + 1):
            x = left + (c - 1) * cell
            score = p * c
            shade = 255 - int(200 * score / (size * size))
            ink = "#000" if shade > 140 else "#fff"
            heavy = requires_measures(score)
            parts.append(
                f'<rect x="{x}" y="{y}" width="{cell}" height="{cell}" '
                f'fill="rgb({shade},{shade},{shade})" stroke="#000" '
                f'stroke-width="{3 if heavy else 0.75}"/>'
            )
            count = cells.get((p, c), 0)
            if count:
                parts.append(
                    f'<text x="{x + cell / 2}" y="{y + cell / 2 + 6}" text-anchor="middle" '
                    f'font-size="17" font-weight="bold" fill="{ink}">{count}</text>'
                )
    for c in range(1, size + 1):
        parts.append(
            f'<text x="{left + (c - 0.5) * cell}" y="{top + size * cell + 16}" '
            f'text-anchor="middle" font-size="12">{c}</text>'
        )
    parts.append(
        f'<text x="{left + size * cell / 2}" y="{top + size * cell + 36}" text-anchor="middle" '
        f'font-size="12">{escape(axis["x"])}</text>'
    )
    parts.append(f'<text x="{left}" y="{top - 10}" font-size="12">{escape(axis["y"])} ↑</text>')
    parts.append("</svg>")
    return Chart(title=title, svg=mark_safe("".join(parts)))  # noqa: S308 - numbers and escaped text

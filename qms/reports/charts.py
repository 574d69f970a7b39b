"""Charts as SVG, rendered on the server with pygal, for the page and the PDF alike.

Each chart is greyscale-safe (grey levels far apart, dashed lines for second series), carries no
JavaScript, and is an ``<svg role="img">`` with an accessible name; the data table beside it is
the accessible equivalent. A suppressed count ("< 5") is drawn as no bar at all, never as a value.
"""

from __future__ import annotations

import base64
import html
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pygal
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from pygal.style import Style

from qms.reports.tables import is_suppressed

GREYS = ("#1f1f1f", "#8c8c8c", "#4d4d4d", "#bfbfbf", "#666666", "#d9d9d9", "#333333", "#a6a6a6")
DASHES = ("", "6,3", "2,3", "8,3,2,3")
STYLE = Style(
    background="white",
    plot_background="white",
    foreground="#1f1f1f",
    foreground_strong="#000000",
    foreground_subtle="#6b6b6b",
    opacity="1",
    opacity_hover="1",
    colors=GREYS,
    font_family="DejaVu Sans, Arial, sans-serif",
    label_font_size=12,
    major_label_font_size=12,
    legend_font_size=12,
    value_font_size=11,
    title_font_size=14,
)
WIDTH, HEIGHT = 720, 340
_SVG_OPEN = re.compile(r"^<svg ")
_COMMENT = re.compile(r"<!--.*?-->", re.S)
# pygal's tooltip data (one <desc> per value and coordinate) serves its JavaScript, which we do
# not ship; it was a sixth of the PDF's elements. Its legend ids repeat in every chart.
_TOOLTIP_DATA = re.compile(r"<desc\b[^>]*>.*?</desc>", re.S)
_SERIES_ID = re.compile(r' id="activate-serie-\d+"')
# pygal writes a <script> (its config for the tooltip JavaScript we do not ship) and a <style>
# scoped to its "#chart-<uuid>" into every chart. The page's Content-Security-Policy allows
# neither inline: the page gets the SVG without them and the style sheet as ``Chart.css``, which
# the template puts in a <style> with the request's CSP nonce; the PDF's image keeps its own.
_SCRIPT = re.compile(r"<script\b.*?</script>", re.S)
_STYLE = re.compile(r"<style\b[^>]*>(.*?)</style>", re.S)
_OPACITY_STYLE = re.compile(r'style="opacity: ?([0-9.]+)"')


@dataclass(frozen=True)
class Chart:
    title: str
    svg: SafeString  # for the page: no <script>, <style> or style attribute (CSP)
    css: SafeString = mark_safe("")  # noqa: S308 - the chart's pygal style sheet, for the page
    standalone: str = ""  # the SVG with its own <style>, for the PDF's image

    def __html__(self) -> str:
        return self.svg

    @property
    def image(self) -> SafeString:
        """The chart as an ``<img>`` of a ``data:`` SVG, for the PDF: WeasyPrint parses it on
        its own instead of running every chart's elements (and their style sheet) through the
        whole report's cascade — a third of the rendering time with inline SVG."""
        data = base64.b64encode((self.standalone or self.svg).encode()).decode()
        return format_html('<img alt="{}" src="data:image/svg+xml;base64,{}">', self.title, data)


def _config(**extra) -> dict:
    return {
        "style": STYLE,
        "js": [],
        "disable_xml_declaration": True,
        "width": WIDTH,
        "height": HEIGHT,
        "legend_at_bottom": True,
        "legend_at_bottom_columns": 3,
        "print_values": False,
        "show_y_guides": True,
        "truncate_legend": -1,
        "truncate_label": -1,
        "margin": 10,
        "spacing": 8,
        **extra,
    }


def _values(values: Sequence) -> list:
    return [None if (v is None or is_suppressed(v)) else v for v in values]


def _finish(chart, title: str) -> Chart:
    svg = _COMMENT.sub("", chart.render(is_unicode=True))
    svg = _SCRIPT.sub("", _SERIES_ID.sub("", _TOOLTIP_DATA.sub("", svg)))
    svg = _SVG_OPEN.sub(
        f'<svg role="img" aria-label="{escape(title)}" focusable="false" '
        'preserveAspectRatio="xMidYMid meet" ',
        svg,
        count=1,
    )
    page = _OPACITY_STYLE.sub(r'opacity="\1"', _STYLE.sub("", svg))
    # In the SVG (XML) pygal's style sheet is character data, so its child combinators are
    # written "&gt;"; an HTML <style> is raw text, where "&gt;" stays literal and the browser
    # drops the rule — the plot backgrounds then took the ".graph" fill and drew black boxes.
    css = html.unescape("\n".join(_STYLE.findall(svg))).replace("</", "<\\/")
    return Chart(
        title=title,
        svg=mark_safe(page),  # noqa: S308 - pygal output, labels escaped
        css=mark_safe(css),  # noqa: S308 - pygal's CSS from our own Style
        standalone=svg,
    )


def bar(
    title: str,
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence]],
    *,
    horizontal: bool = False,
    stacked: bool = False,
) -> Chart:
    kind = (
        (pygal.HorizontalStackedBar if horizontal else pygal.StackedBar)
        if stacked
        else (pygal.HorizontalBar if horizontal else pygal.Bar)
    )
    height = max(HEIGHT, 60 + 26 * len(labels)) if horizontal else HEIGHT
    chart = kind(**_config(height=height, show_legend=len(series) > 1, x_label_rotation=0))
    chart.x_labels = [str(label) for label in labels]
    for name, values in series:
        chart.add(str(name), _values(values))
    return _finish(chart, title)


def line(title: str, labels: Sequence[str], series: Sequence[tuple[str, Sequence]]) -> Chart:
    chart = pygal.Line(
        **_config(
            show_legend=len(series) > 1, x_label_rotation=0, dots_size=4, allow_interruptions=True
        )
    )
    chart.x_labels = [str(label) for label in labels]
    for i, (name, values) in enumerate(series):
        chart.add(
            str(name), _values(values), stroke_style={"width": 2.5, "dasharray": DASHES[i % 4]}
        )
    return _finish(chart, title)


def pareto(
    title: str, labels: Sequence[str], counts: Sequence, count_label: str, share_label: str
) -> Chart:
    """Bars in falling order with the cumulative share on a secondary axis (the Pareto chart)."""
    chart = pygal.Bar(**_config(show_legend=True, secondary_range=(0, 100)))
    chart.x_labels = [str(label) for label in labels]
    plain = [0 if is_suppressed(c) or c is None else c for c in counts]
    total = sum(plain) or 1
    running, shares = 0, []
    for value in plain:
        running += value
        shares.append(round(100 * running / total, 1))
    chart.add(str(count_label), _values(counts))
    chart.add(str(share_label), shares, secondary=True, stroke=True, show_dots=True)
    return _finish(chart, title)


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
    """A u-chart: the monthly rate, the centre line and 3-sigma limits; points outside the
    limits are drawn a second time as large squares (a real change rather than noise)."""
    chart = pygal.Line(**_config(show_legend=True, dots_size=4, allow_interruptions=True))
    chart.x_labels = [str(label) for label in labels]
    chart.add(names["value"], list(values), stroke_style={"width": 2.5})
    chart.add(names["centre"], [centre] * len(labels), show_dots=False, stroke_style={"width": 1.5})
    chart.add(
        names["upper"],
        list(upper),
        show_dots=False,
        stroke_style={"width": 1.5, "dasharray": "6,3"},
    )
    chart.add(
        names["lower"],
        list(lower),
        show_dots=False,
        stroke_style={"width": 1.5, "dasharray": "2,3"},
    )
    chart.add(
        names["outside"],
        [v if flag else None for v, flag in zip(values, outside, strict=True)],
        stroke=False,
        dots_size=8,
    )
    return _finish(chart, title)


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

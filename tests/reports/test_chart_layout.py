"""What a reader sees of each chart: every legend entry, axis and category label inside the
view box (no "Forbedringsforslag" or "3. tertial 2026" cut off, no last month cut in half), no
bar past its axis, whole-number ticks on a count axis (no 8.333333), and a Pareto chart whose
cumulative share is a line.

Text boxes are estimated from the font size and the number of characters (0.64 em per
character: the width of a digit in DejaVu Sans, wider than most letters), turned with the
text's ``rotate()``; the charts on the statistics page and a set of hard cases are checked.
"""

from __future__ import annotations

import math
import re
from xml.etree import ElementTree

import pytest

from qms.reports import charts, spc, stats
from tests.reports.test_deviation_stats import data  # noqa: F401 - the fixture

NS = "{http://www.w3.org/2000/svg}"
MONTHS = ["jan", "feb", "mar", "apr", "mai", "jun", "jul", "aug", "sep", "okt", "nov", "des"]
KINDS = ["Avvik", "Uønsket hendelse", "Skade eller nestenulykke", "Forbedringsforslag"]


def _text_corners(el) -> list[tuple[float, float]]:
    size = float(el.get("font-size", "12"))
    x, y = float(el.get("x", "0")), float(el.get("y", "0"))
    width = 0.64 * size * len(el.text or "")
    anchor = el.get("text-anchor", "start")
    x0 = x - {"start": 0, "middle": width / 2, "end": width}[anchor]
    corners = [(x0, y - 0.8 * size), (x0 + width, y - 0.8 * size), (x0, y + 0.25 * size)]
    corners.append((x0 + width, y + 0.25 * size))
    turned = re.match(r"rotate\(([-\d.]+) ([-\d.]+) ([-\d.]+)\)", el.get("transform", ""))
    if turned:
        angle, cx, cy = (float(v) for v in turned.groups())
        a = math.radians(angle)
        corners = [
            (
                cx + (px - cx) * math.cos(a) - (py - cy) * math.sin(a),
                cy + (px - cx) * math.sin(a) + (py - cy) * math.cos(a),
            )
            for px, py in corners
        ]
    return corners


def layout_problems(svg: str) -> list[str]:
    root = ElementTree.fromstring(svg)
    _, _, width, height = (float(v) for v in root.get("viewBox").split())
    name = root.get("aria-label")
    problems = []
    for el in root.iter(f"{NS}text"):
        for px, py in _text_corners(el):
            if not (-0.5 <= px <= width + 0.5 and -0.5 <= py <= height + 0.5):
                problems.append(f"{name}: label {el.text!r} sticks out at ({px:.0f}, {py:.0f})")
                break
    for axis in root.iter(f"{NS}g"):
        if axis.get("data-axis") == "count":
            for tick in axis.iter(f"{NS}text"):
                if not re.fullmatch(r"\d+", (tick.text or "").replace("\u00a0", "")):
                    problems.append(f"{name}: count axis tick {tick.text!r}")
    problems += _bars_past_axis(root, name)
    return problems


def _bars_past_axis(root, name) -> list[str]:
    bars = [r for r in root.iter(f"{NS}rect") if r.get("class") == "bar"]
    out = []
    for axis in root.iter(f"{NS}g"):
        lines = list(axis.iter(f"{NS}line"))
        if axis.get("class") == "axis-y" and axis.get("data-side") == "left":
            top = min(float(line.get("y1")) for line in lines)
            out += [f"{name}: bar above its axis" for b in bars if float(b.get("y")) < top - 0.01]
        if axis.get("class") == "axis-x":
            end = max(float(line.get("x1")) for line in lines)
            out += [
                f"{name}: bar past its axis"
                for b in bars
                if float(b.get("x")) + float(b.get("width")) > end + 0.01
            ]
    return out


def hard_cases() -> list[charts.Chart]:
    months = [f"{m} 2026" for m in MONTHS]
    counts = [60, 95, 130, 110, 75, 50, 45, 85, 125, 140, 100, 70] * 2
    control = spc.u_prime_chart(counts, [37.41] * 24)
    names = {
        "value": "Per 100 ansatte",
        "centre": "Senterlinje",
        "upper": "Øvre grense",
        "lower": "Nedre grense",
        "outside": "Utenfor grensene",
    }
    control_labels = [f"{m} {y}" for y in (2025, 2026) for m in MONTHS]
    return [
        charts.bar(
            "Trend",
            months,
            [(kind, [5, 3, 8, 2, 0, 4, 6, 7, 1, 2, 3, 4]) for kind in KINDS],
            stacked=True,
        ),
        charts.line(
            "Mot i fjor",
            months[8:],
            [("3. tertial 2026", [12, 15, 9, 20]), ("3. tertial 2025", [10, None, 12, 8])],
        ),
        charts.bar(
            "Kategori",
            ["HMS", "Informasjonssikkerhet", "Pasient- og brukersikkerhet og et langt navn"],
            [("3. tertial 2026", [12, 3, 5]), ("3. tertial 2025", [13, 4, 2])],
            horizontal=True,
        ),
        charts.pareto(
            "Pareto",
            ["Prosedyre", "Menneskelig", "System", "Ytre forhold"],
            [5, 4, 2, 1],
            "Antall",
            "Kumulativ andel (%)",
        ),  # fmt: skip
        charts.bar(
            "Status",
            ["Meldt", "Under behandling", "Tiltak pågår", "Lukket", "Avvist", "Videresendt"],
            [("Antall", [3, 7, 2, 1, 0, 1])],
        ),
        charts.bar("Få", ["Ubetydelig", "Lav"], [("Antall", [1, 0])]),
        charts.bar(
            "Mange lange",
            [f"Kategori nummer {i} med langt navn" for i in range(9)],
            [("Antall", list(range(9)))],
        ),  # fmt: skip
        charts.control_chart(
            "Kontroll",
            control_labels,
            control.rates,
            control.centre,
            control.upper,
            control.lower,
            control.outside,
            names,
        ),
    ]


@pytest.mark.parametrize("index", range(8))
def test_every_label_of_a_hard_case_fits_and_counts_are_whole(index):
    assert layout_problems(str(hard_cases()[index].svg)) == []


def test_count_axes_have_whole_steps_even_for_small_counts():
    assert charts.nice_ticks(3, integer=True) == [0, 1, 2, 3]
    assert charts.nice_ticks(1, integer=True) == [0, 1]
    assert charts.nice_ticks(0, integer=True) == [0, 1]
    assert all(float(t).is_integer() for t in charts.nice_ticks(12.5, integer=True))
    assert charts.nice_ticks(8.3, integer=False)[-1] >= 8.3


def test_the_pareto_share_is_a_line_on_a_0_to_100_axis():
    svg = str(charts.pareto("P", ["a", "b", "c"], [7, 3, 2], "Antall", "Kumulativ andel").svg)
    root = ElementTree.fromstring(svg)
    assert len([r for r in root.iter(f"{NS}rect") if r.get("class") == "bar"]) == 3
    assert len(list(root.iter(f"{NS}polyline"))) == 1  # the cumulative share
    right = next(g for g in root.iter(f"{NS}g") if g.get("data-side") == "right")
    assert [t.text for t in right.iter(f"{NS}text")] == ["0", "20", "40", "60", "80", "100"]


def test_series_are_told_apart_without_colour():
    svg = str(charts.bar("B", ["a"], [(k, [1]) for k in KINDS], stacked=True).svg)
    fills = re.findall(r'<rect class="bar"[^>]*fill="([^"]+)"', svg)
    assert len(set(fills)) == 4 and sum(f.startswith("url(#") for f in fills) == 3  # patterns
    svg = str(charts.line("L", ["a", "b"], [("x", [1, 2]), ("y", [2, 1])]).svg)
    assert 'stroke-dasharray="6 3"' in svg and "<rect" in svg.split("</defs>")[-1]  # dash, square


def test_charts_use_designsystemet_colours_not_greys():
    svg = str(charts.bar("B", ["a"], [("x", [1]), ("y", [2])]).svg)
    assert charts.PALETTE[0] in svg and "#1f1f1f" not in svg


@pytest.mark.django_db
def test_every_chart_on_the_statistics_pages_fits(data, client_for):  # noqa: F811
    query = f"unit={data.sector_a.pk}&period=year&year=2025"
    client = client_for(data.advisor)
    svgs = []
    for entry in stats.sections:
        html = client.get(f"/statistikk/?{query}&section={entry.key}").content.decode()
        svgs += re.findall(r'<svg role="img".*?</svg>', html, re.S)
    assert len(svgs) >= 10
    problems = [p for svg in svgs for p in layout_problems(svg)]
    assert problems == []

"""Charts: accessible SVG without pygal's tooltip data and without ids that repeat between
charts (several charts share one page and one PDF)."""

import re

from qms.reports import charts
from qms.reports.tables import SUPPRESSED


def test_a_chart_is_a_named_image_and_a_suppressed_count_draws_nothing():
    chart = charts.bar("Meldinger", ["jan", "feb"], [("Avvik", [3, 5]), ("Skade", [1, SUPPRESSED])])
    svg = str(chart.svg)
    assert svg.startswith('<svg role="img" aria-label="Meldinger"')
    assert "<script" not in svg and "<style" not in svg
    assert svg.count('class="bar"') == 3  # the suppressed bar is not drawn
    assert "Avvik" in svg and "Skade" in svg  # the legend stays


def test_two_charts_on_one_page_share_no_id():
    first = charts.line("A", ["jan", "feb"], [("2025", [1, 2]), ("2024", [2, 1])])
    second = charts.bar("B", ["jan", "feb"], [("X", [1, 2]), ("Y", [2, 1])])
    ids = re.findall(r'\bid="([^"]+)"', str(first.svg) + str(second.svg))
    assert ids and len(ids) == len(set(ids))


def test_the_page_style_sheet_has_real_child_combinators():
    # An HTML <style> is raw text: "&gt;" there is not ">" and the browser drops the rule (the
    # plot backgrounds then drew as black boxes). Charts now carry no style sheet at all.
    for chart in (
        charts.bar("B", ["jan", "feb"], [("X", [1, 2]), ("Y", [2, 1])]),
        charts.line("L", ["jan", "feb"], [("X", [1, 2])]),
        charts.pareto("P", ["a", "b"], [3, 1], "Antall", "Kumulativ"),
    ):
        assert "&gt;" not in chart.css and "&lt;" not in chart.css
        assert "&amp;" not in chart.css
        assert 'class="background"' in chart.svg and 'fill="#ffffff"' in chart.svg

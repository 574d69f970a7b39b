"""Numbers written into markup must not follow the locale: bokmål writes 244,85 for 244.85.

``assert_machine_numbers(html)`` parses every SVG element's numeric attributes and paths, and the
lengths in every ``style=`` attribute, and fails naming the first number a browser would misread.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

# Attributes holding one number, possibly with a unit (width="100%").
SINGLE = {
    "x", "y", "cx", "cy", "r", "rx", "ry", "x1", "y1", "x2", "y2", "dx", "dy", "width",
    "height", "stroke-width", "font-size", "opacity", "fill-opacity", "stroke-opacity", "offset",
}  # fmt: skip
# Attributes holding a list of numbers separated by spaces (our producers and pygal never put a
# comma between two digits, so "1,5" there is a localised decimal).
LISTS = {"viewbox", "d", "points", "transform", "stroke-dasharray"}
NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?(px|%|em|rem)?$")
LIST_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
DECIMAL_COMMA = re.compile(r"\d,\d")
# A CSS length or percentage written with a decimal comma: "padding-left: 1,5rem".
CSS_DECIMAL_COMMA = re.compile(r"\d,\d+\s*(?:rem|em|px|%|vh|vw|ch|ex|pt|deg|s)\b")


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0  # how deep inside <svg> we are
        self.problems: list[str] = []
        self.checked = 0

    def handle_starttag(self, tag, attrs):
        if tag == "svg":
            self.depth += 1
        for name, value in attrs:
            if value is None:
                continue
            if name == "style" and CSS_DECIMAL_COMMA.search(value):
                self.problems.append(f'<{tag} style="{value}">')
            if self.depth:
                self._svg_attribute(tag, name, value.strip())

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag == "svg":
            self.depth -= 1

    def handle_endtag(self, tag):
        if tag == "svg" and self.depth:
            self.depth -= 1

    def _svg_attribute(self, tag: str, name: str, value: str) -> None:
        if name in SINGLE:
            self.checked += 1
            if not NUMBER.match(value):
                self.problems.append(f'<{tag} {name}="{value}">')
        elif name in LISTS:
            self.checked += len(LIST_NUMBER.findall(value))
            if DECIMAL_COMMA.search(value):
                self.problems.append(f'<{tag} {name}="{value[:80]}">')


def assert_machine_numbers(html: str) -> int:
    """Fail on the first localised number in SVG or ``style=``; return how many were checked."""
    collector = _Collector()
    collector.feed(html)
    collector.close()
    assert not collector.problems, "numbers written for the locale:\n" + "\n".join(
        collector.problems[:10]
    )
    return collector.checked

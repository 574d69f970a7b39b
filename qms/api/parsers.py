"""Request parsers for the API."""

from __future__ import annotations

import io
import re

from django.conf import settings
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

# A JSON string (with escapes), then any bracket: strings are skipped, brackets counted.
_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.DOTALL)


def json_depth(text: str) -> int:
    """The deepest nesting of arrays and objects in ``text`` (a linear scan, no recursion)."""
    depth = deepest = 0
    for match in _TOKENS.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif token in "]}":
            depth -= 1
    return deepest


class DepthLimitedJSONParser(JSONParser):
    """JSON with at most ``max_depth`` levels of nesting: deeper is a 400, not the
    RecursionError (500) that Python's json module raises at a few thousand levels. No request
    the API takes nests more than a handful of levels."""

    max_depth = 32

    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        raw = stream.read() if stream is not None else b""
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError as exc:
            raise ParseError(f"JSON parse error - {exc}") from exc
        if json_depth(text) > self.max_depth:
            raise ParseError(f"JSON parse error - nested deeper than {self.max_depth} levels")
        try:
            return super().parse(io.BytesIO(raw), media_type, parser_context)
        except RecursionError as exc:  # the scan above should make this unreachable
            raise ParseError("JSON parse error - nested too deeply") from exc

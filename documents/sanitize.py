"""Server-side sanitizing of rich text (nh3): no script, no event handlers, no javascript: URLs.

Whatever the editor sends, only this allow-list reaches the database; the browser never decides.
"""

from __future__ import annotations

import html
import re

import nh3

TAGS = {
    "p", "div", "br", "h1", "h2", "h3", "h4", "strong", "b", "em", "i", "u", "s", "del", "sub", "sup",
    "ul", "ol", "li", "blockquote", "a", "table", "thead", "tbody", "tr", "th", "td",
    "caption", "hr", "code", "pre", "span",
}  # fmt: skip
ATTRIBUTES = {
    "a": {"href", "title"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "ol": {"start"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}

_BLOCK_END = re.compile(r"</(p|div|h[1-6]|li|tr|blockquote|pre|table|ul|ol)>|<br\s*/?>", re.I)
_SPACES = re.compile(r"[ \t\r\f\v]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")


def clean_html(value: str) -> str:
    """The allow-listed HTML of ``value``: scripts and styles dropped with their content.

    Headings start at h2 (the page's title is the h1); nh3 leaves no attributes on them.
    """
    cleaned = nh3.clean(
        value or "",
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        clean_content_tags={"script", "style"},
        link_rel="noopener noreferrer",
        strip_comments=True,
    ).strip()
    return cleaned.replace("<h1>", "<h2>").replace("</h1>", "</h2>")


def html_to_text(value: str) -> str:
    """Plain text of sanitized HTML, one line per block (for search and diffs)."""
    marked = _BLOCK_END.sub(lambda m: m.group(0) + "\n", value or "")
    text = html.unescape(nh3.clean(marked, tags=set(), clean_content_tags={"script", "style"}))
    lines = [_SPACES.sub(" ", line).strip() for line in text.splitlines()]
    return _BLANK_LINES.sub("\n\n", "\n".join(line for line in lines if line)).strip()


def clean_text(value: str) -> str:
    """A plain-text field: markup removed entirely (titles, comments, summaries)."""
    return html.unescape(
        nh3.clean(value or "", tags=set(), clean_content_tags={"script", "style"})
    ).strip()

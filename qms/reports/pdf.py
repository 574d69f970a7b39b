"""Rendering the quality report to PDF with WeasyPrint, safely.

WeasyPrint gets a URL fetcher that serves only our own static files and ``data:`` URLs: a report
can never make the worker fetch a URL on the network or read a file outside the static files
(CISO Assistant's ``_safe_url_fetcher``).

Every PDF is tagged as PDF/UA-1 (``PDF_OPTIONS``): a structure tree a screen reader follows,
headings, tables with their headers, the charts' alternative text, and the document's language
from ``<html lang>``.
"""

from __future__ import annotations

import logging
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

BASE_URL = "https://qms.invalid/"  # a host that can never resolve: only the fetcher serves it
PDF_OPTIONS = {"pdf_variant": "pdf/ua-1"}  # tagged (structure tree, /Lang, alt texts)


def _static_file(url: str):
    parts = urlsplit(url)
    if parts.scheme != "https" or parts.netloc != "qms.invalid":
        return None
    path = unquote(parts.path)
    static = settings.STATIC_URL
    if not path.startswith(static) or ".." in path.split("/"):
        return None
    name = path[len(static) :]
    # Collected files first (production: hashed names from the manifest storage), then the
    # app and project static directories (development, tests).
    root = Path(settings.STATIC_ROOT).resolve()
    collected = (root / name).resolve()
    if root in collected.parents and collected.is_file():
        return str(collected)
    found = finders.find(name)
    return found if isinstance(found, str) else None


def _fetcher_class():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class SafeURLFetcher(URLFetcher):
        """Only ``data:`` URLs and our static files; everything else is refused."""

        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            found = _static_file(url)
            if found is None:
                logger.warning("PDF rendering refused to fetch %s", url[:200])
                raise ValueError(f"URL not allowed in a report: {url[:200]}")
            with open(found, "rb") as fh:
                body = fh.read()
            content_type = "text/css" if found.endswith(".css") else "application/octet-stream"
            if found.endswith(".svg"):
                content_type = "image/svg+xml"
            elif found.endswith(".png"):
                content_type = "image/png"
            return URLFetcherResponse(url, body, {"Content-Type": content_type})

    return SafeURLFetcher


def safe_url_fetcher():
    return _fetcher_class()()


def render_html(context: dict) -> str:
    return render_to_string("reports/pdf/quality_report.html", context)


def render_document(html: str):
    """The laid-out WeasyPrint document (its pages and boxes), before it is written."""
    from weasyprint import HTML

    return HTML(string=html, base_url=BASE_URL, url_fetcher=safe_url_fetcher()).render()


def render_pdf(html: str) -> tuple[bytes, int]:
    """The tagged PDF bytes and its number of pages."""
    document = render_document(html)
    return document.write_pdf(**PDF_OPTIONS), len(document.pages)

"""Content-Security-Policy on every page, with nothing inline that would need 'unsafe-inline'."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*\bnonce=)[^>]*>", re.IGNORECASE)
STYLE_ATTR = re.compile(r"\sstyle=[\"']", re.IGNORECASE)
HANDLER_ATTR = re.compile(r"\son[a-z]+=[\"']", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<style(?![^>]*\bnonce=)[^>]*>", re.IGNORECASE)


def inline_code(html: str) -> list[str]:
    found = []
    for pattern in (INLINE_SCRIPT, STYLE_ATTR, HANDLER_ATTR, INLINE_STYLE):
        found += [html[max(m.start() - 60, 0) : m.end() + 40] for m in pattern.finditer(html)]
    return found


# Documents rendered into files, never served as a page: the report on internal control as
# the PDF and as the self-contained HTML file the municipality publishes (an attachment; its
# styles travel inside it).
FILES = {"qms/reports/templates/reports/control/document.html"}


def served_templates():
    """Our templates, except the PDF ones (WeasyPrint renders them; no browser, no CSP) and
    the documents rendered into files."""
    for path in sorted(ROOT.glob("**/templates/**/*.html")):
        parts = path.relative_to(ROOT).parts
        if parts[0] in {"node_modules", ".venv", "var"} or "pdf" in path.name:
            continue
        if str(path.relative_to(ROOT)) in FILES:
            continue
        yield path


def test_no_template_has_inline_scripts_styles_or_handlers():
    offenders = {
        str(p.relative_to(ROOT)): found
        for p in served_templates()
        if (found := inline_code(p.read_text()))
    }
    assert offenders == {}


PAGES = [
    "home",
    "documents:index",
    "deviations:index",
    "deviations:report",
    "risk:index",
    "annual_wheel:index",
    "reports:index",
]


@pytest.mark.django_db
@pytest.mark.parametrize("name", PAGES)
def test_pages_carry_a_strict_policy_and_nothing_inline(org, client_for, name):
    response = client_for(org.leader_a1).get(reverse(name))
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert inline_code(response.content.decode()) == []


@pytest.mark.django_db
def test_login_and_admin_pages_carry_the_policy(org, client):
    assert "default-src 'self'" in client.get(reverse("login"))["Content-Security-Policy"]
    client.force_login(org.admin)
    response = client.get("/admin/qms/notification/")
    assert "default-src 'self'" in response["Content-Security-Policy"]


def test_charts_on_the_page_carry_no_inline_style_or_script():
    from qms.reports import charts

    chart = charts.line("Meldinger", ["Jan", "Feb"], [("Avvik", [3, 5]), ("Skade", [1, 2])])
    assert inline_code(str(chart.svg)) == []
    assert 'stroke-dasharray="6 3"' in chart.svg  # the second series stays dashed
    assert "<style" not in chart.svg and not chart.css  # presentation attributes only


@pytest.mark.django_db
def test_api_docs_page_has_nothing_inline_without_the_nonce(org, client_for):
    response = client_for(org.employee_a1).get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert inline_code(html) == []
    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
    assert f'<style nonce="{nonce}">' in html

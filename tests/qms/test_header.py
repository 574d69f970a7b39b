"""The page frame a person sees on every page: icon, menu, header."""

from __future__ import annotations

import io
import re
from xml.etree import ElementTree

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.utils import timezone
from PIL import Image

from qms.models import Notification

pytestmark = pytest.mark.django_db

ICON_LINK = re.compile(r'<link rel="(icon|apple-touch-icon)" href="([^"]+)"([^>]*)>')


def _static_file(url: str) -> bytes:
    assert url.startswith(settings.STATIC_URL), url
    path = finders.find(url.removeprefix(settings.STATIC_URL))
    assert path, url
    with open(path, "rb") as handle:
        return handle.read()


def test_every_page_links_a_favicon_in_svg_and_ico(client):
    page = client.get("/konto/login/").content.decode()
    links = {href.rsplit(".", 1)[-1]: href for _rel, href, _rest in ICON_LINK.findall(page)}
    assert set(links) == {"svg", "ico", "png"}
    svg = ElementTree.fromstring(_static_file(links["svg"]))
    assert svg.tag == "{http://www.w3.org/2000/svg}svg" and svg.get("viewBox") == "0 0 32 32"
    ico = Image.open(io.BytesIO(_static_file(links["ico"])))
    assert ico.format == "ICO" and {(16, 16), (32, 32)} <= ico.info["sizes"]
    touch = Image.open(io.BytesIO(_static_file(links["png"])))
    assert touch.size == (180, 180)


def _menu(client, user) -> str:
    client.force_login(user)
    page = client.get("/").content.decode()
    return page[page.index('<nav class="qms-nav"') : page.index("</nav>")]


@pytest.mark.parametrize(
    ("username", "sees"),
    [
        ("employee_a1", False),
        ("leader_a1", True),
        ("committee", True),
        ("advisor", True),
        ("admin", True),
    ],
)
def test_statistics_is_in_the_menu_only_for_those_the_page_lets_in(org, client, username, sees):
    user = getattr(org, username)
    assert ("Statistikk" in _menu(client, user)) is sees
    # The page agrees: whoever does not see the link gets the no-access page.
    page = client.get("/statistikk/")
    assert ("reports/no_access.html" not in [t.name for t in page.templates]) is sees


def _header(client, user) -> str:
    client.force_login(user)
    page = client.get("/").content.decode()
    return page[page.index('<header class="qms-header"') : page.index("</header>")]


@pytest.mark.parametrize(("username", "sees"), [("admin", True), ("advisor", False)])
def test_admin_link_is_in_the_header_for_those_the_admin_lets_in(org, client, username, sees):
    user = getattr(org, username)
    assert ('href="/admin/"' in _header(client, user)) is sees
    assert (client.get("/admin/").status_code == 200) is sees


BADGE = re.compile(
    r'<span class="ds-badge"[^>]*data-count="([^"]+)"[^>]*></span><span class="ds-sr-only">([^<]*)</span>'
)


def _badge(client, user):
    match = BADGE.search(_header(client, user))
    return (match.group(1), match.group(2)) if match else None


def _lines(html: str) -> list[str]:
    return [
        " ".join(re.sub(r"<[^>]+>", " ", line).split())
        for line in re.findall(r"<li[^>]*>(.*?)</li>", html, re.S)
    ]


def test_the_header_counts_unread_notifications_as_the_list_shows_them(org, client):
    from deviations import services
    from tests.deviations.conftest import report

    case = report(org)
    services.start_treatment(actor=org.leader_a1, deviation=case)
    Notification.objects.update(read_at=timezone.now())  # the news of the report, read
    assert _badge(client, org.leader_a1) is None
    # The reporter comments twice: two notifications to the handler, one line in their list.
    for text in ("Det skjedde igjen i natt.", "Og i dag."):
        services.add_comment(actor=org.employee_a1, deviation=case, text=text)
    assert _badge(client, org.leader_a1) == ("1", "(1 ulest)")
    page = client.get("/varsler/").content.decode()
    lines = [line for line in _lines(page) if "kommentar" in line]
    assert len(lines) == 1, lines
    assert lines[0].startswith("Ny Ny kommentar på") and "(2 ganger)" in lines[0]

    services.share_deviation(actor=org.leader_a1, deviation=case, user=org.leader_a1)
    assert _badge(client, org.leader_a1) == ("2", "(2 uleste)")
    # Opening the line reads both comments; the line stays, without "Ny".
    latest = Notification.objects.filter(kind="deviation.comment").latest("pk")
    client.post(f"/varsler/{latest.pk}/lest/")
    assert _badge(client, org.leader_a1) == ("1", "(1 ulest)")
    page = client.get("/varsler/").content.decode()
    comment = next(line for line in _lines(page) if "kommentar" in line)
    assert comment.startswith("Ny kommentar på")  # no "Ny" label before it


def test_a_leader_asked_to_approve_two_versions_sees_two_different_lines(org, client):
    from documents import services
    from tests.documents.factories import published

    document = published(org.employee_a1, org.leader_a1, org.unit_a1)
    revision = services.start_revision(org.employee_a1, document)
    services.submit(org.employee_a1, revision)
    client.force_login(org.leader_a1)
    lines = [line for line in _lines(client.get("/varsler/").content.decode()) if "RUT" in line]
    assert len(lines) == 2, lines
    assert any("versjon 2" in line for line in lines) and any("versjon 1" in line for line in lines)

"""The page frame a person sees on every page: icon, menu, header."""

from __future__ import annotations

import io
import re
from xml.etree import ElementTree

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from PIL import Image

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

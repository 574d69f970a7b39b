"""The start page ("Min side") makes the same number of queries however much it lists: each
panel and task list is one query, never one per row (docs/design.md §11)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from qms.models import Notification
from tests.deviations.conftest import add_action, report

pytestmark = pytest.mark.django_db


def _home(client):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/")
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


def _more_work(org, n: int) -> None:
    """``n`` more own reports, open actions and unread notices of different kinds."""
    for i in range(n):
        case = report(org, title=f"Sak nummer {i}")
        add_action(org, case)
        Notification.objects.create(
            recipient=org.employee_a1, kind=f"kind-{i}", subject=f"Melding {i}", url=f"/m/{i}/"
        )


def test_start_page_queries_stay_constant_as_its_lists_grow(org, client_for):
    client = client_for(org.employee_a1)
    _more_work(org, 1)
    _home(client)  # the session and the language settle on the first view
    few, _ = _home(client)

    _more_work(org, 6)
    many, page = _home(client)

    assert many == few
    assert "Sak nummer 5" in page
    assert "Gå gjennom rutinen for medisinutdeling" in page

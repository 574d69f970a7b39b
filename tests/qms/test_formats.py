"""Numbers people read go through the locale: one percent rule (qms.formats.percent)."""

import re

import pytest
from django.template import Context, Template
from django.utils import translation

from documents import services as document_services
from documents.models import ReadReceipt
from qms.formats import percent
from tests.documents.factories import published


@pytest.mark.parametrize(
    ("language", "value", "shown"),
    [
        ("nb", 97.8, "97,8 %"),
        ("nb", 100.0, "100 %"),
        ("nb", 99.96, "100 %"),
        ("nb", 0.99, "1 %"),  # rounded: Django's number_format alone would write "0,9"
        ("nb", 33, "33 %"),
        ("nb", None, "–"),
        ("en", 97.8, "97.8%"),
        ("en", 100.0, "100%"),
    ],
)
def test_percent_is_written_for_the_reader(language, value, shown):
    with translation.override(language):
        assert percent(value) == shown
        assert (
            Template("{% load qms_numbers %}{{ v|percent }}").render(Context({"v": value})) == shown
        )


@pytest.fixture
def one_of_three_confirmed(org):
    document = published(org.leader_a1, org.leader_a, org.unit_a1)
    receipts = ReadReceipt.objects.filter(document=document).order_by("user__username")
    assert receipts.count() == 3
    document_services.confirm_read(receipts[0].user, receipts[0])
    return document


MACHINE_PERCENT = re.compile(r"\d\.\d+ ?%")


@pytest.mark.django_db
def test_statistics_key_figure_is_a_norwegian_percent(org, client_for, one_of_three_confirmed):
    html = client_for(org.advisor).get("/statistikk/").content.decode()
    assert "33,3 %" in html
    assert not MACHINE_PERCENT.search(html), MACHINE_PERCENT.search(html).group()


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "shown"), [("nb", "(33 %)"), ("en", "(33%)")])
def test_read_status_rate_follows_the_language(
    org, client_for, one_of_three_confirmed, language, shown
):
    client = client_for(org.leader_a1)
    client.cookies["django_language"] = language
    html = client.get(f"/dokumenter/{one_of_three_confirmed.pk}/lesestatus/").content.decode()
    assert shown in html

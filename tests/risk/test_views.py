from datetime import date

import pytest

from risk import services
from risk.models import RiskAssessment, RiskItem
from tests.risk.conftest import item_values

pytestmark = pytest.mark.django_db


def _item_post(**overrides):
    data = {
        "hazard": "Feil medisin gitt",
        "cause": "Forveksling",
        "existing_controls": "",
        "probability": "4",
        "consequence_people": "4",
        "consequence_environment": "",
        "consequence_economy": "2",
        "consequence_reputation": "",
        "treatment": "reduce",
        "residual_probability": "",
        "residual_consequence": "",
    }
    data.update(overrides)
    return data


def test_leader_creates_an_assessment_and_adds_an_item(org, client_for):
    client = client_for(org.leader_a1)
    response = client.post(
        "/ros/ny/",
        {
            "title": "Brann i skole",
            "unit": org.unit_a1.pk,
            "activity": "Evakuering",
            "assessed_on": "2026-11-01",
            "important": "on",
            "participants": [org.employee_a1.pk],
        },
    )
    assessment = RiskAssessment.objects.get()
    assert response.status_code == 302 and response.url == f"/ros/{assessment.pk}/"
    assert list(assessment.participants.all()) == [org.employee_a1]
    response = client.post(f"/ros/{assessment.pk}/risiko/ny/", _item_post())
    item = RiskItem.objects.get()
    assert response.status_code == 302
    assert (item.score, item.consequence) == (16, 4)
    page = client.get(f"/ros/{assessment.pk}/")
    html = page.content.decode()
    assert "Mangler tiltak" in html
    assert "Feil medisin gitt" in html
    assert "<caption>" in html and 'scope="row"' in html  # the heat map's data table


@pytest.mark.parametrize(
    "bad, field",
    [
        ({"probability": "9"}, "probability"),
        ({"probability": "x"}, "probability"),
        ({"consequence_people": "", "consequence_economy": ""}, "consequence_people"),
        ({"residual_probability": "2"}, "residual_consequence"),
        ({"hazard": ""}, "hazard"),
    ],
)
def test_bad_item_input_is_refused_and_keeps_what_was_typed(
    org, client_for, assessment, bad, field
):
    client = client_for(org.leader_a1)
    response = client.post(
        f"/ros/{assessment.pk}/risiko/ny/", _item_post(cause="Travel vakt", **bad)
    )
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert "Travel vakt" in response.content.decode()
    assert "ds-error-summary" in response.content.decode()
    assert not RiskItem.objects.exists()


def test_script_in_text_is_escaped(org, client_for, assessment):
    client = client_for(org.leader_a1)
    client.post(
        f"/ros/{assessment.pk}/risiko/ny/",
        _item_post(hazard="<script>alert(1)</script>", cause="<img src=x onerror=alert(1)>"),
    )
    item = RiskItem.objects.get()
    for url in (f"/ros/{assessment.pk}/", item.get_absolute_url()):
        html = client.get(url).content.decode()
        assert "<script>alert(1)</script>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert "<img src=x" not in html


def test_unknown_ids_are_404(org, client_for, assessment):
    client = client_for(org.leader_a1)
    assert client.get("/ros/999999/").status_code == 404
    assert client.get(f"/ros/{assessment.pk}/risiko/999999/").status_code == 404
    other = services.create_assessment(
        actor=org.leader_b1, unit=org.unit_b1, title="B", activity="B", assessed_on=date.today()
    )
    item = services.add_item(actor=org.leader_b1, assessment=other, **item_values())
    # An item addressed under another assessment's id is not found either.
    assert client.get(f"/ros/{assessment.pk}/risiko/{item.pk}/").status_code == 404


def test_heat_map_cell_links_filter_the_items(org, client_for, assessment):
    services.add_item(
        actor=org.leader_a1, assessment=assessment, **item_values(hazard="Høy", probability=4)
    )
    services.add_item(
        actor=org.leader_a1,
        assessment=assessment,
        **item_values(hazard="Lav", probability=1, consequence_people=1, consequence_economy=None),
    )
    client = client_for(org.employee_a1)
    response = client.get(f"/ros/{assessment.pk}/?celle=i-4-4")
    assert [i.hazard for i in response.context["items"]] == ["Høy"]
    assert 'href="?celle=i-4-4#items"' in response.content.decode()
    # Out of range or malformed cells show everything.
    assert len(client.get(f"/ros/{assessment.pk}/?celle=i-9-1").context["items"]) == 2
    assert len(client.get(f"/ros/{assessment.pk}/?celle=<x>").context["items"]) == 2


def test_items_sort_by_score(org, client_for, assessment):
    for p in (1, 5, 3):
        services.add_item(actor=org.leader_a1, assessment=assessment, **item_values(probability=p))
    response = client_for(org.employee_a1).get(f"/ros/{assessment.pk}/?sort=score")
    assert [i.score for i in response.context["items"]] == [20, 12, 4]


def test_activation_is_blocked_with_a_message(org, client_for, assessment):
    services.add_item(actor=org.leader_a1, assessment=assessment, **item_values(probability=5))
    client = client_for(org.leader_a1)
    response = client.post(f"/ros/{assessment.pk}/aktiver/", follow=True)
    assert "uten tiltak" in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.status == "draft"


def test_list_query_count_is_constant(org, client_for, django_assert_max_num_queries):
    for n in range(3):
        a = services.create_assessment(
            actor=org.leader_a1,
            unit=org.unit_a1,
            title=f"A{n}",
            activity="x",
            assessed_on=date.today(),
        )
        services.add_item(actor=org.leader_a1, assessment=a, **item_values())
    client = client_for(org.leader_a1)
    client.get("/ros/")
    # session, user, memberships+groups (actor), count, page, creatable-units check; the
    # header's unread-notification count and statistics link
    with django_assert_max_num_queries(11):
        response = client.get("/ros/")
    assert len(response.context["page"].object_list) == 3
    for n in range(3, 15):
        services.create_assessment(
            actor=org.leader_a1,
            unit=org.unit_a1,
            title=f"A{n}",
            activity="x",
            assessed_on=date.today(),
        )
    with django_assert_max_num_queries(11):
        response = client.get("/ros/")
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 15


def test_detail_query_count_does_not_grow_with_items(
    org, client_for, assessment, django_assert_max_num_queries
):
    client = client_for(org.leader_a1)
    services.add_item(actor=org.leader_a1, assessment=assessment, **item_values())
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        response = client.get(f"/ros/{assessment.pk}/")
    assert response.status_code == 200
    assert len(response.context["items"]) == 1
    for _ in range(10):
        services.add_item(actor=org.leader_a1, assessment=assessment, **item_values())
    with CaptureQueriesContext(connection) as many:
        response = client.get(f"/ros/{assessment.pk}/")
    assert response.status_code == 200
    assert len(response.context["items"]) == 11
    assert len(many.captured_queries) == len(one.captured_queries)


def test_page_flags_are_the_rule_activation_refuses_on(org, client_for, assessment, monkeypatch):
    """The page's "Mangler tiltak" flags come from RiskItemQuerySet.with_flags, the rule
    activation_problems refuses on: change the rule there and the page follows."""
    from django.db.models import BooleanField, Value

    from risk.querysets import RiskItemQuerySet

    high = services.add_item(
        actor=org.leader_a1, assessment=assessment, **item_values(hazard="Høy", probability=5)
    )
    services.add_item(
        actor=org.leader_a1,
        assessment=assessment,
        **item_values(hazard="Lav", probability=1, consequence_people=1, consequence_economy=None),
    )
    client = client_for(org.leader_a1)

    def flagged():
        response = client.get(f"/ros/{assessment.pk}/")
        assert response.status_code == 200
        html = response.content.decode()
        return sorted(i.hazard for i in response.context["untreated"]), html.count(
            "⚠ Mangler tiltak"
        )

    assert flagged() == (["Høy"], 1)
    assert services.activation_problems(assessment) == [
        f"Risikoforhold på eller over tiltaksgrensen uten tiltak: {high.number}."
    ]
    original = RiskItemQuerySet.with_flags

    def everything_untreated(self, threshold=None):
        return original(self, threshold).annotate(
            untreated=Value(True, output_field=BooleanField())
        )

    monkeypatch.setattr(RiskItemQuerySet, "with_flags", everything_untreated)
    assert flagged() == (["Høy", "Lav"], 2)

import pytest

from qms import tokens

pytestmark = pytest.mark.django_db


def test_units_requires_authentication(org, api_for):
    # Session authentication comes first, so DRF answers 403 (not 401 with a challenge).
    assert api_for(None).get("/api/v1/units/").status_code == 403


def test_units_is_the_tree_in_path_order_with_parents_and_leaders(org, api_for):
    response = api_for(org.employee_a1).get("/api/v1/units/")
    assert response.status_code == 200
    rows = response.json()["results"]
    by_name = {row["name"]: row for row in rows}
    assert [row["name"] for row in rows][0] == "Kommune"
    assert by_name["Enhet A1"]["parent"] == org.sector_a.pk
    assert by_name["Kommune"]["parent"] is None
    assert by_name["Enhet A1"]["leaders"][0]["id"] == org.leader_a1.pk
    paths = [row["path"] for row in rows]
    assert paths == sorted(paths)


def test_units_can_be_narrowed_to_one_subtree(org, api_for):
    response = api_for(org.employee_a1).get(f"/api/v1/units/?under={org.sector_b.pk}")
    assert {row["name"] for row in response.json()["results"]} == {"Sektor B", "Enhet B1"}


def test_units_list_runs_a_constant_number_of_queries(org, api_for, django_assert_max_num_queries):
    api = api_for(org.employee_a1)
    api.get("/api/v1/units/")
    # user groups + memberships (actor), count, page, leadership prefetch, parent ids
    with django_assert_max_num_queries(8):
        response = api.get("/api/v1/units/")
    assert response.status_code == 200
    assert len(response.json()["results"]) == 7  # every unit of the organisation


def test_units_are_read_only(org, api_for):
    response = api_for(org.admin).post("/api/v1/units/", {"name": "Ny"}, format="json")
    assert response.status_code == 405


def test_me_returns_units_and_roles(org, api_for):
    body = api_for(org.committee).get("/api/v1/me/").json()
    assert body["username"] == "committee"
    assert body["roles"] == ["quality_committee"]
    assert body["memberships"] == [
        {"unit": org.sector_a.pk, "unit_name": "Sektor A", "role": "committee"}
    ]


def test_token_authentication(org, client):
    _token, key = tokens.issue_token(org.leader_b1, "test")
    response = client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200
    assert response.json()["username"] == "leader_b1"


def test_openapi_schema_and_docs_page(org, client_for):
    client = client_for(org.employee_a1)
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/units/" in schema.content
    assert b"/api/v1/me/" in schema.content
    assert client.get("/api/docs/").status_code == 200


@pytest.mark.django_db
def test_token_with_oversized_username_is_400_not_500(client):
    response = client.post(
        "/api/v1/token/", {"username": "x" * 300, "password": "pw"}, content_type="application/json"
    )
    assert response.status_code == 400


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/v1/token/", "/api/v1/deviations/"])
def test_api_takes_json_bodies_only(org, client, path):
    """The schema offers one body type, so the API takes no other (DRF's default also took
    form and multipart bodies, which the schema then listed for every operation)."""
    client.force_login(org.employee_a1)
    response = client.post(path, {"username": "employee_a1", "password": "pw"})
    assert response.status_code == 415


def test_browsable_api_posts_json(org, client_for):
    page = client_for(org.employee_a1).get("/api/v1/deviations/", HTTP_ACCEPT="text/html")
    assert page.status_code == 200
    assert b'<option value="application/json"' in page.content
    assert b'value="multipart/form-data"' not in page.content

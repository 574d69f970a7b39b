import pytest
from django.core.exceptions import PermissionDenied

from documents import services as document_services
from qms import hooks
from risk import services
from risk.models import RiskDocumentLink
from tests.risk.conftest import item_values

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(org, assessment):
    return services.add_item(actor=org.leader_a1, assessment=assessment, **item_values())


def test_link_a_procedure_by_number_and_see_it_on_both_pages(org, client_for, item, rf):
    document = document_services.create_document(
        org.leader_a1,
        document_services.DocumentData(title="Rutine for legemiddelhåndtering", unit=org.unit_a1),
    )
    client = client_for(org.leader_a1)
    response = client.post(
        f"/ros/{item.assessment_id}/risiko/{item.pk}/dokument/", {"document": document.number}
    )
    assert response.status_code == 302
    assert RiskDocumentLink.objects.filter(item=item, document=document).exists()
    page = client.get(item.get_absolute_url()).content.decode()
    assert document.number in page
    request = rf.get("/")
    request.user = org.leader_a1
    panels = hooks.detail_panels_for(request, document)
    assert any(item in p.context["items"] for p in panels)
    # Unknown numbers are an error message, nothing stored.
    client.post(f"/ros/{item.assessment_id}/risiko/{item.pk}/dokument/", {"document": "RUT-9999"})
    assert RiskDocumentLink.objects.count() == 1
    client.post(f"/ros/{item.assessment_id}/risiko/{item.pk}/dokument/{document.pk}/fjern/")
    assert not RiskDocumentLink.objects.exists()


def test_a_document_the_user_cannot_see_cannot_be_linked(org, item):
    document = document_services.create_document(
        org.leader_b1,
        document_services.DocumentData(title="Utkast i B1", unit=org.unit_b1),
    )
    with pytest.raises(PermissionDenied):
        services.link_document(actor=org.leader_a1, item=item, document=document)


def test_link_a_deviation_and_the_deviation_page_shows_the_risk(org, client_for, item):
    from django.utils import timezone

    from deviations import services as deviation_services

    deviation = deviation_services.report_deviation(
        reporter=org.employee_a1,
        unit=org.unit_a1,
        kind="deviation",
        title="Feil medisin gitt til beboer",
        description="Forveksling av poser",
        occurred_at=timezone.now(),
    )
    client = client_for(org.leader_a1)
    client.post(
        f"/ros/{item.assessment_id}/risiko/{item.pk}/avvik/", {"deviation": deviation.number}
    )
    assert item.deviation_links.filter(deviation=deviation).exists()
    page = client.get(deviation.get_absolute_url()).content.decode()
    assert "Koblede risikoforhold" in page and item.hazard in page
    # The sibling leader sees neither the deviation nor the risk.
    assert client_for(org.leader_b1).get(deviation.get_absolute_url()).status_code == 404

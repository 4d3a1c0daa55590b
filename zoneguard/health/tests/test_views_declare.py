"""The phone form behind the QR poster: public, Chinese, remembers the person by a signed cookie."""

from django.test import Client

from zoneguard.health.models import Declaration
from zoneguard.health.views import DECLARANT_COOKIE
from zoneguard.testing import valid_id_number


def form_data(**overrides):
    data = {
        "name": "李明",
        "id_number": valid_id_number(area="110101", seq=601),
        "phone": "13912345678",
        "temperature": "36.5",
        "contact_with_case": "no",
    }
    data.update(overrides)
    return data


def test_the_form_opens_without_sign_in_in_chinese(zone, rules):
    response = Client().get(f"/health/d/{zone.site_a.code}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "健康申报" in page
    assert "企业甲" in page


def test_a_wrong_code_is_404(zone, rules):
    assert Client().get("/health/d/nope/").status_code == 404


def test_submitting_shows_the_green_card_and_remembers_the_person(zone, rules):
    client = Client()
    number = valid_id_number(area="110101", seq=602)
    response = client.post(f"/health/d/{zone.site_a.code}/", form_data(id_number=number))
    assert response.status_code == 302
    declaration = Declaration.objects.get()
    assert response["Location"] == f"/health/card/{declaration.card_code}/"
    cookie = response.cookies[DECLARANT_COOKIE].value
    assert number not in cookie
    card = client.get(response["Location"]).content.decode()
    assert 'data-status="green"' in card
    assert "李*" in card
    # Next time the form knows who is declaring: the ID number may be left empty.
    page = client.get(f"/health/d/{zone.site_a.code}/").content.decode()
    assert 'value="李明"' in page
    assert number[:6] + "********" + number[-4:] in page
    assert number not in page
    response = client.post(f"/health/d/{zone.site_a.code}/", form_data(id_number="", temperature="37.5"))
    assert response.status_code == 302
    assert Declaration.objects.filter(person=declaration.person).count() == 2


def test_a_tampered_cookie_is_ignored(zone, rules):
    client = Client()
    client.cookies[DECLARANT_COOKIE] = str(zone.staff_a[0].pk)
    page = client.get(f"/health/d/{zone.site_a.code}/").content.decode()
    assert zone.staff_a[0].masked_id_number not in page


def test_errors_show_beside_the_fields(zone, rules):
    response = Client().post(f"/health/d/{zone.site_a.code}/", form_data(phone="123", temperature="50"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "11 位" in page or "手机号" in page
    assert not Declaration.objects.exists()


def test_officers_see_declarations_masked_and_outsiders_see_none(zone, rules, client_for):
    Client().post(f"/health/d/{zone.site_a.code}/", form_data())
    page = client_for("admin_a").get("/health/declarations/").content.decode()
    assert "李*" in page and "139****5678" in page and "13912345678" not in page
    assert "李*" not in client_for("admin_b").get("/health/declarations/").content.decode()

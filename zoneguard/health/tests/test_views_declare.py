"""The phone form behind the QR poster: public, Chinese, remembers the person by a signed cookie."""

import re

from django.test import Client, RequestFactory
from django.utils import timezone

from zoneguard.health.cards import card_path
from zoneguard.health.models import Declaration, Restriction
from zoneguard.health.views import DECLARANT_COOKIE, DECLARANT_SALT
from zoneguard.testing import make_person, valid_id_number


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
    assert response["Location"] == card_path(declaration.card_code)
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


CARD_PATH = r"^/health/card/[A-Za-z0-9_-]{16}/[A-Za-z0-9_-]{43}/$"


def _without_variable_parts(page, *numbers):
    """A page with what differs between any two declarations blanked: the QR code and the card's
    address, the CSRF token, the masked ID number typed."""
    page = re.sub(r'<div class="card-qr">.*?</div>', "", page, flags=re.S)
    page = re.sub(r"/health/card/[^/\"]+/[^/\"]+/", "/health/card/…/", page)
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)
    page = re.sub(r'"X-CSRFToken": "[^"]+"', "", page)
    for number in numbers:
        page = page.replace(number[:6] + "********" + number[-4:], "(masked)")
    return page


def _cookie_attributes(response):
    return {name: {k: v for k, v in morsel.items() if k != "expires"} for name, morsel in response.cookies.items()}


def test_the_form_answers_a_registered_and_an_unregistered_number_alike(zone, rules):
    registered_number = zone.staff_a[0].id_number
    unregistered_number = valid_id_number(area="110101", seq=610)
    visits = []
    for number in (registered_number, unregistered_number):
        client = Client()
        response = client.post(f"/health/d/{zone.site_a.code}/", form_data(id_number=number))
        card = client.get(response["Location"])
        again = client.get(f"/health/d/{zone.site_a.code}/")
        visits.append(
            {
                "status": response.status_code,
                "location": re.sub(
                    r"^/health/card/[A-Za-z0-9_-]{16}/[A-Za-z0-9_-]{43}/$", "card", response["Location"]
                ),
                "cookies": _cookie_attributes(response),
                "card": (card.status_code, _without_variable_parts(card.content.decode())),
                "form again": (again.status_code, _without_variable_parts(again.content.decode(), number)),
            }
        )
    assert visits[0]["status"] == 302
    assert visits[0]["location"] == "card"
    assert set(visits[0]["cookies"]) == {DECLARANT_COOKIE}
    assert visits[0] == visits[1]
    # The phone remembers what was typed on it, not the registered person's name.
    assert 'value="李明"' in visits[0]["form again"][1]
    assert "甲员工0" not in visits[0]["form again"][1]
    # The declaration under the registered number speaks for nobody.
    assert Declaration.objects.get(person=zone.staff_a[0]).identity_verified is False


def test_a_declaration_under_someone_else_s_number_remembers_only_what_was_typed(zone, rules):
    staff = zone.staff_a[0]
    client = Client()
    client.post(f"/health/d/{zone.site_a.code}/", form_data(name="冒名者", id_number=staff.id_number))
    page = client.get(f"/health/d/{zone.site_a.code}/").content.decode()
    assert 'value="冒名者"' in page and 'value="13912345678"' in page
    assert staff.name not in page and staff.phone not in page
    client.post(f"/health/d/{zone.site_a.code}/", form_data(name="冒名者", id_number=""))
    assert list(Declaration.objects.filter(person=staff).values_list("identity_verified", flat=True)) == [False, False]


def test_the_form_s_answers_carry_no_id_of_ours(zone, rules):
    client = Client()
    response = client.post(f"/health/d/{zone.site_a.code}/", form_data())
    declaration = Declaration.objects.get()
    request = RequestFactory().get("/")
    request.COOKIES[DECLARANT_COOKIE] = response.cookies[DECLARANT_COOKIE].value
    assert request.get_signed_cookie(DECLARANT_COOKIE, salt=DECLARANT_SALT) == declaration.card_code
    assert not any(part.isdigit() for part in response["Location"].strip("/").split("/"))


def test_a_flood_of_the_form_is_answered_with_a_page_saying_when_to_try_again(zone, rules, rate_clock, settings):
    settings.RATE_LIMIT_DECLARATIONS_PER_ADDRESS = 3
    url = f"/health/d/{zone.site_a.code}/"
    client = Client(REMOTE_ADDR="203.0.113.5")
    statuses = [
        client.post(url, form_data(id_number=valid_id_number(area="110101", seq=620 + n))).status_code for n in range(4)
    ]
    assert statuses == [302, 302, 302, 429]
    assert Declaration.objects.count() == 3
    refused = client.post(url, form_data())
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    page = refused.content.decode()
    assert "请稍后再试" in page and "请在 10:10 之后再试" in page
    english = Client(REMOTE_ADDR="203.0.113.5", HTTP_ACCEPT_LANGUAGE="en").post(url, form_data()).content.decode()
    assert "Please try again after 10:10." in english
    # The form still opens, and another address still declares.
    assert client.get(url).status_code == 200
    assert Client(REMOTE_ADDR="198.51.100.9").post(url, form_data()).status_code == 302


def test_a_person_held_at_the_gates_sees_it_on_their_card_and_nobody_else_learns_it(zone, rules, client_for):
    held = make_person(name="王芳", id_number=valid_id_number(area="110101", seq=603))
    Restriction.objects.create(person=held, kind="home_isolation", started_at=timezone.now())
    own = Client().post(f"/health/d/{zone.site_a.code}/", form_data(name="王芳", id_number=held.id_number))
    card = Client().get(own["Location"]).content.decode()
    assert 'data-status="held"' in card and "禁止通行" in card and "居家隔离" in card
    # Someone who knows the ID number but not the registered name is answered like anyone else.
    other = Client().post(f"/health/d/{zone.site_a.code}/", form_data(name="李明", id_number=held.id_number))
    card = Client().get(other["Location"]).content.decode()
    assert 'data-status="green"' in card and "居家隔离" not in card
    # The officers' list marks the declarations of a held person.
    page = client_for("admin_a").get("/health/declarations/").content.decode()
    assert page.count("卡口管控中") == 2


def test_a_red_status_is_not_cleared_by_declaring_again_at_once(zone, rules):
    person = make_person(name="赵磊", id_number=valid_id_number(area="110101", seq=605))
    url = f"/health/d/{zone.site_a.code}/"
    Client().post(url, form_data(name="赵磊", id_number=person.id_number, temperature="38.9"))
    first = Declaration.objects.get(person=person)
    assert first.status == "red"
    again = Client().post(url, form_data(name="赵磊", id_number=person.id_number, temperature="36.5"))
    card = Client().get(again["Location"]).content.decode()
    second = Declaration.objects.filter(person=person).latest("pk")
    assert (second.status, second.valid_until, second.reasons) == ("red", first.valid_until, first.reasons)
    assert 'data-status="red"' in card
    # Someone else's form with the same ID number is answered on its own answers, and changes nothing.
    other = Client().post(url, form_data(name="李明", id_number=person.id_number, temperature="36.5"))
    assert 'data-status="green"' in Client().get(other["Location"]).content.decode()


def test_every_mistake_shows_at_once_not_in_waves(zone, rules):
    """A missing phone and an impossible date used to hide the wrong ID check digit and the
    contact without a phone until the next submission."""
    good = valid_id_number(area="110101", seq=611)
    wrong_check_digit = good[:17] + ("0" if good[17] != "0" else "1")
    data = form_data(
        id_number=wrong_check_digit,
        phone="",
        travel_0_place="长沙",
        travel_0_from="9999-01-01",
        contacts_0_name="李二",
    )
    response = Client().post(f"/health/d/{zone.site_a.code}/", data)
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"id_number", "phone", "travel_0_from", "contacts_0_phone"}
    # One message per mistake: the service's own "give the dates" for the row the form already
    # flagged is not added, nor a second one for the empty phone.
    assert len(form.errors["phone"]) == 1
    assert "travel_0_to" not in form.errors
    page = response.content.decode()
    assert 'value="李二"' in page and 'value="长沙"' in page
    assert not Declaration.objects.exists()

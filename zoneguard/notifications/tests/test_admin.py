"""The admin's delivery rule form: built without Django's warning about URL schemes."""

import warnings

from django.test import Client

from zoneguard.accounts.models import User


def test_the_rule_form_assumes_https_without_a_warning(db):
    client = Client()
    client.force_login(User.objects.create_superuser(username="root", password="pw-root-admin"))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        page = client.get("/admin/notifications/deliveryrule/add/")
    assert page.status_code == 200
    assert [str(w.message) for w in caught] == []

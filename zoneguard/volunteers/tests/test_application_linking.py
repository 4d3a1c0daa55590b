"""An application links a volunteer account to the community's record of the person by ID number:
knowing someone's ID number must not open their record to whoever applies with it."""

import json

from zoneguard.testing import valid_id_number


def _post(client, path, body):
    return client.post(path, data=json.dumps(body), content_type="application/json")


def test_an_applicant_reads_a_linked_record_masked_until_a_worker_approves(zone, api_for, client_for):
    worker = api_for("community_worker")
    id_number = valid_id_number(seq=417)
    registered = _post(
        worker,
        "/api/v1/volunteers",
        {"community_id": zone.community.pk, "name": "王芳", "id_number": id_number, "phone": "13912345678"},
    )
    assert registered.status_code == 201, registered.content
    # Another person with a volunteer account, who only knows the ID number.
    applicant = api_for("volunteer")
    applied = _post(
        applicant, "/api/v1/volunteers", {"community_id": zone.community.pk, "name": "冒名", "id_number": id_number}
    )
    assert applied.status_code == 201, applied.content
    pk = applied.json()["id"]
    body = applicant.get(f"/api/v1/volunteers/{pk}").json()
    assert "13912345678" not in json.dumps(body, ensure_ascii=False), json.dumps(body, ensure_ascii=False)
    assert body["name"] != "王芳", body
    page = client_for("volunteer").get(f"/volunteers/{pk}/").content.decode()
    assert "13912345678" not in page and "王芳" not in page
    # Once a worker has confirmed the account is the volunteer's, it reads its record in full.
    assert _post(worker, f"/api/v1/volunteers/{pk}/approve", {}).status_code == 200
    assert applicant.get(f"/api/v1/volunteers/{pk}").json()["phone"] == "13912345678"

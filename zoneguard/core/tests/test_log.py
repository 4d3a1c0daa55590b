"""What the project writes to the log: no warning for input a user or device is told to correct."""

import logging


def test_an_answer_with_invalid_input_is_not_a_warning_but_a_missing_page_is(zone, api_for, client_for, caplog):
    with caplog.at_level(logging.INFO, logger="django.request"):
        invalid = api_for("gate_a").post("/api/v1/checkins", {"items": "x"}, content_type="application/json")
        missing = client_for("commander").get("/no-such-page/")
    assert (invalid.status_code, missing.status_code) == (422, 404)
    assert [r.getMessage() for r in caplog.records if r.name == "django.request"] == ["Not Found: /no-such-page/"]

import pytest

from zoneguard.notifications import services


@pytest.fixture
def robot(monkeypatch):
    """A stand-in group robot that records what it receives and answers like WeCom/DingTalk."""
    calls = []
    answers = []

    def post_json(url, payload, *, timeout):
        calls.append((url, payload))
        if answers:
            answer = answers.pop(0)
            if isinstance(answer, Exception):
                raise answer
            return answer
        return {"errcode": 0, "errmsg": "ok"}

    monkeypatch.setattr(services, "post_json", post_json)
    return calls, answers

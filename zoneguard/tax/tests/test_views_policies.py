"""The policy library's pages: an answer sent once and shown to the enterprise that asked, a question
too long kept as typed, a validity out of order said beside its field, difficulties described."""

from zoneguard.tax import services
from zoneguard.tax.models import Policy, Question, TaxProfile

from .test_services_eligibility import make_policy


def asked(tax, text="需要哪些资料？"):
    zone = tax.zone
    policy = make_policy(tax, publish=True)
    return services.question_ask(actor=zone.admin_a, policy=policy, organisation=zone.enterprise_a, question=text)


def test_an_answer_is_sent_once_and_a_second_post_is_refused(tax, client_for):
    question = asked(tax)
    officer = client_for("taxofficer")
    path = f"/tax/questions/{question.pk}/"
    assert officer.post(path, {"answer": "财务报表", "publish": "on"}).status_code == 302
    page = officer.get(path).content.decode()
    assert "财务报表" in page and 'name="answer"' not in page  # the form is gone
    again = officer.post(path, {"answer": "改过的答复"}, follow=True)
    assert again.redirect_chain == [(path, 302)] and "该问题已答复。" in again.content.decode()
    kept = Question.objects.get()
    assert (kept.answer, kept.is_faq) == ("财务报表", True)


def test_only_the_tax_officer_answers(tax, client_for):
    question = asked(tax)
    assert client_for("admin_a").post(f"/tax/questions/{question.pk}/", {"answer": "x"}).status_code == 404
    assert client_for("admin_b").get(f"/tax/questions/{question.pk}/").status_code == 404
    assert Question.objects.get().answer == ""


def test_the_enterprise_that_asked_reads_the_answer_on_the_policy_page(tax, client_for):
    question = asked(tax)
    services.question_answer(actor=tax.officer, question=question, answer="请携带近三个月财务报表")
    own = client_for("admin_a").get(f"/tax/policies/{question.policy_id}/").content.decode()
    assert "已答复" in own and "请携带近三个月财务报表" in own
    # Not published as FAQ: another enterprise sees neither the question nor the answer.
    other = client_for("admin_b").get(f"/tax/policies/{question.policy_id}/").content.decode()
    assert "请携带近三个月财务报表" not in other and "需要哪些资料？" not in other


def test_a_question_too_long_says_the_limit_and_keeps_the_text(tax, client_for):
    zone = tax.zone
    policy = make_policy(tax, publish=True)
    client = client_for("admin_a")
    text = "问" * 2001
    response = client.post(
        f"/tax/policies/{policy.pk}/ask/", {"organisation": zone.enterprise_a.pk, "question": text}, follow=True
    )
    page = response.content.decode()
    assert "问题请控制在2000字以内。" in page and "请填写您的问题。" not in page
    assert text in page  # back in the form, not to be typed again
    assert not Question.objects.exists()
    # Shown once: the next visit has an empty form.
    assert text not in client.get(f"/tax/policies/{policy.pk}/").content.decode()


def test_a_validity_out_of_order_is_said_beside_the_field(tax, client_for):
    data = {
        "title": "困难企业延期缴纳",
        "category": tax.category.pk,
        "issuer": "国家税务总局湖南省税务局",
        "valid_from": "2020-02-10",
        "valid_until": "2020-02-01",
        "text": "全文",
    }
    officer = client_for("taxofficer")
    response = officer.post("/tax/policies/new/", data)
    assert response.status_code == 200 and not Policy.objects.exists()
    assert response.context["form"].errors == {"valid_until": ["有效期至不能早于生效日期。"]}
    assert "填写的内容相互矛盾" not in response.content.decode()
    policy = make_policy(tax)
    edit = officer.post(f"/tax/policies/{policy.pk}/edit/", {**data, "valid_from": "2020-02-10"})
    assert edit.context["form"].errors == {"valid_until": ["有效期至不能早于生效日期。"]}


def test_difficulties_reported_are_described_on_the_profile_page(tax, client_for):
    zone = tax.zone
    client = client_for("admin_a")
    path = f"/tax/taxpayers/{zone.enterprise_a.pk}/profile/"
    response = client.post(path, {"taxpayer_type": "general", "hardship_reported": "on", "hardship_note": ""})
    assert response.context["form"].errors == {"hardship_note": ["已报告经营困难的，请填写困难情况。"]}
    assert not TaxProfile.objects.exists()
    assert client.post(path, {"hardship_reported": "on", "hardship_note": "门店停业"}).status_code == 302
    assert TaxProfile.objects.get().hardship_note == "门店停业"
    assert client_for("admin_b").post(path, {"hardship_note": "x"}).status_code == 404


def test_the_home_tile_opens_the_questions_still_to_answer(tax, client_for):
    asked(tax)
    home = client_for("taxofficer").get("/").content.decode()
    assert 'href="/tax/questions/?answered=no"' in home


def test_withdrawing_a_policy_not_published_is_refused_with_a_message(tax, client_for):
    draft = make_policy(tax)
    officer = client_for("taxofficer")
    path = f"/tax/policies/{draft.pk}/"
    refused = officer.post(f"{path}withdraw/", follow=True)
    assert refused.redirect_chain == [(path, 302)] and "从未发布" in refused.content.decode()
    assert Policy.objects.get(pk=draft.pk).status == "draft"
    assert client_for("admin_a").post(f"{path}withdraw/").status_code in {403, 404}
    assert Policy.objects.get(pk=draft.pk).status == "draft"

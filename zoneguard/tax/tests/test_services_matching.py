"""Push: each enterprise newly eligible for a published policy is notified once, whether the
policy was published, edited, or the enterprise's facts changed."""

from datetime import date, timedelta

from django.utils import timezone

from zoneguard.core.events import organisation_changed
from zoneguard.notifications.models import Notification
from zoneguard.registry import services as registry_services
from zoneguard.registry.models import Organisation
from zoneguard.tax import services
from zoneguard.tax.models import PolicyMatch

from .test_services_eligibility import make_policy


def pushed(user, policy=None):
    qs = Notification.objects.filter(recipient=user, source_type="tax.policy")
    return qs.filter(source_id=str(policy.pk)) if policy else qs


def test_publishing_notifies_each_eligible_enterprise_once(tax):
    zone = tax.zone
    policy = make_policy(tax, ("sector", "eq", "manufacturing"))
    assert not pushed(zone.admin_a).exists()  # a draft tells nobody
    services.policy_publish(actor=tax.officer, policy=policy)
    notification = pushed(zone.admin_a, policy).get()
    assert notification.title == f"适用贵单位的税费优惠政策：{policy.title}"
    assert notification.link == f"/tax/policies/{policy.pk}/"
    assert pushed(zone.admin_b, policy).count() == 1
    assert not pushed(zone.officer_a).exists()
    services.policy_withdraw(actor=tax.officer, policy=policy)
    services.policy_publish(actor=tax.officer, policy=policy)
    services.policy_update(actor=tax.officer, policy=policy, data={"summary": "新摘要"})
    assert pushed(zone.admin_a, policy).count() == 1
    assert pushed(zone.admin_b, policy).count() == 1


def test_editing_conditions_notifies_the_newly_eligible_only(tax):
    zone = tax.zone
    policy = make_policy(tax, ("total_staff", "gte", "10"), publish=True)
    assert pushed(zone.admin_a, policy).count() == 1
    assert not pushed(zone.admin_b, policy).exists()
    condition = policy.conditions.get()
    services.condition_remove(actor=tax.officer, condition=condition)
    services.condition_add(actor=tax.officer, policy=policy, fact="total_staff", operator="gte", value="5")
    assert pushed(zone.admin_a, policy).count() == 1
    assert pushed(zone.admin_b, policy).count() == 1


def test_a_registry_change_makes_an_enterprise_newly_eligible(tax):
    zone = tax.zone
    policy = make_policy(tax, ("total_staff", "gte", "50"), publish=True)
    assert not pushed(zone.admin_b).exists()
    registry_services.organisation_update(
        actor=zone.commander, organisation=zone.enterprise_b, data={"total_staff": 60}
    )
    assert pushed(zone.admin_b, policy).count() == 1
    # It drops out and comes back: it has been told already.
    registry_services.organisation_update(actor=zone.commander, organisation=zone.enterprise_b, data={"total_staff": 6})
    assert not PolicyMatch.objects.get(policy=policy, organisation=zone.enterprise_b).is_eligible
    registry_services.organisation_update(
        actor=zone.commander, organisation=zone.enterprise_b, data={"total_staff": 70}
    )
    assert PolicyMatch.objects.get(policy=policy, organisation=zone.enterprise_b).is_eligible
    assert pushed(zone.admin_b, policy).count() == 1


def test_a_new_enterprise_is_told_about_policies_for_every_taxpayer(tax):
    policy = make_policy(tax, publish=True)
    organisation = registry_services.organisation_create(
        actor=tax.zone.commander, data={"name": "新企业", "kind": "enterprise"}
    )
    assert PolicyMatch.objects.filter(policy=policy, organisation=organisation, notified_at__isnull=False).exists()


def test_the_tax_profile_is_kept_by_the_enterprise_and_its_facts_are_matched(tax):
    zone = tax.zone
    policy = make_policy(tax, ("hardship_reported", "is_true", None), publish=True)
    assert not pushed(zone.admin_a).exists()
    services.tax_profile_update(
        actor=zone.admin_a, organisation=zone.enterprise_a, data={"hardship_reported": True, "hardship_note": "停产"}
    )
    assert pushed(zone.admin_a, policy).count() == 1
    services.tax_profile_update(actor=tax.officer, organisation=zone.enterprise_a, data={"taxpayer_type": "general"})
    assert pushed(zone.admin_a, policy).count() == 1


def test_a_resumption_state_change_announced_by_its_module_is_matched(tax, resumption_fact):
    zone = tax.zone
    policy = make_policy(tax, ("resumption_state", "eq", "resumed"), publish=True)
    assert not pushed(zone.admin_a).exists()
    resumption_fact[zone.enterprise_a.pk] = "resumed"
    organisation_changed.send(
        sender=Organisation, organisation_id=zone.enterprise_a.pk, facts=frozenset({"resumption_state"})
    )
    assert pushed(zone.admin_a, policy).count() == 1
    organisation_changed.send(
        sender=Organisation, organisation_id=zone.enterprise_a.pk, facts=frozenset({"resumption_state"})
    )
    assert pushed(zone.admin_a, policy).count() == 1
    assert not pushed(zone.admin_b).exists()


def test_an_expired_policy_is_not_pushed(tax):
    zone = tax.zone
    policy = make_policy(tax)
    services.policy_update(
        actor=tax.officer, policy=policy, data={"valid_until": timezone.localdate() - timedelta(days=1)}
    )
    services.policy_publish(actor=tax.officer, policy=policy)
    assert not pushed(zone.admin_a).exists()


def test_only_tax_officers_edit_policies(tax):
    zone = tax.zone
    import pytest

    from zoneguard.core.errors import Forbidden

    for user in (zone.officer_a, zone.admin_a, zone.commander):
        with pytest.raises(Forbidden):
            services.policy_create(
                actor=user,
                data={
                    "title": "x",
                    "category": tax.category,
                    "issuer": "x",
                    "valid_from": date(2020, 1, 1),
                    "text": "x",
                },
            )

"""The check-in path judges scope on the loaded organisation (no query); it must agree with the
query-side rule for every user and organisation."""

from zoneguard.registry import scoping
from zoneguard.registry.models import Organisation


def test_organisation_in_scope_agrees_with_organisation_q(zone):
    organisations = list(Organisation.objects.all())
    for username, user in zone.users.items():
        visible = set(Organisation.objects.filter(scoping.organisation_q(user)).values_list("pk", flat=True))
        for organisation in organisations:
            assert scoping.organisation_in_scope(user, organisation) == (organisation.pk in visible), (
                username,
                organisation.name,
            )

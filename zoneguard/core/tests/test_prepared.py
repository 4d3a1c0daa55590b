"""Queries compiled once give what the queryset gives, with the values of each call."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from zoneguard.core.prepared import Prepared
from zoneguard.registry.models import Site


def test_it_returns_model_instances_with_related_objects(zone):
    by_pk = Prepared(lambda pk: Site.objects.filter(pk=pk).select_related("organisation"), kinds=(int,))
    for site in (zone.site_a, zone.site_b):
        with CaptureQueriesContext(connection) as queries:
            (found,) = by_pk(site.pk)
            assert found.organisation.name == site.organisation.name
        assert len(queries) == 1
        assert found == site and found.created_at == site.created_at
    assert by_pk(10**9) == []


def test_it_returns_value_tuples(zone):
    names = Prepared(lambda code: Site.objects.filter(code=code).values_list("name", "organisation__name"))
    assert names(zone.site_b.code) == [("大门", "企业乙")]

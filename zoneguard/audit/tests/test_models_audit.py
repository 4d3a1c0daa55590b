"""How the audit log shows an event to its readers: the kind of object by its name, the detail as
text rather than Python's notation."""

from zoneguard.audit.forms import AuditFilterForm
from zoneguard.audit.models import AuditEvent


def event(**fields):
    return AuditEvent(action="update", object_id="7", actor_name="admin_a", **fields)


def test_the_kind_of_object_is_named_as_users_call_it(db):
    assert event(object_type="registry.organisation").object_label == "单位"
    assert event(object_type="gone.model").object_label == "gone.model"  # a kind since removed
    assert event(object_type="not a model name").object_label == "not a model name"


def test_the_detail_reads_as_text():
    shown = event(
        object_type="registry.person",
        detail={"fields": ["id_number", "phone"], "purpose": "volunteer page", "task": None, "note": ""},
    ).detail_text
    assert shown == "fields: id_number、phone; purpose: volunteer page"


def test_an_update_shows_each_change_before_and_after():
    shown = event(object_type="registry.organisation", detail={"changes": {"address": ["", "长湖街1号"]}}).detail_text
    assert shown == "changes: address: — → 长湖街1号"


def test_the_filter_names_each_kind_of_object(db):
    form = AuditFilterForm(object_types=["registry.person", "registry.organisation"])
    assert ("registry.person", "人员 · registry.person") in form.fields["object_type"].choices

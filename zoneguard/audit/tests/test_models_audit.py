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


def test_the_detail_reads_as_text_in_the_readers_words():
    shown = event(
        object_type="registry.person",
        detail={"fields": ["id_number", "phone"], "purpose": "volunteer_page", "task": None, "note": ""},
    ).detail_text
    assert shown == "字段: 身份证号、手机号; 用途: 志愿者页面"


def test_every_purpose_the_modules_record_is_said_in_words():
    import re
    from pathlib import Path

    from zoneguard.audit.models import DETAIL_VALUES

    root = Path(__file__).resolve().parents[2]
    recorded = {
        purpose
        for path in root.rglob("*.py")
        if "tests" not in path.parts
        for purpose in re.findall(r'purpose="([^"]+)"', path.read_text(encoding="utf-8"))
    }
    assert recorded and not recorded - set(DETAIL_VALUES["purpose"])


def test_an_update_shows_each_change_before_and_after():
    shown = event(object_type="registry.organisation", detail={"changes": {"address": ["", "长湖街1号"]}}).detail_text
    assert shown == "地址: — → 长湖街1号"


def test_choices_yes_or_no_and_linked_records_are_shown_as_a_form_shows_them():
    shown = event(
        object_type="isolation.isolationcase",
        detail={"changes": {"status": ["active", "released"], "worker": [None, 12]}, "masked": True},
    ).detail_text
    assert shown.startswith("状态: 隔离中 → 已解除, "), shown
    assert ": — → #12; " in shown and shown.endswith("; 已遮蔽: 是"), shown


def test_keys_and_values_no_model_knows_are_shown_as_stored():
    shown = event(object_type="gone.model", detail={"changes": {"colour": ["red", "blue"]}, "zone": 3}).detail_text
    assert shown == "colour: red → blue; zone: 3"


def test_the_codes_modules_record_are_said_in_words(db):
    shown = event(
        object_type="supervision.meeting",
        detail={"action": "decision_item", "department": 1, "source": "gates.feveralert#3", "purpose": "person_detail"},
    ).detail_text
    assert shown == "操作: 决定转为督办事项; 部门: #1; 来源: 发热预警 #3; 用途: 人员详情页"


def test_the_filter_names_each_kind_of_object(db):
    form = AuditFilterForm(object_types=["registry.person", "registry.organisation"])
    assert ("registry.person", "人员") in form.fields["object_type"].choices


def test_a_time_reads_in_the_zone_s_time_to_the_minute():
    change = {"checked_in_at": [None, "2026-12-04T22:57:07.224900+00:00"]}
    shown = event(object_type="volunteers.signup", detail={"changes": change}).detail_text
    assert shown.endswith("— → 2026-12-05 06:57")

"""Django's own form messages read as ZoneGuard's (core/form_messages.py), in every module's forms."""

from decimal import Decimal

from django import forms
from django.utils import translation


class _Form(forms.Form):
    name = forms.CharField(max_length=5)
    email = forms.EmailField()
    amount = forms.DecimalField(max_digits=4, decimal_places=1)
    kind = forms.ChoiceField(choices=[("a", "A")])


def test_they_are_worded_in_zoneguard_s_chinese():
    with translation.override("zh-hans"):
        form = _Form({"name": "长长长长长长", "email": "not-an-address", "amount": "123.45", "kind": "mine"})
        assert not form.is_valid()
        errors = {field: str(messages[0]) for field, messages in form.errors.items()}
    assert errors["name"] == "最多填写 5 个字（现有 6 个）。"
    assert errors["email"] == "请输入有效的电子邮箱地址。"
    assert errors["amount"] in ("数字总共不能超过 4 位。", "小数不能超过 1 位。")
    assert errors["kind"] == "请从列表中选择：mine 不是可选的选项。"
    assert not any(message.endswith(".") for message in errors.values())


def test_english_stays_django_s():
    with translation.override("en"):
        form = _Form({"name": "x", "email": "x@example.com", "amount": Decimal("1.25"), "kind": "a"})
        assert not form.is_valid()
        assert str(form.errors["amount"][0]) == "Ensure that there are no more than 1 decimal place."

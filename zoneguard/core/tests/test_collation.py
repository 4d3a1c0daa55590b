"""Names sort by pinyin on both databases and in Python: 阿 (a) before 衡 (heng) before 李 (li)
before 张 (zhang); Latin letters first; the reverse with .desc()."""

import pytest

from zoneguard.core.collation import PinyinOrder, pinyin_key
from zoneguard.registry.models import Organisation, Sector
from zoneguard.registry.selectors import organisation_list

PINYIN = ["Apple", "阿明", "衡阳", "湖南", "李四", "张三"]  # a, heng, hu, li, zhang
SHUFFLED = ["张三", "李四", "Apple", "衡阳", "阿明", "湖南"]


@pytest.fixture
def sectors(db):
    for i, name in enumerate(SHUFFLED):
        Sector.objects.create(code=f"pinyin-{i}", name=name)
    return Sector.objects.filter(code__startswith="pinyin-")


def test_the_database_orders_by_pinyin(sectors):
    assert list(sectors.order_by(PinyinOrder("name")).values_list("name", flat=True)) == PINYIN
    assert list(sectors.order_by(PinyinOrder("name").desc()).values_list("name", flat=True)) == PINYIN[::-1]


def test_python_orders_the_same_way():
    assert sorted(SHUFFLED, key=pinyin_key) == PINYIN


def test_甲_comes_before_乙_although_its_code_point_is_higher():
    assert "甲" > "乙"
    assert sorted(["企业乙", "企业甲"], key=pinyin_key) == ["企业甲", "企业乙"]


def test_the_organisation_list_is_in_pinyin_order(zone):
    names = [o.name for o in organisation_list(actor=zone.commander)]
    assert names == sorted(names, key=pinyin_key)
    assert names.index("企业甲") < names.index("企业乙")
    assert list(Organisation.objects.values_list("name", flat=True)) == names  # the model's default order too

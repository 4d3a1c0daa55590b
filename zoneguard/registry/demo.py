"""Registry part of the demo zone (see zoneguard/demo/builder.py)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from .models import (
    CompetenceRule,
    Department,
    Membership,
    Organisation,
    OrganisationKind,
    Person,
    Sector,
    Site,
    SiteKind,
    default_dwell_minutes,
)
from .validators import credit_code_check_char, id_number_check_char

DEPARTMENTS = [
    ("jingfa", "经发局", "经济发展：企业复工复产、商贸与市场"),
    ("jianshe", "建设局", "在建项目复工与工地防疫"),
    ("zhaoshang", "招商局", "招商引资与科技企业服务"),
    ("guihua", "规划局", "规划与项目审批"),
    ("zhengshou", "征收办", "征地拆迁与项目用地"),
    ("caizheng", "财政局", "财政资金与项目拨款"),
    ("shuiwu", "税务局", "纳税服务、优惠政策与延期缴纳"),
    ("shiwu", "社会事务局", "疫情防控：流行病学调查、密切接触者管理与居家隔离"),
]

SECTORS = [
    ("manufacturing", "制造业"),
    ("medical", "医疗器械"),
    ("construction", "建筑业"),
    ("retail", "批发零售"),
    ("ict", "信息技术"),
    ("automotive", "汽车销售服务"),
    ("tech_services", "科技服务"),
    ("investment", "投资建设"),
    ("agri_market", "农贸市场"),
    ("catering", "餐饮"),
]

# department → (organisation kind, sector code); "" matches any.
COMPETENCE = [
    ("jingfa", "enterprise", ""),
    ("jingfa", "shop", ""),
    ("jingfa", "market", ""),
    ("jianshe", "building_project", ""),
    ("guihua", "building_project", ""),
    ("zhengshou", "building_project", ""),
    ("caizheng", "building_project", ""),
    ("zhaoshang", "enterprise", "ict"),
    ("zhaoshang", "enterprise", "tech_services"),
    ("shuiwu", "", ""),  # serves every taxpayer (SERVING), supervises none
    ("shiwu", "", ""),
]
SERVING = {"shuiwu"}

COMMUNITIES = ["祥光社区", "青峰社区"]

# name, kind, sector, size, total staff, community, parent, contact
ORGANISATIONS: list[tuple[str, str, str, str, int, str, str, str]] = [
    ("衡阳高新投资(集团)有限公司", "enterprise", "investment", "large", 180, "青峰社区", "", "高投办公室"),
    (
        "新兴金融中心",
        "building_project",
        "construction",
        "large",
        60,
        "青峰社区",
        "衡阳高新投资(集团)有限公司",
        "项目部",
    ),
    (
        "雁鸣溪学校",
        "building_project",
        "construction",
        "medium",
        45,
        "祥光社区",
        "衡阳高新投资(集团)有限公司",
        "项目部",
    ),
    ("高新现代城", "building_project", "construction", "large", 80, "祥光社区", "衡阳高新投资(集团)有限公司", "项目部"),
    (
        "虚拟大学城",
        "building_project",
        "construction",
        "medium",
        40,
        "青峰社区",
        "衡阳高新投资(集团)有限公司",
        "项目部",
    ),
    ("创新中心", "building_project", "construction", "medium", 35, "青峰社区", "衡阳高新投资(集团)有限公司", "项目部"),
    ("总部基地", "building_project", "construction", "medium", 50, "祥光社区", "衡阳高新投资(集团)有限公司", "项目部"),
    ("杉杉奥特莱斯广场", "building_project", "construction", "large", 70, "青峰社区", "", "项目部"),
    ("湖南泓坤医疗器械有限公司", "enterprise", "medical", "medium", 60, "祥光社区", "", "生产部"),
    ("湖南金化科技集团有限公司", "enterprise", "manufacturing", "medium", 132, "祥光社区", "", "常务副总"),
    ("科创智谷孵化器", "enterprise", "tech_services", "small", 25, "青峰社区", "", "运营部"),
    ("泰豪通信", "enterprise", "ict", "medium", 40, "青峰社区", "", "综合部"),
    ("衡阳步步高连锁有限责任公司", "enterprise", "retail", "large", 90, "祥光社区", "", "财务部"),
    ("衡阳铺目科技责任有限公司", "enterprise", "ict", "small", 20, "青峰社区", "", "综合部"),
    ("衡阳富运汽车销售服务有限公司", "enterprise", "automotive", "small", 30, "祥光社区", "", "综合部"),
    ("衡阳中兴网信科技有限公司", "enterprise", "ict", "medium", 55, "青峰社区", "", "综合部"),
    # Five more of the eight companies whose tax payments were deferred (names made up).
    ("衡阳高新电子科技有限公司", "enterprise", "ict", "small", 35, "青峰社区", "", "财务部"),
    ("衡阳雁城物流有限公司", "enterprise", "retail", "small", 28, "祥光社区", "", "财务部"),
    ("湖南衡岳建材有限公司", "enterprise", "manufacturing", "medium", 64, "青峰社区", "", "财务部"),
    ("衡阳华鑫酒店管理有限公司", "enterprise", "catering", "small", 40, "祥光社区", "", "财务部"),
    ("衡阳蒸湘食品有限公司", "enterprise", "manufacturing", "small", 33, "青峰社区", "", "财务部"),
    ("高鑫农贸市场", "market", "agri_market", "medium", 25, "祥光社区", "", "市场管理处"),
    ("君昇市场", "market", "agri_market", "small", 15, "青峰社区", "", "市场管理处"),
    ("三泰市场", "market", "agri_market", "small", 12, "青峰社区", "", "市场管理处"),
    ("长湖街便民超市", "shop", "retail", "micro", 6, "祥光社区", "", "店长"),
    ("长湖街大药房", "shop", "retail", "micro", 5, "祥光社区", "", "店长"),
    ("长湖街湘菜馆", "shop", "catering", "micro", 8, "祥光社区", "", "店长"),
]

SITE_NAMES = {
    "enterprise": ("大门", SiteKind.GATE),
    "building_project": ("工地入口", SiteKind.SITE_ENTRANCE),
    "market": ("市场入口", SiteKind.MARKET_ENTRANCE),
    "shop": ("店门口", SiteKind.SHOP_ENTRANCE),
    "community": ("小区卡口", SiteKind.CHECKPOINT),
}
EXTRA_SITES = [
    ("杉杉奥特莱斯广场", "实名制通道", SiteKind.SITE_ENTRANCE),
    ("湖南金化科技集团有限公司", "东门", SiteKind.GATE),
]

# Members registered per organisation: the enterprises the story names in full; fewer elsewhere.
MEMBERS_PER_KIND = {"enterprise": 24, "building_project": 18, "market": 8, "shop": 3, "community": 12}
FULL_ROSTER = {"湖南金化科技集团有限公司", "湖南泓坤医疗器械有限公司"}

# People the story names: volunteers of "衡阳群众" and an isolated resident.
STORY_PEOPLE = [
    ("刘红梅", "高鑫农贸市场", "志愿者"),
    ("陈艳", "高鑫农贸市场", "志愿者"),
    ("张青葵", "祥光社区", "志愿者"),
    ("胡柏林", "祥光社区", "志愿者"),
    ("欧召应", "青峰社区", "志愿者"),
    ("王芳", "祥光社区", "居民"),
]

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任"
    "沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍鹏辉建国"
    "红梅志宏海波晨阳文斌俊飞雪琳思远佳怡浩然子轩雨涵欣怡梓萱"
)
AREA_CODES = ["430408", "430406", "430407", "430405", "430412", "430421", "430422", "430426", "430482", "430481"]
MOBILE_PREFIXES = ["138", "139", "150", "151", "152", "158", "159", "186", "187", "188", "136", "177", "199"]


def make_credit_code(seq: int) -> str:
    """A made-up but well-formed code: 91 (enterprise), Hengyang 430400, an organisation code with
    its GB 11714 check digit, and the GB 32100 check character."""
    body = f"{73000000 + seq * 7919 % 1000000:08d}"
    total = sum(int(d) * w for d, w in zip(body, (3, 7, 9, 10, 5, 8, 4, 2), strict=True))
    check = 11 - total % 11
    org_code = body + ("X" if check == 10 else "0" if check == 11 else str(check))
    first17 = "91430400" + org_code
    return first17 + credit_code_check_char(first17)


def make_id_number(rng: Any, taken: set[str]) -> str:
    while True:
        born = date(1962, 1, 1) + timedelta(days=rng.randrange(0, 365 * 40))
        first17 = f"{rng.choice(AREA_CODES)}{born:%Y%m%d}{rng.randrange(0, 1000):03d}"
        number = first17 + id_number_check_char(first17)
        if number not in taken:
            taken.add(number)
            return number


def make_name(rng: Any) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))


def make_mobile(rng: Any) -> str:
    return rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(0, 10**8):08d}"


def load(zone: Any) -> None:
    for code, name, description in DEPARTMENTS:
        zone.departments[code], _ = Department.objects.update_or_create(
            code=code, defaults={"name": name, "description": description}
        )
    for code, name in SECTORS:
        zone.sectors[code], _ = Sector.objects.update_or_create(code=code, defaults={"name": name})
    for department, kind, sector in COMPETENCE:
        CompetenceRule.objects.update_or_create(
            department=zone.departments[department],
            organisation_kind=kind,
            sector=zone.sectors[sector] if sector else None,
            defaults={"supervises": department not in SERVING},
        )
    for name in COMMUNITIES:
        zone.organisations[name], _ = Organisation.objects.update_or_create(
            name=name,
            kind=OrganisationKind.COMMUNITY,
            defaults={"address": f"衡阳市高新区{name}", "contact_name": "社区居委会", "total_staff": 12},
        )
    for seq, (name, kind, sector, size, staff, community, parent, contact) in enumerate(ORGANISATIONS, start=1):
        zone.organisations[name], _ = Organisation.objects.update_or_create(
            name=name,
            kind=kind,
            defaults={
                "sector": zone.sectors[sector],
                "size": size,
                "total_staff": staff,
                "credit_code": make_credit_code(seq) if kind != "market" else None,
                "community": zone.organisations[community],
                "parent": zone.organisations.get(parent) if parent else None,
                "address": f"衡阳市高新区{community.replace('社区', '')}片区{seq}号",
                "contact_name": contact,
                "contact_phone": f"0734-88{seq:05d}",
            },
        )
    for organisation in zone.organisations.values():
        site_name, site_kind = SITE_NAMES[organisation.kind]
        zone.sites[f"{organisation.name}·{site_name}"], _ = Site.objects.get_or_create(
            organisation=organisation,
            name=site_name,
            defaults={"kind": site_kind, "default_dwell_minutes": default_dwell_minutes(organisation.kind)},
        )
    for org_name, site_name, site_kind in EXTRA_SITES:
        organisation = zone.organisations[org_name]
        zone.sites[f"{org_name}·{site_name}"], _ = Site.objects.get_or_create(
            organisation=organisation,
            name=site_name,
            defaults={"kind": site_kind, "default_dwell_minutes": default_dwell_minutes(organisation.kind)},
        )
    _load_people(zone)


def _load_people(zone: Any) -> None:
    """Synthetic staff, generated from a fixed seed so that a second run finds the same ID numbers."""
    rng = zone.rng
    taken: set[str] = set()
    wanted: list[tuple[str, str, str, str, str]] = []  # name, id, phone, organisation, position
    for name, org_name, position in STORY_PEOPLE:
        wanted.append((name, make_id_number(rng, taken), make_mobile(rng), org_name, position))
    for organisation in zone.organisations.values():
        count = organisation.total_staff if organisation.name in FULL_ROSTER else MEMBERS_PER_KIND[organisation.kind]
        for i in range(count):
            position = "员工" if organisation.kind != "community" else "居民"
            if i == 0 and organisation.kind != "community":
                position = "负责人"
            wanted.append((make_name(rng), make_id_number(rng, taken), make_mobile(rng), organisation.name, position))
    existing = set(Person.objects.filter(id_number__in=[w[1] for w in wanted]).values_list("id_number", flat=True))
    Person.objects.bulk_create(
        [
            Person(
                name=n,
                id_number=i,
                phone=p,
                birth_date=date(int(i[6:10]), int(i[10:12]), int(i[12:14])),
                registered_by=zone.organisations[o],
            )
            for n, i, p, o, _pos in wanted
            if i not in existing
        ],
        batch_size=500,
    )
    people = {p.id_number: p for p in Person.objects.filter(id_number__in=[w[1] for w in wanted])}
    started = zone.today - timedelta(days=400)
    Membership.objects.bulk_create(
        [
            Membership(
                person=people[i],
                organisation=zone.organisations[o],
                name=n,
                phone=p,
                position=pos,
                started_on=started,
            )
            for n, i, p, o, pos in wanted
        ],
        batch_size=500,
        ignore_conflicts=True,
    )
    for name, number, *_rest in wanted[: len(STORY_PEOPLE)]:
        zone.people[name] = people[number]
    zone.people["staff"] = [people[w[1]] for w in wanted]

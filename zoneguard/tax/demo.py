"""Tax services part of the demo zone (see zoneguard/demo/builder.py): the story's policy push,
the tax hall with slots for the coming days, and the deferrals of 衡阳步步高连锁 (595,646.00 yuan)
and of the eight companies in all (8,271,253.36 yuan)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.db.models import F
from django.utils import timezone

from zoneguard.registry.models import OrganisationKind

from .models import (
    Appointment,
    AppointmentStatus,
    Deferral,
    DeferralEvidence,
    DeferralItem,
    DeferralStatus,
    Hall,
    HallWindow,
    OpeningHours,
    Policy,
    PolicyCategory,
    PolicyCondition,
    PolicyStatus,
    Question,
    Slot,
    TaxProfile,
    TaxType,
)
from .services.deferrals import add_months, default_due_on, default_period
from .services.policies import matches_refresh

TAX_TYPES = [
    ("vat", "增值税"),
    ("consumption", "消费税"),
    ("urban_construction", "城市维护建设税"),
    ("education_surcharge", "教育费附加"),
    ("local_education_surcharge", "地方教育附加"),
    ("stamp", "印花税"),
    ("corporate_income", "企业所得税"),
    ("property", "房产税"),
    ("land_use", "城镇土地使用税"),
]

# The six categories of epidemic relief policy the bureau compiled.
CATEGORIES = [
    ("protection", "支持防护救治"),
    ("supplies", "支持物资供应"),
    ("donations", "鼓励公益捐赠"),
    ("resumption", "支持复工复产"),
    ("small_business", "减轻小微企业负担"),
    ("social_insurance", "减免社会保险费"),
]

TEN_MEASURES = """国家税务总局湖南省税务局疫情防控期间支持企业复工复产十项“税措施”（摘要）：
一、延长申报期限：2月份申报纳税期限延长至2月24日；受疫情影响办理申报仍有困难的，可依法申请进一步延期。
二、依法办理延期缴纳税款：因疫情影响生产经营困难、不能按期缴纳税款的，可依法申请延期缴纳，最长不超过3个月。
三、落实防疫物资生产企业增值税增量留抵税额全额退还政策。
四、落实困难行业企业亏损结转年限延长至8年政策。
五、落实公益捐赠税前全额扣除政策。
六、推行“非接触式”办税，网上办、掌上办、预约办。
七、优化发票领用服务，对疫情防控重点保障企业按需调整发票用量。
八、困难企业可依法申请减免房产税、城镇土地使用税。
九、开通涉税咨询绿色通道，税企微信群在线答疑、远程协助。
十、预约办税、分时分批错峰进厅，减少人员聚集。"""

# title, category, issuer, document number, valid from, summary, text, conditions [(fact, operator, value)]
POLICIES: list[tuple[str, str, str, str, date, str, str, list[tuple[str, str, Any]]]] = [
    (
        "医务人员和防疫工作者临时性工作补助和奖金免征个人所得税",
        "protection",
        "财政部 税务总局",
        "财政部 税务总局公告2020年第10号",
        date(2020, 1, 1),
        "参加疫情防治的医务人员和防疫工作者取得的临时性工作补助和奖金，免征个人所得税。",
        "对参加疫情防治工作的医务人员和防疫工作者按照政府规定标准取得的临时性工作补助和奖金，免征个人所得税。"
        "单位发给个人用于预防新型冠状病毒感染的肺炎的药品、医疗用品和防护用品等实物（不包括现金），不计入工资、薪金收入，免征个人所得税。",
        [("sector", "in", ["medical"])],
    ),
    (
        "疫情防控重点保障物资生产企业增值税增量留抵税额全额退还",
        "supplies",
        "财政部 税务总局",
        "财政部 税务总局公告2020年第8号",
        date(2020, 1, 1),
        "疫情防控重点保障物资生产企业可按月向主管税务机关申请全额退还增值税增量留抵税额。",
        "疫情防控重点保障物资生产企业可以按月向主管税务机关申请全额退还增值税增量留抵税额。"
        "增量留抵税额，是指与2019年12月底相比新增加的期末留抵税额。",
        [("sector", "in", ["medical", "manufacturing"]), ("taxpayer_type", "eq", "general")],
    ),
    (
        "疫情防控重点保障物资生产企业扩大产能购置设备企业所得税一次性扣除",
        "supplies",
        "财政部 税务总局",
        "财政部 税务总局公告2020年第8号",
        date(2020, 1, 1),
        "为扩大产能新购置的相关设备，允许一次性计入当期成本费用在企业所得税税前扣除。",
        "对疫情防控重点保障物资生产企业为扩大产能新购置的相关设备，允许一次性计入当期成本费用在企业所得税税前扣除。",
        [("kind", "eq", "enterprise"), ("sector", "in", ["medical", "manufacturing"])],
    ),
    (
        "企业捐赠用于应对疫情的现金和物品企业所得税税前全额扣除",
        "donations",
        "财政部 税务总局",
        "财政部 税务总局公告2020年第9号",
        date(2020, 1, 1),
        "通过公益性社会组织或者县级以上人民政府及其部门捐赠用于应对疫情的现金和物品，允许在计算应纳税所得额时全额扣除。",
        "企业和个人通过公益性社会组织或者县级以上人民政府及其部门等国家机关，捐赠用于应对新型冠状病毒感染的肺炎疫情的现金和物品，"
        "允许在计算应纳税所得额时全额扣除。企业和个人直接向承担疫情防治任务的医院捐赠用于应对疫情的物品，允许在计算应纳税所得额时全额扣除。",
        [("kind", "eq", "enterprise")],
    ),
    (
        "困难行业企业2020年度发生的亏损最长结转年限延长至8年",
        "resumption",
        "财政部 税务总局",
        "财政部 税务总局公告2020年第8号",
        date(2020, 1, 1),
        "受疫情影响较大的交通运输、餐饮、住宿、旅游等困难行业企业，2020年度亏损最长结转年限由5年延长至8年。",
        "受疫情影响较大的困难行业企业2020年度发生的亏损，最长结转年限由5年延长至8年。"
        "困难行业企业，包括交通运输、餐饮、住宿、旅游（指旅行社及相关服务、游览景区管理两类）四大类。",
        [("sector", "in", ["catering"])],
    ),
    (
        "湖南省税务局疫情防控期间支持企业复工复产十项“税措施”",
        "resumption",
        "国家税务总局湖南省税务局",
        "",
        date(2020, 2, 10),
        "延期申报、延期缴纳、留抵退税、亏损结转、非接触式办税、预约办税等十项措施。",
        TEN_MEASURES,
        [],
    ),
    (
        "受疫情影响生产经营困难的纳税人依法延期缴纳税款",
        "resumption",
        "国家税务总局湖南省税务局",
        "",
        date(2020, 2, 10),
        "因疫情影响生产经营发生严重困难、不能按期缴纳税款的，经批准可延期缴纳，最长不超过3个月。",
        "纳税人因新冠肺炎疫情影响生产经营发生严重困难，不能按期缴纳税款的，可以在缴纳税款期限届满前提出申请，"
        "经省税务局批准，可以延期缴纳税款，但最长不得超过3个月。延期期间不加收滞纳金。"
        "申请时应提交延期缴纳税款申请、当期货币资金余额情况及所有银行存款账户对账单、应付职工工资和社会保险费等支出预算等资料。",
        [("hardship_reported", "is_true", None)],
    ),
    (
        "小规模纳税人增值税征收率由3%降至1%",
        "small_business",
        "财政部 税务总局",
        "财政部 税务总局公告2020年第13号",
        date(2020, 3, 1),
        "除湖北省外，小规模纳税人适用3%征收率的应税销售收入，减按1%征收率征收增值税。",
        "自2020年3月1日起，除湖北省外，其他省、自治区、直辖市的增值税小规模纳税人，适用3%征收率的应税销售收入，减按1%征收率征收增值税；"
        "适用3%预征率的预缴增值税项目，减按1%预征率预缴增值税。",
        [("taxpayer_type", "eq", "small_scale")],
    ),
    (
        "小型微利企业所得税减免",
        "small_business",
        "财政部 税务总局",
        "财税〔2019〕13号",
        date(2019, 1, 1),
        "年应纳税所得额不超过300万元、从业人数不超过300人的小型微利企业，减按较低税率缴纳企业所得税。",
        "对小型微利企业年应纳税所得额不超过100万元的部分，减按25%计入应纳税所得额，按20%的税率缴纳企业所得税；"
        "超过100万元但不超过300万元的部分，减按50%计入应纳税所得额，按20%的税率缴纳企业所得税。"
        "小型微利企业是指从事国家非限制和禁止行业，且同时符合年度应纳税所得额不超过300万元、从业人数不超过300人、资产总额不超过5000万元等三个条件的企业。",
        [("kind", "eq", "enterprise"), ("total_staff", "lte", "300"), ("revenue_band", "in", ["under_1m", "1m_5m"])],
    ),
    (
        "阶段性减免企业基本养老保险、失业保险、工伤保险单位缴费",
        "social_insurance",
        "人力资源社会保障部 财政部 税务总局",
        "人社部发〔2020〕11号",
        date(2020, 2, 1),
        "2020年2月至6月，中小微企业免征三项社会保险单位缴费部分。",
        "自2020年2月起，各省、自治区、直辖市（除湖北省外）可根据受疫情影响情况和基金承受能力，"
        "免征中小微企业三项社会保险单位缴费部分，免征期限不超过5个月；对大型企业等其他参保单位，三项社会保险单位缴费部分可减半征收，减征期限不超过3个月。",
        [("size", "in", ["micro", "small", "medium"])],
    ),
]

DRAFT = (
    "困难企业房产税、城镇土地使用税困难减免",
    "resumption",
    "国家税务总局衡阳市税务局",
    "",
    date(2020, 3, 1),
    "受疫情影响缴纳房产税、城镇土地使用税确有困难的，可申请困难减免。",
    "纳税人受疫情影响，缴纳房产税、城镇土地使用税确有困难的，可依法申请困难减免（草稿，待核定适用范围）。",
    [("hardship_reported", "is_true", None), ("revenue_band", "in", ["under_1m", "1m_5m", "5m_20m"])],
)

# organisation, taxpayer type, revenue band, hardship, note
PROFILES = [
    ("衡阳步步高连锁有限责任公司", "general", "over_100m", True, "门店客流骤降，春节备货资金占压，营收大幅下滑"),
    ("衡阳铺目科技责任有限公司", "small_scale", "1m_5m", True, "项目延期交付，回款困难"),
    ("衡阳富运汽车销售服务有限公司", "general", "20m_100m", True, "展厅停业，整车销售停滞"),
    ("衡阳高新电子科技有限公司", "general", "5m_20m", True, "订单推迟，原材料供应中断"),
    ("衡阳雁城物流有限公司", "general", "5m_20m", True, "运输受限，车辆停运"),
    ("湖南衡岳建材有限公司", "general", "20m_100m", True, "下游工地停工，货款无法回笼"),
    ("衡阳华鑫酒店管理有限公司", "small_scale", "1m_5m", True, "酒店客房、餐饮停业"),
    ("衡阳蒸湘食品有限公司", "general", "5m_20m", True, "渠道停摆，库存积压"),
    ("湖南金化科技集团有限公司", "general", "20m_100m", False, ""),
    ("湖南泓坤医疗器械有限公司", "general", "20m_100m", False, ""),
    ("科创智谷孵化器", "small_scale", "under_1m", False, ""),
    ("泰豪通信", "general", "20m_100m", False, ""),
    ("衡阳中兴网信科技有限公司", "general", "5m_20m", False, ""),
    ("衡阳高新投资(集团)有限公司", "general", "over_100m", False, ""),
    ("长湖街便民超市", "small_scale", "under_1m", False, ""),
    ("长湖街大药房", "small_scale", "under_1m", False, ""),
    ("长湖街湘菜馆", "small_scale", "under_1m", True, "堂食暂停"),
]

# The story's deferrals: taxes of January 2020, due 24 February 2020 (the extended deadline),
# deferred three months. 衡阳步步高连锁 595,646.00; the eight companies 8,271,253.36 in all.
STORY_PERIOD = date(2020, 1, 1)
STORY_DUE = date(2020, 2, 24)
STORY_DECIDED = date(2020, 2, 20)
DEFERRALS: list[tuple[str, list[tuple[str, str]]]] = [
    (
        "衡阳步步高连锁有限责任公司",
        [
            ("vat", "420000.00"),
            ("consumption", "90000.00"),
            ("urban_construction", "35700.00"),
            ("local_education_surcharge", "10200.00"),
            ("stamp", "39746.00"),
        ],
    ),
    (
        "衡阳铺目科技责任有限公司",
        [
            ("vat", "268415.20"),
            ("urban_construction", "18789.06"),
            ("local_education_surcharge", "5368.30"),
            ("stamp", "1204.50"),
        ],
    ),
    (
        "衡阳富运汽车销售服务有限公司",
        [
            ("vat", "1236540.00"),
            ("urban_construction", "86557.80"),
            ("local_education_surcharge", "24730.80"),
            ("stamp", "8912.60"),
        ],
    ),
    (
        "衡阳高新电子科技有限公司",
        [
            ("vat", "905318.40"),
            ("urban_construction", "63372.29"),
            ("local_education_surcharge", "18106.37"),
            ("stamp", "3640.00"),
        ],
    ),
    (
        "衡阳雁城物流有限公司",
        [
            ("vat", "612407.50"),
            ("urban_construction", "42868.53"),
            ("local_education_surcharge", "12248.15"),
            ("stamp", "2106.80"),
        ],
    ),
    (
        "湖南衡岳建材有限公司",
        [
            ("vat", "1804226.70"),
            ("urban_construction", "126295.87"),
            ("local_education_surcharge", "36084.53"),
            ("stamp", "9865.40"),
        ],
    ),
    (
        "衡阳华鑫酒店管理有限公司",
        [
            ("vat", "356812.90"),
            ("urban_construction", "24976.90"),
            ("local_education_surcharge", "7136.26"),
            ("stamp", "1480.00"),
        ],
    ),
    (
        "衡阳蒸湘食品有限公司",
        [
            ("vat", "1812490.00"),
            ("urban_construction", "126874.30"),
            ("local_education_surcharge", "36249.80"),
            ("stamp", "22528.40"),
        ],
    ),
]
STORY_TOTAL = Decimal("8271253.36")
BUBUGAO_TOTAL = Decimal("595646.00")

HALL_NAME = "高新区办税服务厅"
WINDOWS = [
    ("1号窗口", "综合服务"),
    ("2号窗口", "申报纳税"),
    ("3号窗口", "申报纳税"),
    ("4号窗口", "发票领用与代开"),
    ("5号窗口", "税务登记"),
    ("6号窗口", "优惠备案与延期缴纳"),
]
OPENING = [(time(9, 0), time(12, 0)), (time(13, 30), time(17, 0))]
SLOT_MINUTES = 30
SLOT_CAPACITY = 4
SLOT_DAYS = 10

FAQ = [
    (
        "受疫情影响生产经营困难的纳税人依法延期缴纳税款",
        "衡阳步步高连锁有限责任公司",
        "申请延期缴纳税款需要提交哪些资料？最长可以延期多久？",
        "需提交延期缴纳税款申请、当期货币资金余额及所有银行存款账户对账单、应付职工工资和社会保险费等支出预算。"
        "经省税务局批准，最长可延期3个月，延期期间不加收滞纳金。可在电子税务局提交，也可预约到办税服务厅办理。",
    ),
]
OPEN_QUESTION = (
    "疫情防控重点保障物资生产企业增值税增量留抵税额全额退还",
    "湖南金化科技集团有限公司",
    "我司为钢厂供应润滑剂，是否属于疫情防控重点保障物资生产企业？需要哪个部门出具名单？",
)


def load(zone: Any) -> None:
    officer = zone.users.get("taxofficer")
    types = _reference(zone)
    _profiles(zone)
    _policies(zone, officer)
    _hall(zone, officer)
    _deferrals(zone, officer, types)


def _reference(zone: Any) -> dict[str, TaxType]:
    types = {}
    for order, (code, name) in enumerate(TAX_TYPES, start=1):
        types[code], _ = TaxType.objects.update_or_create(code=code, defaults={"name": name, "order": order})
    for order, (code, name) in enumerate(CATEGORIES, start=1):
        PolicyCategory.objects.update_or_create(code=code, defaults={"name": name, "order": order})
    return types


def _profiles(zone: Any) -> None:
    for name, taxpayer_type, band, hardship, note in PROFILES:
        TaxProfile.objects.update_or_create(
            organisation=zone.organisations[name],
            defaults={
                "taxpayer_type": taxpayer_type,
                "revenue_band": band,
                "hardship_reported": hardship,
                "hardship_note": note,
            },
        )


def _policy(officer: Any, spec: tuple[Any, ...], status: str) -> Policy:
    title, category, issuer, number, valid_from, summary, text, conditions = spec
    policy, created = Policy.objects.get_or_create(
        title=title,
        defaults={
            "category": PolicyCategory.objects.get(code=category),
            "issuer": issuer,
            "document_number": number,
            "valid_from": valid_from,
            "summary": summary,
            "text": text,
            "status": status,
            "published_at": timezone.now() if status == PolicyStatus.PUBLISHED else None,
            "created_by": officer,
        },
    )
    if created:
        PolicyCondition.objects.bulk_create(
            [PolicyCondition(policy=policy, fact=f, operator=o, value=v) for f, o, v in conditions], batch_size=500
        )
    return policy


def _policies(zone: Any, officer: Any) -> None:
    published = [_policy(officer, spec, PolicyStatus.PUBLISHED) for spec in POLICIES]
    _policy(officer, DRAFT, PolicyStatus.DRAFT)
    # Pushes each policy to the enterprises it applies to, once (a second load finds them told).
    matches_refresh(policies=published)
    by_title = {p.title: p for p in published}
    for title, organisation, question, answer in FAQ:
        Question.objects.get_or_create(
            policy=by_title[title],
            organisation=zone.organisations[organisation],
            question=question,
            defaults={
                "answer": answer,
                "answered_by": officer,
                "answered_at": timezone.now(),
                "is_faq": True,
            },
        )
    title, organisation, question = OPEN_QUESTION
    Question.objects.get_or_create(
        policy=by_title[title],
        organisation=zone.organisations[organisation],
        question=question,
        defaults={"asked_by": zone.users.get("jinhua")},
    )


def _hall(zone: Any, officer: Any) -> None:
    hall, _ = Hall.objects.get_or_create(name=HALL_NAME, defaults={"address": "衡阳市高新区解放大道税务局一楼"})
    for name, services in WINDOWS:
        HallWindow.objects.get_or_create(hall=hall, name=name, defaults={"services": services})
    for weekday in range(5):
        for opens_at, closes_at in OPENING:
            OpeningHours.objects.get_or_create(
                hall=hall, weekday=weekday, opens_at=opens_at, defaults={"closes_at": closes_at}
            )
    now = timezone.now()
    step = timedelta(minutes=SLOT_MINUTES)
    slots = []
    for offset in range(SLOT_DAYS):
        day = zone.today + timedelta(days=offset)
        if day.weekday() >= 5:
            continue
        for opens_at, closes_at in OPENING:
            start = timezone.make_aware(datetime.combine(day, opens_at))
            while start + step <= timezone.make_aware(datetime.combine(day, closes_at)):
                if start > now:
                    slots.append(Slot(hall=hall, starts_at=start, ends_at=start + step, capacity=SLOT_CAPACITY))
                start += step
    Slot.objects.bulk_create(slots, ignore_conflicts=True, batch_size=500)
    # Two bookings on the next working day, so that the officer's day view is not empty.
    next_day = next((s.starts_at for s in slots if timezone.localdate(s.starts_at) > zone.today), None)
    if next_day is None:
        return
    day = timezone.localdate(next_day)
    day_slots = list(Slot.objects.filter(hall=hall, starts_at__date=day, starts_at__gt=now).order_by("starts_at"))
    for (name, purpose, user), slot in zip(
        [
            ("湖南金化科技集团有限公司", "declaration", "jinhua"),
            ("湖南泓坤医疗器械有限公司", "invoices", "hongkun"),
        ],
        day_slots[1::3],
        strict=False,
    ):
        organisation = zone.organisations[name]
        if Appointment.objects.filter(organisation=organisation, day__gte=zone.today).exists():
            continue
        Appointment.objects.create(
            slot=slot,
            organisation=organisation,
            day=day,
            purpose=purpose,
            booked_by=zone.users.get(user),
            status=AppointmentStatus.BOOKED,
        )
        Slot.objects.filter(pk=slot.pk).update(booked=F("booked") + 1)


def _deferrals(zone: Any, officer: Any, types: dict[str, TaxType]) -> None:
    decided_at = timezone.make_aware(datetime.combine(STORY_DECIDED, time(16, 0)))
    for name, items in DEFERRALS:
        organisation = zone.organisations[name]
        if Deferral.objects.filter(organisation=organisation, period=STORY_PERIOD).exists():
            continue
        total = sum((Decimal(a) for _c, a in items), Decimal("0.00"))
        deferral = Deferral.objects.create(
            organisation=organisation,
            period=STORY_PERIOD,
            due_on=STORY_DUE,
            months=3,
            reason="受新冠肺炎疫情影响，生产经营发生严重困难，当期货币资金不足以缴纳税款。",
            total=total,
            status=DeferralStatus.APPROVED,
            decided_by=officer,
            decided_at=decided_at,
            approved_months=3,
            approved_total=total,
            new_due_on=add_months(STORY_DUE, 3),
            decision_note="经国家税务总局湖南省税务局批准，延期3个月缴纳。",
        )
        DeferralItem.objects.bulk_create(
            [
                DeferralItem(deferral=deferral, tax_type=types[code], amount=Decimal(a), approved_amount=Decimal(a))
                for code, a in items
            ],
            batch_size=500,
        )
    # One application waiting for the tax officer, from an enterprise with a demo user.
    jinhua = zone.organisations["湖南金化科技集团有限公司"]
    if jinhua.kind == OrganisationKind.ENTERPRISE and not Deferral.objects.filter(organisation=jinhua).exists():
        period = default_period(zone.today)
        items = [("vat", "186420.50"), ("urban_construction", "13049.44"), ("local_education_surcharge", "3728.41")]
        deferral = Deferral.objects.create(
            organisation=jinhua,
            period=period,
            due_on=default_due_on(period),
            months=2,
            reason="原材料采购款集中支付，应收账款回笼推迟，当期资金周转困难。",
            total=sum((Decimal(a) for _c, a in items), Decimal("0.00")),
            applied_by=zone.users.get("jinhua"),
        )
        DeferralItem.objects.bulk_create(
            [DeferralItem(deferral=deferral, tax_type=types[code], amount=Decimal(a)) for code, a in items],
            batch_size=500,
        )
        # Approval needs hardship evidence (services.deferrals.deferral_decide): the demo's has some.
        statement = "湖南金化科技集团有限公司资金情况说明（演示材料）\n应收账款回笼推迟，当期货币资金不足以缴纳税款。\n"
        evidence = DeferralEvidence(deferral=deferral, name="资金情况说明.txt", uploaded_by=zone.users.get("jinhua"))
        content = ContentFile(statement.encode("utf-8"))
        evidence.size = content.size
        evidence.file.save(evidence.name, content, save=False)
        evidence.save()

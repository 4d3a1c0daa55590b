"""The demo zone carries filings, a few days of reports, incidents and a notice: its pages and
rates are not empty, building projects are at 100%, and loading twice changes nothing."""

from zoneguard.accounts.models import User
from zoneguard.demo.builder import load_demo_zone
from zoneguard.incidents.models import Incident, IncidentEvent
from zoneguard.notices.models import Notice, NoticeRecipient
from zoneguard.reports.models import DailyReport, DailyReportRevision
from zoneguard.reports.selectors import day_overview
from zoneguard.resumption.models import FilingEvent, FilingReviewRule, ResumptionFiling
from zoneguard.resumption.selectors import resumption_rates
from zoneguard.resumption.services import filing_decide

MODELS = (
    FilingReviewRule,
    ResumptionFiling,
    FilingEvent,
    DailyReport,
    DailyReportRevision,
    Incident,
    IncidentEvent,
    Notice,
    NoticeRecipient,
)


def counts():
    return tuple(m.objects.count() for m in MODELS)


def test_the_demo_zone_has_resumption_reports_incidents_and_notices(db):
    zone = load_demo_zone(password="demo-password-1")
    commander = User.objects.get(username="commander")
    rates = resumption_rates(actor=commander)
    projects = next(r for r in rates.by_kind if r.key == "building_project")
    assert (projects.registered, projects.resumption_rate) == (7, 1.0)
    jinhua = next(r for r in rates.organisations if r.organisation.name == "湖南金化科技集团有限公司")
    assert jinhua.resumed and jinhua.on_duty == jinhua.organisation.total_staff >= 130
    assert ResumptionFiling.objects.filter(status="submitted").exists()
    assert ResumptionFiling.objects.filter(status="returned").exists()
    overview = day_overview(actor=commander, day=zone.today)
    assert len(overview.filed) >= 15
    assert {r.organisation.name for r in overview.missing} == {"泰豪通信", "衡阳富运汽车销售服务有限公司"}
    assert DailyReport.objects.values("day").distinct().count() == 4
    assert Incident.objects.count() == 2
    assert NoticeRecipient.objects.filter(read_at__isnull=False).count() == 2
    # 税务局 is competent for everyone but reviews no filing.
    assert not FilingReviewRule.objects.filter(competence_rule__department__code="shuiwu").exists()

    first = counts()
    load_demo_zone(password="demo-password-2")
    assert counts() == first


def test_the_demo_s_waiting_filings_can_be_decided(db):
    # The demo's filings were "submitted" before anyone had an account: no submitter recorded.
    load_demo_zone(password="demo-password-1")
    officer = User.objects.get(username="officer")
    filing = ResumptionFiling.objects.get(status="submitted", organisation__name="衡阳中兴网信科技有限公司")
    filing_decide(actor=officer, filing=filing, approve=True)
    filing.refresh_from_db()
    assert filing.status == "approved"

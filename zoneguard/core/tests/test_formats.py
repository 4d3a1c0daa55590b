"""Dates and times read the same on every page, in both languages (zoneguard/formats)."""

from datetime import date, datetime

from django.template import Context, Template
from django.utils import timezone, translation


def test_a_date_and_time_without_a_format_of_its_own_reads_as_in_the_lists():
    moment = timezone.make_aware(datetime(2026, 12, 5, 9, 1))
    template = Template("{{ moment }}|{{ day }}|{{ moment|date }}|{{ moment|time }}")
    for language in ("zh-hans", "en"):
        with translation.override(language):
            rendered = template.render(Context({"moment": moment, "day": date(2026, 12, 5)}))
        assert rendered == "2026-12-05 09:01|2026-12-05|2026-12-05|09:01", language

"""What a page's chart is drawn from: a small typed document its JSON endpoint returns and
static/zoneguard/charts.js draws with ECharts (components/chart.html places it on the page).

The server writes every text of the chart in the user's language, and each figure twice: as a
number for drawing (a float is fine for a bar's height) and as the label people read, formatted
exactly as the page's tables write it (a yuan amount to the fen, a rate as the page rounds it)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal
from typing import Literal, NotRequired, TypedDict

from django.http import JsonResponse
from django.utils.cache import add_never_cache_headers

SeriesType = Literal["bar", "line"]
Figure = int | float | Decimal | None


class Series(TypedDict):
    name: str
    data: list[int | float | None]
    labels: list[str]
    type: NotRequired[SeriesType]  # drawn as the chart's kind unless the series says otherwise


class Chart(TypedDict):
    title: str
    categories: list[str]
    series: list[Series]
    unit: NotRequired[Literal["%"]]  # a rate in per cent: the value axis runs from 0 to 100


def series(
    name: str,
    figures: Iterable[Figure],
    *,
    labels: Iterable[str] | None = None,
    type: SeriesType | None = None,
) -> Series:
    """One series: its figures, and the labels people read (by default the figures themselves)."""
    values = list(figures)
    texts = [str(t) for t in labels] if labels is not None else ["—" if v is None else str(v) for v in values]
    if len(texts) != len(values):
        raise ValueError("a chart series needs one label per figure")
    result = Series(name=str(name), data=[_number(v) for v in values], labels=texts)
    if type is not None:
        result["type"] = type
    return result


def _number(figure: Figure) -> int | float | None:
    if isinstance(figure, Decimal):
        return float(figure)  # for drawing only: the label carries the exact amount
    return figure


def chart_response(chart: Chart) -> JsonResponse:
    # Figures of the caller's scope, as of now: no cache keeps them for anyone.
    response = JsonResponse(chart)
    add_never_cache_headers(response)
    return response


def last_days(day: date, count: int = 14) -> list[date]:
    """The `count` days ending with `day`, oldest first."""
    return [day - timedelta(days=count - 1 - i) for i in range(count)]


def day_label(day: date) -> str:
    return f"{day:%m-%d}"

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest


def paginate(
    request: HttpRequest, queryset: QuerySet[Any] | list[Any], per_page: int | None = None, *, param: str = "page"
) -> Page:
    """The page asked for in `?page=` (or `param`, for a second list on the page), falling back to
    the first or last page on nonsense. The total is a COUNT in the database."""
    paginator = Paginator(queryset, per_page or settings.PAGE_SIZE)
    return paginator.get_page(request.GET.get(param))

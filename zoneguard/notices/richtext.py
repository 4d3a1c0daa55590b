"""Rich text of notices: the officer's formatting survives, anything that could run is removed."""

from __future__ import annotations

import nh3

TAGS = {
    "p", "br", "strong", "b", "em", "i", "u", "s", "ul", "ol", "li", "h2", "h3", "h4",
    "blockquote", "a", "table", "thead", "tbody", "tr", "th", "td", "hr", "div", "span",
}  # fmt: skip
ATTRIBUTES = {"a": {"href", "title"}, "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan"}}


def sanitise(html: str) -> str:
    return nh3.clean(html or "", tags=TAGS, attributes=ATTRIBUTES, url_schemes={"http", "https", "mailto"}).strip()


def is_empty(html: str) -> bool:
    return not nh3.clean(html or "", tags=set()).strip()

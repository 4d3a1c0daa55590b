"""The site's icons and robots.txt: linked from every page and served at the root, where browsers,
phones and crawlers ask for them whatever the page links (before, a logged 404 for each)."""

import re

from django.contrib.staticfiles import finders
from django.test import Client


def test_favicon_ico_is_served_at_the_root(db):
    response = Client().get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] in {"image/x-icon", "image/vnd.microsoft.icon"}
    assert b"".join(response.streaming_content).startswith(b"\x00\x00\x01\x00")  # an ICO directory


def test_every_page_links_the_icons(zone, client_for):
    for page in (client_for("commander").get("/"), Client().get("/accounts/login/")):
        html = page.content.decode()
        assert '<link rel="icon" href="/favicon.ico"' in html
        svg = re.search(r'<link rel="icon" href="/static/([^"]+\.svg)" type="image/svg\+xml">', html)
        assert svg and finders.find(svg.group(1))


def test_phones_and_crawlers_find_what_they_ask_for_at_the_root(db):
    icon = Client().get("/apple-touch-icon.png")
    assert icon.status_code == 200 and icon["Content-Type"] == "image/png"
    robots = Client().get("/robots.txt")
    assert robots.status_code == 200 and b"Disallow: /" in b"".join(robots.streaming_content)
    page = Client().get("/accounts/login/").content.decode()
    assert '<link rel="apple-touch-icon" href="/apple-touch-icon.png">' in page

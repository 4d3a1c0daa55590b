"""Every user-facing string is translated: each app's catalogue is complete, compiled, and holds
every string the code and templates use."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.utils import translation
from django.utils.translation import gettext, ngettext, npgettext, pgettext

ROOT = Path(__file__).resolve().parents[3]
APPS = sorted(p.parent for p in (ROOT / "zoneguard").glob("*/apps.py"))


def catalogue(app: Path) -> Path:
    return app / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def entries(po: polib.POFile) -> dict[str, object]:
    return {(e.msgctxt or "") + "\x04" + e.msgid: e for e in po if not e.obsolete}


@pytest.mark.parametrize("app", APPS, ids=lambda p: p.name)
def test_its_chinese_catalogue_is_complete(app: Path) -> None:
    path = catalogue(app)
    if not path.exists():
        pytest.skip("no user-facing strings")
    po = polib.pofile(str(path))
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert not untranslated, f"untranslated in {app.name}: {untranslated}"
    assert not fuzzy, f"fuzzy in {app.name}: {fuzzy}"


@pytest.mark.parametrize("app", APPS, ids=lambda p: p.name)
def test_its_compiled_catalogue_matches(app: Path) -> None:
    path = catalogue(app)
    if not path.exists():
        pytest.skip("no user-facing strings")
    po = polib.pofile(str(path))
    mo = polib.mofile(str(path.with_suffix(".mo")))
    # By context and text: a catalogue may hold "Name" of a thing and "Name" of a person apart.
    compiled = {(e.msgctxt, e.msgid): (e.msgstr, e.msgstr_plural) for e in mo}
    for entry in po.translated_entries():
        key = (entry.msgctxt, entry.msgid)
        assert key in compiled, f"{app.name}: '{entry.msgid}' is not compiled; run make messages"
        msgstr, plural = compiled[key]
        if entry.msgid_plural:
            assert {int(k): v for k, v in plural.items()} == {int(k): v for k, v in entry.msgstr_plural.items()}
        else:
            assert msgstr == entry.msgstr, f"{app.name}: '{entry.msgid}' compiled differently; run make messages"


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="gettext is not installed")
@pytest.mark.parametrize("app", APPS, ids=lambda p: p.name)
def test_its_catalogue_holds_every_string_in_use(app: Path, tmp_path: Path) -> None:
    """Extract the strings afresh from a copy of the app and compare with the committed catalogue."""
    copy = tmp_path / app.name
    shutil.copytree(app, copy, ignore=shutil.ignore_patterns("locale", "__pycache__", "tests", "migrations"))
    (copy / "locale").mkdir()
    django_admin = Path(sys.executable).parent / "django-admin"
    subprocess.run(
        [str(django_admin), "makemessages", "-l", "zh_Hans", "--no-location"],
        cwd=copy,
        check=True,
        capture_output=True,
        env={
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "zoneguard.settings",
            "PYTHONPATH": str(ROOT),
            "ZONEGUARD_VAR_DIR": str(tmp_path / "var"),
        },
    )
    fresh_path = catalogue(copy)
    fresh = entries(polib.pofile(str(fresh_path))) if fresh_path.exists() else {}
    committed = entries(polib.pofile(str(catalogue(app)))) if catalogue(app).exists() else {}
    missing = sorted(key.split("\x04", 1)[1] for key in set(fresh) - set(committed))
    assert not missing, f"{app.name} uses strings missing from its catalogue (run make messages): {missing}"


def test_it_serves_chinese_by_default_and_english_on_request(zone, client_for):
    assert "单位" in client_for("commander").get("/registry/organisations/").content.decode()
    client = client_for("commander")
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/registry/organisations/").content.decode()
    assert "Organisations" in page and '<html lang="en">' in page


def test_it_offers_the_other_language_in_the_page_header(zone, client_for):
    page = client_for("commander").get("/").content.decode()
    assert 'name="language" value="en"' in page


def test_the_same_string_reads_the_same_in_every_catalogue() -> None:
    """Django merges the apps' catalogues, so one English string can have only one Chinese reading;
    a string with two meanings needs a context (pgettext) or a more precise wording."""
    readings: dict[tuple[str, str], dict[str, str]] = {}
    for app in APPS:
        if catalogue(app).exists():
            for entry in polib.pofile(str(catalogue(app))).translated_entries():
                reading = entry.msgstr or str(sorted(entry.msgstr_plural.items()))
                readings.setdefault((entry.msgctxt or "", entry.msgid), {})[app.name] = reading
    clashes = {key: apps for key, apps in readings.items() if len(set(apps.values())) > 1}
    assert not clashes, f"strings translated differently by different apps: {clashes}"


def test_the_api_answers_in_the_language_the_client_asks_for(zone, client):
    # No session and no cookie: Accept-Language decides, then Chinese; the answer says which.
    english = client.get("/api/v1/sites", headers={"accept-language": "en-GB,en;q=0.9"})
    assert english.status_code == 401 and english.json()["message"] == "Sign in or send a valid API token."
    assert english["Content-Language"] == "en" and "Accept-Language" in english["Vary"]
    chinese = client.get("/api/v1/sites", headers={"accept-language": "fr, de"})
    assert chinese["Content-Language"] == "zh-hans" and chinese.json()["message"] != english.json()["message"]


def test_the_language_chosen_in_the_page_header_wins_over_the_browser(zone, client_for):
    client = client_for("commander")
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/registry/organisations/", headers={"accept-language": "zh-CN"})
    assert page["Content-Language"] == "en" and "Organisations" in page.content.decode()


def test_a_path_is_not_read_as_a_language_code(zone, client):
    # ZoneGuard's URLs carry no language prefix: /en/ is an unknown page, not English.
    assert client.get("/en/", headers={"accept-language": "zh-CN"})["Content-Language"] == "zh-hans"


def test_every_string_reads_as_its_catalogue_says_once_django_merged_them() -> None:
    """Django reads the catalogues of the apps listed before ZoneGuard's first (the admin, auth,
    contenttypes): a bare 'Filter' read 过滤器, the admin's, whatever the incidents catalogue said.
    Such a string needs a context or a more precise wording."""
    hidden = {}
    with translation.override("zh-hans"):
        for app in APPS:
            if not catalogue(app).exists():
                continue
            for entry in polib.pofile(str(catalogue(app))).translated_entries():
                if entry.msgid_plural:
                    expected, read = (
                        entry.msgstr_plural[0],
                        npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, 1)
                        if entry.msgctxt
                        else ngettext(entry.msgid, entry.msgid_plural, 1),
                    )
                else:
                    expected = entry.msgstr
                    read = pgettext(entry.msgctxt, entry.msgid) if entry.msgctxt else gettext(entry.msgid)
                if read != expected:
                    hidden[f"{app.name}: {entry.msgid}"] = f"{read} instead of {expected}"
    assert not hidden, f"strings another catalogue translates first: {hidden}"


def test_words_with_two_meanings_read_right_in_each_place(zone, client_for) -> None:
    """One English word, two Chinese ones: each place says the one it means (the same msgid must
    read the same in every catalogue, so the shared word once won everywhere)."""
    from zoneguard.incidents.models import Severity
    from zoneguard.notices.models import NoticeAttachment
    from zoneguard.registry.models import Organisation, OrganisationSize
    from zoneguard.tax.models import PolicyAttachment

    with translation.override("zh-hans"):
        assert (Severity.MEDIUM.label, OrganisationSize.MEDIUM.label) == ("中", "中型")
        assert str(NoticeAttachment._meta.get_field("size").verbose_name) == "大小"
        assert str(PolicyAttachment._meta.get_field("size").verbose_name) == "大小"
        assert str(Organisation._meta.get_field("size").verbose_name) == "规模"
    form = client_for("volunteer").get("/incidents/new/").content.decode()
    assert ">上报</button>" in form and ">日报</button>" not in form
    menu = client_for("commander").get("/").content.decode()
    assert ">消息" in menu.split('class="inbox"')[1][:80] and ">通知公告</a>" in menu


def test_a_button_that_filters_a_list_says_so(zone, client_for) -> None:
    client = client_for("commander")
    for path in ("/gates/log/", "/gates/alerts/", "/health/declarations/", "/tax/appointments/", "/incidents/"):
        page = client.get(path).content.decode()
        assert '<button type="submit" class="primary">筛选</button>' in page, path
        assert "过滤器" not in page and ">搜索</button>" not in page, path


TRANSLATING = {"_", "gettext", "pgettext", "ngettext", "npgettext", "gettext_lazy", "pgettext_lazy"}


def test_no_string_is_translated_inside_an_f_string() -> None:
    """xgettext does not read inside f-strings: a string translated there never reaches the
    catalogue and stays English (a download's file name, say). Translate a whole pattern with
    %(name)s placeholders instead."""
    import ast

    found = []
    for path in sorted((ROOT / "zoneguard").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if not isinstance(node, ast.JoinedStr):
                continue
            for part in ast.walk(node):
                if isinstance(part, ast.Call) and isinstance(part.func, ast.Name) and part.func.id in TRANSLATING:
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not found, found

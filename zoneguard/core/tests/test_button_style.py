"""Every button in ZoneGuard's templates carries a class that app.css styles as a button; a
"secondary" or "danger" one without the base rule kept the browser's own border and font."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APP_CSS = ROOT / "core" / "static" / "zoneguard" / "app.css"
# The looks of a button: a filled one (the base rule, then its colours) or a link-like one.
FILLED = {"primary", "secondary", "danger"}
LINKISH = "linkish"


def rules(css: str) -> list[tuple[set[str], str]]:
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.DOTALL)
    return [({s.strip() for s in sel.split(",")}, body) for sel, body in re.findall(r"([^{}]+)\{([^}]*)\}", css)]


def test_the_base_button_rule_covers_every_filled_button() -> None:
    base = next(selectors for selectors, _body in rules(APP_CSS.read_text()) if ".button" in selectors)
    assert {f"button.{name}" for name in FILLED} <= base


def test_every_button_in_the_templates_has_a_styled_class() -> None:
    unstyled = []
    for path in sorted(ROOT.glob("*/templates/**/*.html")):
        for tag in re.findall(r"<button\b[^>]*>", path.read_text()):
            found = re.search(r'class="([^"]*)"', tag)
            classes = set(found.group(1).split()) if found else set()
            if not classes & (FILLED | {LINKISH}):
                unstyled.append(f"{path.relative_to(ROOT)}: {tag}")
    assert not unstyled

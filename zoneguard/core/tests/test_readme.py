"""The README's configuration table names every environment variable the settings read, and no
other."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def _read_by_settings() -> set[str]:
    source = (ROOT / "zoneguard" / "settings.py").read_text()
    return set(re.findall(r"""(?:os\.environ\.get|envbool|envint|envlist)\(\s*["']([A-Z][A-Z0-9_]+)["']""", source))


def _in_readme_table() -> set[str]:
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## 配置 · Configuration (environment variables)", 1)[1].split("\n## ", 1)[0]
    names: set[str] = set()
    for line in section.splitlines():
        if line.startswith("| `"):
            first_cell = line.split("|")[1]
            names.update(re.findall(r"`([A-Z][A-Z0-9_]+)`", first_cell))
    return names


def test_the_readme_lists_every_variable_the_settings_read():
    read = _read_by_settings()
    assert len(read) > 20  # the pattern finds the settings' reads
    assert read - _in_readme_table() == set(), "read by settings.py but missing from the README's table"
    assert _in_readme_table() - read == set(), "in the README's table but not read by settings.py"


def test_the_readme_gives_the_real_allowed_hosts_default():
    tree = ast.parse((ROOT / "zoneguard" / "settings.py").read_text())
    default = next(
        ast.literal_eval(node.args[1])
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and getattr(node.func, "id", "") == "envlist"
        and node.args[0].value == "ALLOWED_HOSTS"
    )
    readme = (ROOT / "README.md").read_text()
    row = next(line for line in readme.splitlines() if line.startswith("| `ALLOWED_HOSTS`"))
    assert row.split("|")[2].strip() == f"`{','.join(default)}`"

"""Static files as production serves them: whitenoise's compressed manifest storage post-processes
every file at deployment, and a reference it cannot resolve (a source map, a url() in a stylesheet)
stops collectstatic. The vendored ECharts must pass it unchanged."""

import json
from pathlib import Path

from django.core.management import call_command

STATIC = Path(__file__).resolve().parent.parent / "static"


def test_collectstatic_hashes_and_compresses_the_vendored_charts(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    paths = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]
    for name in ("vendor/echarts.LICENSE", "vendor/echarts.NOTICE", "zoneguard/charts.js", "zoneguard/app.css"):
        assert (tmp_path / paths[name]).exists(), name
    served = tmp_path / paths["vendor/echarts.min.js"]
    assert served.name.startswith("echarts.min.") and served.name != "echarts.min.js"
    assert served.read_bytes() == (STATIC / "vendor" / "echarts.min.js").read_bytes()
    assert served.with_name(served.name + ".gz").exists()

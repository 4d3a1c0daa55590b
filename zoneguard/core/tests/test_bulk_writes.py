"""Every bulk write names its batch size: PostgreSQL refuses a statement with more than 65,535
parameters, which an unbatched bulk_create of a large list reaches."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_every_bulk_create_and_bulk_update_has_a_batch_size():
    unbatched = []
    for path in [*(ROOT / "zoneguard").rglob("*.py"), *(ROOT / "bench").rglob("*.py")]:
        if "migrations" in path.parts or "tests" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in {"bulk_create", "bulk_update"}
                and not any(keyword.arg == "batch_size" for keyword in node.keywords)
            ):
                unbatched.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not unbatched, unbatched

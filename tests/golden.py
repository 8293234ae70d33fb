"""Golden-file helpers: compare a parse result with ``<case>.expected.json``."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from finder.pattern import Recurrence
from finder.sources.collect import collect
from importers.base import Importer

DATA = Path(__file__).parent / "data"


def parse_summary(importer: Importer, raw: bytes) -> dict[str, Any]:
    """Everything a parse produced, as the loader sorts it (repeated keys rejected), in feed order."""
    collected = collect(importer.parse(raw))
    return {
        "meetings": [json.loads(json.dumps(r.columns(), default=_plain)) for r in collected.records],
        "rejected": [issue.as_dict() for issue in collected.rejected],
        "warnings": [issue.as_dict() for issue in collected.warnings],
    }


def _plain(value: Any) -> Any:
    """JSON for what a record holds: a pattern as stored, anything else as text."""
    return value.to_json() if isinstance(value, Recurrence) else str(value)


def check_golden(case: Path, actual: dict[str, Any], update: bool) -> None:
    """Assert ``actual`` equals the case's expected file (or rewrite it with --update-golden)."""
    expected_path = case.with_name(case.name.split(".")[0] + ".expected.json")
    if update or not expected_path.exists():
        expected_path.write_text(json.dumps(actual, indent=1, ensure_ascii=False) + "\n")
    expected = json.loads(expected_path.read_text())
    assert actual == expected

"""Golden-file helpers: compare a parse result with ``<case>.expected.json``."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from importers.base import Importer, Notice, Rejected
from importers.record import MeetingRecord

DATA = Path(__file__).parent / "data"


def parse_summary(importer: Importer, raw: bytes) -> dict[str, Any]:
    """Everything a parse produced, as plain JSON data in feed order."""
    out: dict[str, Any] = {"meetings": [], "rejected": [], "warnings": []}
    for item in importer.parse(raw):
        if isinstance(item, MeetingRecord):
            out["meetings"].append(json.loads(json.dumps(item.columns(), default=str)))
            out["warnings"].extend(w.as_dict() for w in item.warnings)
        elif isinstance(item, Rejected):
            out["rejected"].append(item.as_dict())
        elif isinstance(item, Notice):
            out["warnings"].append(item.as_dict())
    return out


def check_golden(case: Path, actual: dict[str, Any], update: bool) -> None:
    """Assert ``actual`` equals the case's expected file (or rewrite it with --update-golden)."""
    expected_path = case.with_name(case.name.split(".")[0] + ".expected.json")
    if update or not expected_path.exists():
        expected_path.write_text(json.dumps(actual, indent=1, ensure_ascii=False) + "\n")
    expected = json.loads(expected_path.read_text())
    assert actual == expected

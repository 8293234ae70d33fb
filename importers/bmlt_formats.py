"""BMLT formats: a server's ``GetFormats`` table, read into NAWS world ids and canonical types."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from importers.na_keys import stock_keys
from importers.normalize import text
from importers.programs import LANGUAGE_FORMATS, NA_WORLD_EXTRA, NA_WORLD_TYPES


@dataclass(frozen=True)
class Format:
    """One row of ``GetFormats``: what a server-local format id means."""

    key: str
    name: str
    world_id: str
    kind: str


class FormatReader:
    """Turns a meeting's formats into NAWS world ids and canonical types, counting the unknown."""

    def __init__(self, formats: list[Any] | None, language: str | None = None) -> None:
        self.by_id: dict[str, Format] = {}
        self.by_key: dict[str, Format] = {}
        for row in formats or []:
            if not isinstance(row, dict) or text(row.get("id")) is None:
                continue
            item = Format(text(row.get("key_string")) or "", text(row.get("name_string")) or "",
                          (text(row.get("world_id")) or "").upper(),
                          text(row.get("format_type_enum")) or "")
            self.by_id.setdefault(text(row.get("id")) or "", item)
            self.by_key.setdefault(item.key, item)
        self.stock = formats is None
        # Without GetFormats, keys are read in the server's language (English if not known).
        self.language = language if stock_keys(language) is not None else "en"
        self.keys = stock_keys(self.language) or {}
        self.unknown: Counter[str] = Counter()

    def read(self, row: dict[str, Any]) -> tuple[set[str], list[str]]:
        """The meeting's world ids and canonical type codes."""
        ids = [i for i in (text(row.get("format_shared_id_list")) or "").split(",") if i.strip()]
        keys = [k for k in (text(row.get("formats")) or "").split(",") if k.strip()]
        found: list[Format] = []
        if self.by_id and ids:
            for format_id in ids:
                item = self.by_id.get(format_id.strip())
                if item is None:
                    self.unknown[f"id {format_id.strip()}"] += 1
                else:
                    found.append(item)
        else:
            for key in keys:
                key = key.strip()
                item = self.by_key.get(key)
                if item is None and self.stock:
                    item = self._stock(key)
                if item is None:
                    self.unknown[key] += 1
                else:
                    found.append(item)
        worlds: set[str] = set()
        types: list[str] = []
        for item in found:
            if item.world_id == "LANG" or item.kind == "LANG":
                code = LANGUAGE_FORMATS.get(item.key.lower()) or LANGUAGE_FORMATS.get(item.name.lower())
                if code:
                    types.append(code)
                else:
                    self.unknown[f"{item.key} (language)"] += 1
            elif item.world_id in NA_WORLD_TYPES:
                worlds.add(item.world_id)
                for code in (NA_WORLD_TYPES[item.world_id], NA_WORLD_EXTRA.get(item.world_id)):
                    if code:
                        types.append(code)
            else:
                self.unknown[item.world_id or f"{item.key} (no world_id)"] += 1
        return worlds, types

    def _stock(self, key: str) -> Format | None:
        """A key of the server's stock table, or a language code (``de``, ``ru``) as a language."""
        if key in self.keys:
            return Format(key, key, self.keys[key], "")
        if key.lower() in LANGUAGE_FORMATS:
            return Format(key, key, "LANG", "LANG")
        return None

"""Slippy-map tiles around a point, for a small map drawn without a map library."""
from __future__ import annotations

import math
from dataclasses import dataclass

TILE = 256


@dataclass(frozen=True)
class Tile:
    """One map tile, placed in a 256 x 256 frame."""

    url: str
    x: int
    y: int


def tiles_around(template: str, lat: float, lon: float, zoom: int) -> tuple[Tile, ...]:
    """The tiles of ``template`` (``{z}/{x}/{y}``, optional ``{s}``) covering a 256-pixel frame
    centred on a point; none when the template has no ``{x}``."""
    if "{x}" not in template:
        return ()
    scale = TILE * 2 ** zoom
    siny = min(max(math.sin(math.radians(lat)), -0.9999), 0.9999)
    px = (lon + 180.0) / 360.0 * scale
    py = (0.5 - math.log((1 + siny) / (1 - siny)) / (4 * math.pi)) * scale
    left, top = int(px) - TILE // 2, int(py) - TILE // 2
    tiles = []
    for ty in range(top // TILE, (top + TILE - 1) // TILE + 1):
        for tx in range(left // TILE, (left + TILE - 1) // TILE + 1):
            url = (template.replace("{s}", "a").replace("{z}", str(zoom))
                   .replace("{x}", str(tx % 2 ** zoom)).replace("{y}", str(ty)))
            tiles.append(Tile(url, tx * TILE - left, ty * TILE - top))
    return tuple(tiles)

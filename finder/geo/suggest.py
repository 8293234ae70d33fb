"""Place names close to one that was not found ("Irvnie, CA" -> "Irvine, CA"), from the gazetteer."""
from __future__ import annotations

import difflib

from finder.geo.places import fold, gazetteer, region_abbreviation

#: How alike a name must be (difflib's ratio) to be offered.
CUTOFF = 0.75


def suggest_places(query: str, limit: int = 3) -> list[str]:
    """Up to ``limit`` known places whose names are close to ``query``'s, likeliest first.

    A region or country after a comma ("CA", "Spain") keeps suggestions within it.
    """
    parts = [fold(part) for part in query.split(",") if part.strip()]
    if not parts or not parts[0]:
        return []
    places = gazetteer()
    region = places.regions.get(parts[1]) if len(parts) > 1 else None
    country = places.country(parts[1]) if len(parts) > 1 and region is None else None
    country_code = region[0] if region else (country.code if country else None)
    found: list[str] = []
    for key in difflib.get_close_matches(parts[0], places.names.keys(), n=12, cutoff=CUTOFF):
        cities = places.find_cities(key, country_code, region[1] if region else None)
        if not cities:
            continue
        city = cities[0]
        home = places.countries.get(city.country_code)
        label = f"{city.name}, {region_abbreviation(city.country_code, city.admin1) or (home.name if home else city.country_code)}"
        if label not in found:
            found.append(label)
    return found[:limit]

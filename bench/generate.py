"""Deterministic synthetic Meeting Guide feeds, clustered around cities like real meetings."""
from __future__ import annotations

import random
from typing import Any

# (city, state/country, lat, lon, zone, weight): weights roughly follow population.
CITIES = [
    ("New York", "NY", 40.7128, -74.0060, "America/New_York", 20),
    ("Los Angeles", "CA", 34.0522, -118.2437, "America/Los_Angeles", 12),
    ("Chicago", "IL", 41.8781, -87.6298, "America/Chicago", 8),
    ("Houston", "TX", 29.7604, -95.3698, "America/Chicago", 6),
    ("Phoenix", "AZ", 33.4484, -112.0740, "America/Phoenix", 4),
    ("Philadelphia", "PA", 39.9526, -75.1652, "America/New_York", 5),
    ("Seattle", "WA", 47.6062, -122.3321, "America/Los_Angeles", 4),
    ("Denver", "CO", 39.7392, -104.9903, "America/Denver", 3),
    ("Boston", "MA", 42.3601, -71.0589, "America/New_York", 4),
    ("Atlanta", "GA", 33.7490, -84.3880, "America/New_York", 4),
    ("London", "UK", 51.5072, -0.1276, "Europe/London", 6),
    ("Berlin", "DE", 52.5200, 13.4050, "Europe/Berlin", 3),
    ("Sydney", "NSW", -33.8688, 151.2093, "Australia/Sydney", 3),
    ("Auckland", "NZ", -36.8485, 174.7633, "Pacific/Auckland", 1),
    ("Mexico City", "CDMX", 19.4326, -99.1332, "America/Mexico_City", 4),
    ("Sao Paulo", "SP", -23.5505, -46.6333, "America/Sao_Paulo", 4),
    ("Mumbai", "MH", 19.0760, 72.8777, "Asia/Kolkata", 2),
    ("Toronto", "ON", 43.6532, -79.3832, "America/Toronto", 4),
    ("Springfield", "IL", 39.7817, -89.6501, "America/Chicago", 1),
    ("Fairbanks", "AK", 64.8378, -147.7164, "America/Anchorage", 1),
]
NAMES = ["Serenity", "Hope", "Freedom", "Step", "Big Book", "Sunrise", "Candlelight", "Newcomers",
         "Living Sober", "Keep It Simple", "Friday Night", "Lunch Bunch", "Women's", "Men's"]
TYPES = ["O", "C", "D", "SP", "ST", "B", "BE", "W", "M", "Y", "LGBTQ", "X", "S", "DR", "MED"]


def generate(count: int, *, seed: int = 7, online_share: float = 0.2,
             hybrid_share: float = 0.1) -> list[dict[str, Any]]:
    """``count`` Meeting Guide records: online-only, hybrid and in-person in the given shares."""
    rng = random.Random(seed)
    weights = [c[5] for c in CITIES]
    rows = []
    for index in range(count):
        city, region, lat, lon, zone, _ = rng.choices(CITIES, weights)[0]
        # Most meetings sit within ~25 km of the centre, a tail out to ~100 km.
        spread = 0.25 if rng.random() < 0.8 else 0.9
        lat_i, lon_i = lat + rng.gauss(0, spread / 2), lon + rng.gauss(0, spread / 2)
        kind = rng.random()
        hour, minute = rng.choice([6, 7, 8, 10, 12, 17, 18, 19, 20, 21]), rng.choice([0, 0, 15, 30])
        row: dict[str, Any] = {
            "name": f"{rng.choice(NAMES)} Group {index}",
            "slug": f"meeting-{index}",
            "day": rng.randrange(7),
            "time": f"{hour:02d}:{minute:02d}",
            "end_time": f"{(hour + 1) % 24:02d}:{minute:02d}",
            "timezone": zone,
            "types": rng.sample(TYPES, 3),
            "updated": "2026-10-01 12:00:00",
        }
        if kind < online_share:
            row |= {"formatted_address": f"{city}, {region}", "approximate": "yes",
                    "latitude": lat, "longitude": lon,
                    "conference_url": f"https://zoom.us/j/{9000000000 + index}"}
        else:
            row |= {"location": f"Hall {index % 500}",
                    "formatted_address": f"{index % 900 + 1} Main St, {city}, {region} {10000 + index % 9000}, USA",
                    "latitude": round(lat_i, 6), "longitude": round(lon_i, 6)}
            if kind < online_share + hybrid_share:
                row["conference_url"] = f"https://zoom.us/j/{8000000000 + index}"
        rows.append(row)
    return rows

"""Geography, offline: distances and search boxes, place names, geocoding and its cache."""

"""The geocode cache: what an address resolved to at import, so a re-import never asks again."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Float, String
from sqlalchemy.orm import Mapped, mapped_column

from finder.extensions import db
from finder.models import UTCDateTime, utcnow


class GeocodedAddress(db.Model):
    """One normalised meeting address and where it was placed (no point: no such place)."""

    __tablename__ = "geocode_cache"

    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    label: Mapped[str | None] = mapped_column(String(255))
    approximate: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

"""Closed vocabularies shared by models, importers and views."""
from __future__ import annotations

import enum


class Attendance(enum.StrEnum):
    """How a meeting can be attended, derived from its address and conference details."""

    IN_PERSON = "in_person"
    HYBRID = "hybrid"
    ONLINE = "online"
    INACTIVE = "inactive"


class Fellowship(enum.StrEnum):
    """The fellowship a meeting belongs to."""

    AA = "aa"
    NA = "na"
    GA = "ga"
    CA = "ca"
    AL_ANON = "al-anon"
    GAM_ANON = "gam-anon"
    NAR_ANON = "nar-anon"
    OTHER = "other"

    @property
    def label(self) -> str:
        """Human name of the fellowship."""
        return FELLOWSHIP_LABELS[self]


FELLOWSHIP_LABELS = {
    Fellowship.AA: "Alcoholics Anonymous",
    Fellowship.NA: "Narcotics Anonymous",
    Fellowship.GA: "Gamblers Anonymous",
    Fellowship.CA: "Cocaine Anonymous",
    Fellowship.AL_ANON: "Al-Anon",
    Fellowship.GAM_ANON: "Gam-Anon",
    Fellowship.NAR_ANON: "Nar-Anon",
    Fellowship.OTHER: "Other fellowship",
}


class RunStatus(enum.StrEnum):
    """Outcome of one import run."""

    OK = "ok"
    FAILED = "failed"

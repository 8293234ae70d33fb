"""Code tables of the other fellowships: NA's NAWS format codes and GA's type codes."""
from __future__ import annotations

from collections.abc import Iterable

from finder.enums import Fellowship

# NAWS world_id -> canonical type (None: known, no Meeting Guide equivalent). Following BMLT's
# own TSML mapping (TsmlMeetingResource) where the codes coincide, else the nearest spec type.
NA_WORLD_TYPES: dict[str, str | None] = {
    "OPEN": "O", "CLOSED": "C", "BEG": "BE", "BT": "LIT", "CAN": "CAN", "CW": "CF", "CH": None,
    "DISC": "D", "GL": "LGBTQ", "IP": "LIT", "IW": "LIT", "JFT": "LIT", "LIT": "LIT", "LC": "LIT",
    "GP": "LIT", "SPAD": "LIT", "CPT": "TR", "TRAD": "TR", "M": "M", "W": "W", "Y": "Y",
    "MED": "MED", "NC": None, "NS": None, "SMOK": "SM", "QA": "D", "RA": None, "SPK": "SP",
    "S-D": "SP", "STEP": "ST", "SWG": "ST", "TOP": "D", "VAR": None, "WCHR": "X", "TC": "TC",
    "VM": None, "HYBR": None, "OLM": None, "LANG": None,
    # Not a NAWS code: outdoor formats of local servers (importers/na_keys.py).
    "OUTDOOR": "OUT",
}
# Formats that also add a second type (speaker/discussion is both).
NA_WORLD_EXTRA: dict[str, str] = {"S-D": "D"}

# Stock English key_string -> world_id, for a plain GetSearchResults array without GetFormats.
NA_STOCK_KEYS: dict[str, str] = {
    "B": "BEG", "BT": "BT", "C": "CLOSED", "CH": "CH", "CL": "CAN", "CW": "CW", "D": "DISC",
    "ES": "LANG", "GL": "GL", "IP": "IP", "IW": "IW", "JT": "JFT", "M": "M", "NC": "NC",
    "O": "OPEN", "RF": "VAR", "SD": "S-D", "SG": "SWG", "So": "SPK", "St": "STEP", "Tr": "TRAD",
    "TW": "TRAD", "W": "W", "WC": "WCHR", "YP": "Y", "BK": "LIT", "NS": "NS", "ME": "MED",
    "RA": "RA", "QA": "QA", "CP": "CPT", "LC": "LC", "GP": "GP", "VM": "VM", "TC": "TC",
    "HY": "HYBR", "SPAD": "SPAD", "To": "TOP", "AB": "QA", "FIN": "LANG", "ENG": "LANG",
    "PER": "LANG", "BL": "LANG", "L/R": "LANG",
}

# Language formats (world_id LANG) are told apart by key or name, in any server language.
LANGUAGE_FORMATS: dict[str, str] = {
    "es": "S", "sp": "S", "spa": "S", "español": "S", "espanol": "S", "spanish": "S",
    "spanisch": "S", "en": "EN", "eng": "EN", "english": "EN", "englisch": "EN",
    "english speaking": "EN", "inglés": "EN", "de": "DE", "ger": "DE", "deutsch": "DE",
    "german": "DE", "fin": "FI", "fi": "FI", "finnish": "FI", "per": "FA", "fa": "FA",
    "persian": "FA", "farsi": "FA", "fr": "FR", "fra": "FR", "french": "FR", "français": "FR",
    "französisch": "FR", "it": "ITA", "ita": "ITA", "italian": "ITA", "italiano": "ITA",
    "pt": "POR", "por": "POR", "portuguese": "POR", "português": "POR", "ru": "RUS",
    "rus": "RUS", "russian": "RUS", "russisch": "RUS", "pl": "POL", "pol": "POL",
    "polish": "POL", "polnisch": "POL", "nl": "NL", "dutch": "NL", "tr": "TUR",
    "turkish": "TUR", "türkisch": "TUR", "ar": "AR", "arabic": "AR", "lt": "LT",
    "lithuanian": "LT", "asl": "ASL", "uk": "UK", "ukr": "UK", "ukrainian": "UK",
}

# GA's codes in the 12 Step Meeting List `ga` program -> canonical types (None: no equivalent).
GA_TYPES: dict[str, str | None] = {
    "20": "BE", "BA": "BA", "B": "B", "CAN": "CAN", "CF": "CF", "C": "C", "GAA": "GAA",
    "COM": "D", "CRC": "XT", "DR": "DR", "D": "D", "LIT": "LIT", "LGBTQ": "LGBTQ", "MED": "MED",
    "M": "M", "BE": "BE", "O": "O", "PAR": None, "ASL": "ASL", "SM": "SM", "SP": "SP",
    "ST": "ST", "TOP": "D", "TR": "TR", "X": "X", "W": "W", "Y": "Y", "TC": "TC", "ONL": None,
    "GAM": None,
}
# GA type names as the TSML `ga` program shows them (CSV files may carry names, not codes).
GA_NAMES: dict[str, str] = {
    "20 questions": "20", "20 questions/beginner": "20", "beginner": "20", "big book": "B",
    "combined ga/gam anon": "GAA", "combined ga/gam-anon": "GAA", "comment": "COM",
    "cross comment": "CRC", "gam anon": "GAM", "gam-anon": "GAM", "parking meters": "PAR",
    "topic": "TOP",
}
GAM_ANON_CODES = frozenset({"GAM"})
# Fellowships whose feeds use the `ga` program's codes (GA areas list Gam-Anon meetings too).
GA_PROGRAM = frozenset({Fellowship.GA, Fellowship.GAM_ANON})


def program_types(codes: Iterable[str], fellowship: Fellowship) -> tuple[list[str], Fellowship]:
    """Type codes read in ``fellowship``'s own program, and the fellowship the meeting is under.

    The one place a feed's fellowship changes how its codes read, whatever the format: GA's
    codes for GA and Gam-Anon sources (a GAM meeting is Gam-Anon's); others pass through.
    """
    if fellowship not in GA_PROGRAM:
        return list(codes), fellowship
    mapped, program = _ga_types(list(codes))
    return mapped, Fellowship.GAM_ANON if program is Fellowship.GAM_ANON else fellowship


def _ga_types(codes: list[str]) -> tuple[list[str], Fellowship]:
    """GA codes mapped to canonical ones, and the fellowship (Gam-Anon for GAM meetings).

    Codes that GA does not define are passed through for the canonical table to judge.
    """
    out: list[str] = []
    fellowship = Fellowship.GA
    for code in codes:
        key = GA_NAMES.get(code.strip().lower(), code.strip()).upper()
        if key in GAM_ANON_CODES:
            fellowship = Fellowship.GAM_ANON
        if key in GA_TYPES:
            mapped = GA_TYPES[key]
            if mapped:
                out.append(mapped)
        else:
            out.append(code)
    return out, fellowship

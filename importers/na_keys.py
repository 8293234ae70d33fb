"""BMLT format keys per server language, read into NAWS world ids when a feed has no GetFormats.

Keys are localised (``C`` is Closed in English, ``S`` in Swedish; ``CL`` is Candlelight on
stock servers but "Clean leben" on the German-speaking region's). The stock tables follow the
shared format ids of bmlt-server's initial schema (``1902_01_01_000000_create_initial_schema``):
a key takes the world id of the English format with the same shared id. Keys not in a table are
reported by the importer, never guessed.
"""
from __future__ import annotations

from importers.programs import NA_STOCK_KEYS

# Universal keys: the same on every server, whatever its language.
_UNIVERSAL = {"VM": "VM", "TC": "TC", "HY": "HYBR", "SPAD": "SPAD"}

# Spanish, French, Polish, Russian and Persian stock servers keep the English keys.
_ENGLISH_KEYS = {key: world for key, world in NA_STOCK_KEYS.items()}

_ITALIAN = {
    "NV": "BEG", "BL": "LANG", "TB": "BT", "Ch.": "CLOSED", "SF": "CH", "LC": "CAN",
    "Disc.": "DISC", "ES": "LANG", "SPO": "JFT", "U": "M", "Ap.": "OPEN", "GLP": "SWG",
    "P": "STEP", "Arg.": "TOP", "T": "TRAD", "TW": "TRAD", "D": "W", "SR": "WCHR", "NF": "NS",
    "TS": "QA", "AR": "RA", "D/R": "QA", "Ba": "CW", "C": "CPT", "VP": "LC",
}
_PORTUGUESE = {
    "RC": "BEG", "BL": "LANG", "TB": "BT", "F": "CLOSED", "FF": "CH", "LV": "CAN", "D": "DISC",
    "ES": "LANG", "LGBT": "GL", "IP": "IP", "FUN": "IW", "SPH": "JFT", "H": "M", "PC": "NC",
    "A": "OPEN", "FR": "VAR", "TD": "S-D", "EP": "SWG", "TM": "SPK", "PS": "STEP", "To": "TOP",
    "Tr": "TRAD", "TW": "TRAD", "M": "W", "CadT": "WCHR", "CadP": "WCHR", "Jv": "Y", "EL": "LIT",
    "NF": "NS", "ST": "QA", "ME": "MED", "AR": "RA", "PR": "QA", "CBV": "CW", "Con": "CPT",
    "FIN": "LANG", "ENG": "LANG", "PER": "LANG", "L/R": "LANG", "VL": "LC", "GP": "GP",
}
_SWEDISH = {"S": "CLOSED", "Ö": "OPEN", "M": "M", "K": "W", "RL": "WCHR", "ENG": "LANG",
            "PER": "LANG"}
# The German-speaking region's own keys (narcotics-anonymous.de), each confirmed by the names of
# the meetings that carry it ("Nur für Heute", "Es funktioniert", "Clean leben", "Männermeeting").
# Its other keys (O1..O5, Sp1..Sp5, Wo1..Wo4: a format in one week of the month only; KT, kf,
# wf, p, Essf, inst, ...) have no NAWS equivalent we can confirm: they are reported.
_GERMAN = {
    "O": "OPEN", "Beh": "WCHR", "nfh": "JFT", "EF": "IW", "Lit": "LIT", "T": "TOP", "S": "STEP",
    "Tr": "TRAD", "Sp": "SPK", "CL": "LC", "BT": "BT", "M": "M", "F": "W", "glbtiiq": "GL",
    "Med": "MED", "Aussen": "OUTDOOR",
}

STOCK_KEYS: dict[str, dict[str, str]] = {
    "en": _ENGLISH_KEYS, "es": _ENGLISH_KEYS, "fr": _ENGLISH_KEYS, "pl": _ENGLISH_KEYS,
    "ru": _ENGLISH_KEYS, "fa": _ENGLISH_KEYS, "it": _ITALIAN, "pt": _PORTUGUESE, "sv": _SWEDISH,
    "de": _GERMAN,
}


def stock_keys(language: str | None) -> dict[str, str] | None:
    """Key -> world id on a server speaking ``language`` (universal keys included), or None."""
    table = STOCK_KEYS.get((language or "").strip().lower()[:2])
    return {**_UNIVERSAL, **table} if table is not None else None

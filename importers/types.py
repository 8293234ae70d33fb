"""The canonical meeting type codes (Meeting Guide spec ``data/types.json``) and legacy aliases."""
from __future__ import annotations

# Code -> English name. Codes are reserved by the spec; users only ever see the names.
TYPES: dict[str, str] = {
    "11": "11th Step Meditation", "12x12": "12 Steps & 12 Traditions", "A": "Secular",
    "ABSI": "As Bill Sees It", "AF": "Afrikaans", "AL": "Concurrent with Alateen",
    "AL-AN": "Concurrent with Al-Anon", "AM": "Amharic", "AR": "Arabic",
    "ASL": "American Sign Language", "B": "Big Book", "BA": "Babysitting Available",
    "BE": "Newcomer", "BG": "Bulgarian", "BI": "Bisexual", "BRK": "Breakfast", "C": "Closed",
    "CAN": "Candlelight", "CF": "Child-Friendly", "D": "Discussion", "DA": "Danish",
    "DB": "Digital Basket", "DD": "Dual Diagnosis", "DE": "German", "DR": "Daily Reflections",
    "EL": "Greek", "EN": "English", "FA": "Persian", "FF": "Fragrance Free", "FI": "Finnish",
    "FR": "French", "G": "Gay", "GR": "Grapevine", "H": "Birthday", "HE": "Hebrew", "HI": "Hindi",
    "HR": "Croatian", "HU": "Hungarian", "IS": "Icelandic", "ITA": "Italian", "JA": "Japanese",
    "KA": "Georgian", "KOR": "Korean", "L": "Lesbian", "LGBTQ": "LGBTQ", "LIT": "Literature",
    "LS": "Living Sober", "LT": "Lithuanian", "M": "Men", "MED": "Meditation", "ML": "Malayalam",
    "MT": "Maltese", "N": "Native American", "NB": "Non-Binary", "NDG": "Indigenous",
    "NE": "Nepali", "NL": "Dutch", "NO": "Norwegian", "O": "Open", "OUT": "Outdoor",
    "P": "Professionals", "POA": "Proof of Attendance", "POC": "People of Color",
    "POL": "Polish", "POR": "Portuguese", "PUN": "Punjabi", "RUS": "Russian", "S": "Spanish",
    "SEN": "Seniors", "SK": "Slovak", "SL": "Slovenian", "SM": "Smoking Permitted",
    "SP": "Speaker", "ST": "Step Study", "SV": "Swedish", "T": "Transgender",
    "TC": "Location Temporarily Closed", "TH": "Thai", "TL": "Tagalog", "TR": "Tradition Study",
    "TUR": "Turkish", "UK": "Ukrainian", "W": "Women", "X": "Wheelchair Access",
    "XB": "Wheelchair-Accessible Bathroom", "XT": "Cross Talk Permitted", "Y": "Young People",
    # Not in the spec: GA's code in the 12 Step Meeting List `ga` program (importers/programs.py).
    "GAA": "Concurrent with Gam-Anon",
}

# ISO 639-1 language codes some feeds use, mapped to the legacy codes of the spec (TSML does
# the same substitution for AA, CA, GA and SIA). Only codes that are no type: a type code always
# wins (``TR`` is Tradition Study, never Turkish).
LANGUAGE_ALIASES: dict[str, str] = {
    "ES": "S", "IT": "ITA", "KO": "KOR", "PA": "PUN", "PL": "POL", "PT": "POR", "RU": "RUS",
}

# Dropped on import: attendance is derived, never trusted from a flag.
IGNORED: frozenset[str] = frozenset({"ONL", "NS"})

_BY_UPPER = {code.upper(): code for code in TYPES}


def canonical_type(code: str) -> str | None:
    """The canonical code for ``code`` (case-insensitive; types first, then language aliases)."""
    upper = code.strip().upper()
    return _BY_UPPER.get(upper) or LANGUAGE_ALIASES.get(upper)

"""Meeting type names in each interface language (codes are never shown to people)."""
from __future__ import annotations

from importers.types import TYPES

# Spanish names, following the Meeting Guide spec's own translations where it has them.
TYPES_ES: dict[str, str] = {
    "11": "Meditación del Paso 11", "12x12": "12 Pasos y 12 Tradiciones", "A": "Secular",
    "ABSI": "Como lo ve Bill", "AF": "Afrikáans", "AL": "Concurrente con Alateen",
    "AL-AN": "Concurrente con Al-Anon", "AM": "Amárico", "AR": "Árabe",
    "ASL": "Lengua de señas americana", "B": "Libro Grande", "BA": "Guardería disponible",
    "BE": "Principiantes", "BG": "Búlgaro", "BI": "Bisexual", "BRK": "Desayuno", "C": "Cerrada",
    "CAN": "Luz de vela", "CF": "Niños bienvenidos", "D": "Discusión", "DA": "Danés",
    "DB": "Canasta digital", "DD": "Diagnóstico dual", "DE": "Alemán", "DR": "Reflexiones diarias",
    "EL": "Griego", "EN": "Inglés", "FA": "Persa", "FF": "Sin fragancias", "FI": "Finlandés",
    "FR": "Francés", "G": "Gay", "GR": "La Viña", "H": "Aniversario", "HE": "Hebreo", "HI": "Hindi",
    "HR": "Croata", "HU": "Húngaro", "IS": "Islandés", "ITA": "Italiano", "JA": "Japonés",
    "KA": "Georgiano", "KOR": "Coreano", "L": "Lesbiana", "LGBTQ": "LGBTQ", "LIT": "Literatura",
    "LS": "Viviendo sobrio", "LT": "Lituano", "M": "Hombres", "MED": "Meditación",
    "ML": "Malayalam", "MT": "Maltés", "N": "Nativo americano", "NB": "No binario",
    "NDG": "Indígena", "NE": "Nepalí", "NL": "Neerlandés", "NO": "Noruego", "O": "Abierta",
    "OUT": "Al aire libre", "P": "Profesionales", "POA": "Prueba de asistencia",
    "POC": "Personas de color", "POL": "Polaco", "POR": "Portugués", "PUN": "Punjabi",
    "RUS": "Ruso", "S": "Español", "SEN": "Personas mayores", "SK": "Eslovaco", "SL": "Esloveno",
    "SM": "Se permite fumar", "SP": "Orador", "ST": "Estudio de pasos", "SV": "Sueco",
    "T": "Transgénero", "TC": "Local temporalmente cerrado", "TH": "Tailandés", "TL": "Tagalo",
    "TR": "Estudio de tradiciones", "TUR": "Turco", "UK": "Ucraniano", "W": "Mujeres",
    "X": "Acceso para silla de ruedas", "XB": "Baño accesible para silla de ruedas",
    "XT": "Se permite diálogo cruzado", "Y": "Jóvenes",
    "GAA": "Concurrente con Gam-Anon",
}

NAMES: dict[str, dict[str, str]] = {"en": TYPES, "es": TYPES_ES}


def type_name(code: str, language: str = "en") -> str:
    """The name of a type code in ``language``, falling back to English, then to the code."""
    return NAMES.get(language, {}).get(code) or TYPES.get(code) or code

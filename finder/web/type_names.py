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

# German names; "Meeting" and AA's own words ("Blaues Buch", the "Hut" passed round).
TYPES_DE: dict[str, str] = {
    "11": "Meditation zum 11. Schritt", "12x12": "12 Schritte und 12 Traditionen", "A": "Säkular",
    "ABSI": "Wie Bill es sieht", "AF": "Afrikaans", "AL": "Parallel mit Alateen",
    "AL-AN": "Parallel mit Al-Anon", "AM": "Amharisch", "AR": "Arabisch",
    "ASL": "Amerikanische Gebärdensprache", "B": "Blaues Buch", "BA": "Kinderbetreuung vorhanden",
    "BE": "Für Neuankömmlinge", "BG": "Bulgarisch", "BI": "Bisexuell", "BRK": "Frühstück",
    "C": "Geschlossen", "CAN": "Kerzenschein", "CF": "Kinder willkommen", "D": "Gesprächsmeeting",
    "DA": "Dänisch", "DB": "Digitaler Hut", "DD": "Doppeldiagnose", "DE": "Deutsch",
    "DR": "Tägliche Betrachtungen", "EL": "Griechisch", "EN": "Englisch", "FA": "Persisch",
    "FF": "Duftfrei", "FI": "Finnisch", "FR": "Französisch", "G": "Schwul", "GR": "Grapevine",
    "H": "Geburtstag", "HE": "Hebräisch", "HI": "Hindi", "HR": "Kroatisch", "HU": "Ungarisch",
    "IS": "Isländisch", "ITA": "Italienisch", "JA": "Japanisch", "KA": "Georgisch",
    "KOR": "Koreanisch", "L": "Lesbisch", "LGBTQ": "LGBTQ", "LIT": "Literatur",
    "LS": "Nüchtern leben", "LT": "Litauisch", "M": "Männer", "MED": "Meditation",
    "ML": "Malayalam", "MT": "Maltesisch", "N": "Indigene Amerikaner", "NB": "Nichtbinär",
    "NDG": "Indigen", "NE": "Nepali", "NL": "Niederländisch", "NO": "Norwegisch", "O": "Offen",
    "OUT": "Im Freien", "P": "Fachleute", "POA": "Teilnahmebestätigung", "POC": "People of Color",
    "POL": "Polnisch", "POR": "Portugiesisch", "PUN": "Panjabi", "RUS": "Russisch", "S": "Spanisch",
    "SEN": "Senioren", "SK": "Slowakisch", "SL": "Slowenisch", "SM": "Rauchen erlaubt",
    "SP": "Sprechermeeting", "ST": "Schrittearbeit", "SV": "Schwedisch", "T": "Transgender",
    "TC": "Ort vorübergehend geschlossen", "TH": "Thailändisch", "TL": "Tagalog",
    "TR": "Traditionen", "TUR": "Türkisch", "UK": "Ukrainisch", "W": "Frauen",
    "X": "Rollstuhlgerecht", "XB": "Rollstuhlgerechtes WC", "XT": "Querreden erlaubt",
    "Y": "Junge Leute", "GAA": "Parallel mit Gam-Anon",
}

# French names, following the Meeting Guide spec's own French where it reads naturally
# ("réunion" is feminine: "Ouverte", "Fermée").
TYPES_FR: dict[str, str] = {
    "11": "Méditation sur la 11e Étape", "12x12": "12 Étapes et 12 Traditions", "A": "Laïque",
    "ABSI": "Réflexions de Bill", "AF": "Afrikaans", "AL": "En même temps qu’Alateen",
    "AL-AN": "En même temps qu’Al-Anon", "AM": "Amharique", "AR": "Arabe",
    "ASL": "Langue des signes américaine", "B": "Gros Livre", "BA": "Garde d’enfants disponible",
    "BE": "Nouveaux venus", "BG": "Bulgare", "BI": "Bisexuel", "BRK": "Petit déjeuner",
    "C": "Fermée", "CAN": "À la chandelle", "CF": "Enfants bienvenus", "D": "Discussion",
    "DA": "Danois", "DB": "Panier numérique", "DD": "Double diagnostic", "DE": "Allemand",
    "DR": "Réflexions quotidiennes", "EL": "Grec", "EN": "Anglais", "FA": "Persan",
    "FF": "Sans parfum", "FI": "Finnois", "FR": "Français", "G": "Gai", "GR": "Grapevine",
    "H": "Anniversaire", "HE": "Hébreu", "HI": "Hindi", "HR": "Croate", "HU": "Hongrois",
    "IS": "Islandais", "ITA": "Italien", "JA": "Japonais", "KA": "Géorgien", "KOR": "Coréen",
    "L": "Lesbiennes", "LGBTQ": "LGBTQ", "LIT": "Publications", "LS": "Vivre… sans alcool",
    "LT": "Lituanien", "M": "Hommes", "MED": "Méditation", "ML": "Malayalam", "MT": "Maltais",
    "N": "Autochtones d’Amérique", "NB": "Non binaire", "NDG": "Autochtone", "NE": "Népalais",
    "NL": "Néerlandais", "NO": "Norvégien", "O": "Ouverte", "OUT": "En plein air",
    "P": "Professionnels", "POA": "Attestation de présence", "POC": "Personnes de couleur",
    "POL": "Polonais", "POR": "Portugais", "PUN": "Pendjabi", "RUS": "Russe", "S": "Espagnol",
    "SEN": "Aînés", "SK": "Slovaque", "SL": "Slovène", "SM": "Fumer permis",
    "SP": "Conférencier", "ST": "Étude des Étapes", "SV": "Suédois", "T": "Transgenre",
    "TC": "Lieu temporairement fermé", "TH": "Thaï", "TL": "Tagalog",
    "TR": "Étude des Traditions", "TUR": "Turc", "UK": "Ukrainien", "W": "Femmes",
    "X": "Accès en fauteuil roulant", "XB": "Toilettes accessibles en fauteuil roulant",
    "XT": "Échanges croisés permis", "Y": "Jeunes", "GAA": "En même temps que Gam-Anon",
}

# Portuguese (Brazil) names; AA's own words there ("Livro Azul", "Na opinião do Bill", "sacola").
TYPES_PT: dict[str, str] = {
    "11": "Meditação do 11º Passo", "12x12": "12 Passos e 12 Tradições", "A": "Laica",
    "ABSI": "Na opinião do Bill", "AF": "Africâner", "AL": "Junto com Alateen",
    "AL-AN": "Junto com Al-Anon", "AM": "Amárico", "AR": "Árabe",
    "ASL": "Língua de sinais americana", "B": "Livro Azul",
    "BA": "Cuidado de crianças disponível", "BE": "Recém-chegados", "BG": "Búlgaro",
    "BI": "Bissexual", "BRK": "Café da manhã", "C": "Fechada", "CAN": "À luz de velas",
    "CF": "Crianças bem-vindas", "D": "Discussão", "DA": "Dinamarquês", "DB": "Sacola digital",
    "DD": "Diagnóstico duplo", "DE": "Alemão", "DR": "Reflexões diárias", "EL": "Grego",
    "EN": "Inglês", "FA": "Persa", "FF": "Sem perfume", "FI": "Finlandês", "FR": "Francês",
    "G": "Gay", "GR": "Grapevine", "H": "Aniversário", "HE": "Hebraico", "HI": "Hindi",
    "HR": "Croata", "HU": "Húngaro", "IS": "Islandês", "ITA": "Italiano", "JA": "Japonês",
    "KA": "Georgiano", "KOR": "Coreano", "L": "Lésbicas", "LGBTQ": "LGBTQ", "LIT": "Literatura",
    "LS": "Viver sóbrio", "LT": "Lituano", "M": "Homens", "MED": "Meditação", "ML": "Malaiala",
    "MT": "Maltês", "N": "Nativos americanos", "NB": "Não binário", "NDG": "Indígena",
    "NE": "Nepalês", "NL": "Holandês", "NO": "Norueguês", "O": "Aberta", "OUT": "Ao ar livre",
    "P": "Profissionais", "POA": "Comprovante de presença", "POC": "Pessoas de cor",
    "POL": "Polonês", "POR": "Português", "PUN": "Punjabi", "RUS": "Russo", "S": "Espanhol",
    "SEN": "Pessoas idosas", "SK": "Eslovaco", "SL": "Esloveno", "SM": "Permitido fumar",
    "SP": "Palestrante", "ST": "Estudo dos Passos", "SV": "Sueco", "T": "Transgênero",
    "TC": "Local temporariamente fechado", "TH": "Tailandês", "TL": "Tagalo",
    "TR": "Estudo das Tradições", "TUR": "Turco", "UK": "Ucraniano", "W": "Mulheres",
    "X": "Acesso para cadeira de rodas", "XB": "Banheiro acessível para cadeira de rodas",
    "XT": "Comentários cruzados permitidos", "Y": "Jovens", "GAA": "Junto com Gam-Anon",
}

NAMES: dict[str, dict[str, str]] = {"en": TYPES, "es": TYPES_ES, "de": TYPES_DE, "fr": TYPES_FR,
                                    "pt": TYPES_PT}


def type_name(code: str, language: str = "en") -> str:
    """The name of a type code in ``language``, falling back to English, then to the code."""
    return NAMES.get(language, {}).get(code) or TYPES.get(code) or code

"""The catalogues (Spanish, German, French, Portuguese): in step with the sources, complete, compiled, served."""
from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_keywords, parse_mapping_cfg
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "finder" / "translations"
POT = TRANSLATIONS / "messages.pot"
#: Each catalogue's plural rule, as gettext writes it (two forms each; French and Brazilian
#: Portuguese count zero as singular). Babel's CLDR default adds a third form for millions.
PLURALS = {"es": "(n != 1)", "de": "(n != 1)", "fr": "(n > 1)", "pt": "(n > 1)"}
LOCALES = tuple(PLURALS)
FIX = "run `make translations`, translate the new messages in finder/translations/*/LC_MESSAGES/messages.po, then `make translations` again"
# Python %-format placeholders (what flask_babel's gettext fills), "%%" included so it is kept too.
PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[#0 +\-]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[diouxXeEfFgGcrsa%]")


def key(message) -> tuple:
    """A message's identity in a catalogue: its msgid (with plural) and context."""
    msgid = tuple(message.id) if isinstance(message.id, list | tuple) else message.id
    return (msgid, message.context)


def extracted() -> set[tuple]:
    """The messages `pybabel extract` finds in the sources today, with the Makefile's options."""
    with open(TRANSLATIONS / "babel.cfg", encoding="utf-8") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    keywords = dict(DEFAULT_KEYWORDS) | parse_keywords(["lazy_gettext"])
    catalog = Catalog()
    for filename, lineno, message, comments, context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=keywords
    ):
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return {key(m) for m in catalog if m.id}


def read_catalog(path: Path, locale: str | None = None) -> Catalog:
    """A .po or .pot file as a Babel catalogue."""
    with open(path, "rb") as f:
        return read_po(f, locale=locale)


def placeholders(text: str | tuple) -> set[str]:
    """The %-placeholders in a message or in all forms of a plural one."""
    texts = text if isinstance(text, tuple) else (text,)
    return {found for t in texts for found in PLACEHOLDER.findall(t or "")}


def test_the_template_lists_exactly_what_the_sources_mark():
    template = {key(m) for m in read_catalog(POT) if m.id}
    current = extracted()
    new, gone = sorted(map(str, current - template)), sorted(map(str, template - current))
    assert not new and not gone, (
        f"finder/translations/messages.pot is out of date ({len(new)} new, {len(gone)} gone "
        f"messages): {FIX}.\nNew: {new[:10]}\nGone: {gone[:10]}"
    )


@pytest.mark.parametrize("locale", LOCALES)
def test_every_message_is_translated_with_the_same_placeholders(locale):
    template = read_catalog(POT)
    catalog = read_catalog(TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po", locale)
    assert catalog.num_plurals == 2 and catalog.plural_expr == PLURALS[locale]
    problems = []
    for wanted in template:
        if not wanted.id:
            continue
        message = catalog.get(wanted.id, wanted.context)
        forms = message.string if message and isinstance(message.string, tuple) else (
            (message.string,) if message else ())
        if message is None or not forms or not all(forms):
            problems.append(f"untranslated: {wanted.id!r}")
        elif message.fuzzy:
            problems.append(f"fuzzy (check it, then remove the flag): {wanted.id!r}")
        elif any(placeholders(form) != placeholders(wanted.id) for form in forms):
            problems.append(f"placeholders differ: {wanted.id!r} -> {message.string!r}")
        elif len(forms) != (catalog.num_plurals if wanted.pluralizable else 1):
            problems.append(f"wrong number of plural forms: {wanted.id!r}")
    problems += [f"{m.id!r}: {', '.join(map(str, errors))}" for m, errors in catalog.check()]
    assert not problems, f"{locale} catalogue: {FIX}.\n" + "\n".join(problems)


@pytest.mark.parametrize("locale", LOCALES)
def test_the_committed_mo_is_the_compiled_po(locale):
    folder = TRANSLATIONS / locale / "LC_MESSAGES"
    fresh = io.BytesIO()
    write_mo(fresh, read_catalog(folder / "messages.po", locale))
    fresh.seek(0)
    with open(folder / "messages.mo", "rb") as f:
        committed = read_mo(f)
    compiled = read_mo(fresh)

    def table(catalog: Catalog) -> dict:
        return {key(m): m.string for m in catalog if m.id}

    assert table(committed) == table(compiled), f"messages.mo is stale: {FIX}"
    assert committed.plural_forms == compiled.plural_forms


def test_pages_in_spanish(client, make_meeting):
    meeting_id = make_meeting(name="Grupo Esperanza").id
    page = client.get("/?lang=es").get_data(as_text=True)
    assert '<html lang="es">' in page
    assert "<h1>Encuentra una reunión</h1>" in page and "Cualquier día" in page
    # The choice is remembered, and the meeting page follows it.
    page = client.get(f"/meetings/{meeting_id}").get_data(as_text=True)
    assert '<html lang="es">' in page
    assert "Martes 19:00–20:00" in page and "Cómo llegar" in page
    assert "Sobre esta reunión" in page and "Abierta" in page  # type names in Spanish too


def test_english_stays_the_default(client):
    page = client.get("/", headers={"Accept-Language": "nl"}).get_data(as_text=True)
    assert '<html lang="en">' in page and "<h1>Find a meeting</h1>" in page
    page = client.get("/", headers={"Accept-Language": "es-MX,es;q=0.9"}).get_data(as_text=True)
    assert "<h1>Encuentra una reunión</h1>" in page
    page = client.get("/", headers={"Accept-Language": "de-DE,de;q=0.9"}).get_data(as_text=True)
    assert '<html lang="de">' in page and "<h1>Ein Meeting finden</h1>" in page


def test_form_messages_in_spanish_and_still_escaped(post_form, new_meeting):
    data = new_meeting | {"time": "25:99", "types": ["<script>x</script>"]}
    page = post_form("/submissions/new?lang=es", data).get_data(as_text=True)
    assert "Escribe la hora de inicio como HH:MM, por ejemplo 19:30." in page
    assert "<script>x</script>" not in page and "&lt;script&gt;" in page

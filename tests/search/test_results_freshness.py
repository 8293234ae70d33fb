"""Search results say which listings may be out of date, as the meeting page does: a meeting not
confirmed for 90 days, or whose source is failing or flagged, reads "Not confirmed since …"."""
from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from finder.models import utcnow

OLD = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)  # far more than 90 days before any run of this test


@pytest.fixture
def listed(make_source, make_meeting):
    """Three meetings near 10027: from a healthy source, a long-silent one, and a failing one."""
    recent = utcnow() - timedelta(days=2)
    sources = {
        "fresh": make_source("healthy", last_success_at=recent),
        "silent": make_source("silent", last_success_at=OLD),
        "failing": make_source("failing", last_success_at=recent, failures=3),
    }
    for key, source in sources.items():
        make_meeting(source_id=source.id, slug=key, source_key=key, name=f"Grupo {key}")


def result_items(page: str) -> dict[str, str]:
    """Each result's HTML by the meeting's name."""
    items = re.findall(r'<li class="meeting.*?</li>', page, re.S)
    return {re.search(r'class="name"[^>]*>([^<]+)<', item)[1]: item for item in items}


def freshness_label(item: str) -> str | None:
    found = re.search(r'<p class="freshness stale">([^<]+)</p>', item)
    return found[1] if found else None


def test_stale_and_failing_listings_are_labelled_in_results(client, listed):
    page = client.get("/?near=10027&tz=America/New_York&lang=en").get_data(as_text=True)
    items = result_items(page)
    assert set(items) == {"Grupo fresh", "Grupo silent", "Grupo failing"}
    assert freshness_label(items["Grupo fresh"]) is None
    assert freshness_label(items["Grupo silent"]) == "Not confirmed since Jun 1, 2026."
    confirmed = utcnow() - timedelta(days=2)
    assert freshness_label(items["Grupo failing"]) == \
        f"Not confirmed since {confirmed:%b} {confirmed.day}, {confirmed.year}."


def test_the_label_is_in_the_readers_language(client, listed):
    german = result_items(client.get("/?near=10027&lang=de").get_data(as_text=True))
    assert freshness_label(german["Grupo silent"]) == "Seit 01.06.2026 nicht bestätigt."
    spanish = result_items(client.get("/?near=10027&lang=es").get_data(as_text=True))
    assert freshness_label(spanish["Grupo silent"]) == "Sin confirmar desde el 1 jun 2026."


def test_a_listing_never_confirmed_says_so(client, make_meeting):
    make_meeting(name="Grupo nuevo")  # its source has never imported successfully
    page = client.get("/?near=10027&lang=fr").get_data(as_text=True)
    assert freshness_label(result_items(page)["Grupo nuevo"]) == "Pas encore confirmée."

"""Pages name a source as people know it, never by the key an operator typed ("oc", "bmlt-berlin")."""
from __future__ import annotations


def test_a_source_without_a_display_name_is_named_by_its_site(client, make_source, make_meeting):
    source = make_source("bmlt-berlin", url="https://www.aa-berlin.example/main_server/")
    meeting_id = make_meeting(source_id=source.id, name="Gruppe Mitte").id
    page = client.get(f"/meetings/{meeting_id}?lang=de").get_data(as_text=True)
    assert "Gelistet von aa-berlin.example." in page and "bmlt-berlin" not in page


def test_a_file_source_keeps_its_key_as_a_last_resort(client, make_source, make_meeting):
    source = make_source("oc", url="/srv/feeds/oc.json")
    meeting_id = make_meeting(source_id=source.id).id
    page = client.get(f"/meetings/{meeting_id}?lang=en").get_data(as_text=True)
    assert "Listed by oc." in page

"""Security headers on pages and API responses."""
from __future__ import annotations


def test_pages_get_a_strict_policy(client):
    response = client.get("/meetings")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "img-src 'self' data: https://tile.openstreetmap.org" in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "no-referrer"


def test_json_gets_no_html_policy_but_no_sniffing(client):
    response = client.get("/api/v1/openapi.json")
    assert "Content-Security-Policy" not in response.headers
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_the_session_cookie_stays_on_this_site(client):
    response = client.get("/submissions/new")  # a form: the session holds its CSRF secret
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("session=") and "HttpOnly" in cookie and "SameSite=Lax" in cookie

"""A web app manifest and PNG icons, so a phone can add the community to its home screen (issue 17)."""
from __future__ import annotations

from pathlib import Path

from PIL import Image

STATIC = Path(__file__).resolve().parents[1] / "static"


def test_the_manifest_is_public_and_names_the_community_in_its_language(app, client):
    app.config["COMMUNITY_SHORT_NAME"] = "茶馆"
    app.config["BABEL_DEFAULT_LOCALE"] = "zh_Hans"
    try:
        response = client.get("/manifest.webmanifest")
    finally:
        app.config["COMMUNITY_SHORT_NAME"], app.config["BABEL_DEFAULT_LOCALE"] = None, "en"
    assert response.status_code == 200 and response.mimetype == "application/manifest+json"
    body = response.get_json(force=True)
    assert body["name"] == app.config["COMMUNITY_NAME"] and body["short_name"] == "茶馆"
    assert body["lang"] == "zh-Hans" and body["description"] == "私密研究社区"
    assert body["theme_color"] == app.config["THEME_COLOUR"] and body["display"] == "standalone"
    assert body["start_url"] == "/"
    for icon in body["icons"]:
        with client.get(icon["src"]) as served:
            assert served.status_code == 200 and served.mimetype == "image/png"
        width, height = (int(n) for n in icon["sizes"].split("x"))
        with Image.open(STATIC / icon["src"].removeprefix("/static/")) as image:
            assert image.size == (width, height)
    assert {"192x192", "512x512"} <= {icon["sizes"] for icon in body["icons"]}


def test_every_page_links_the_manifest_the_touch_icon_and_the_theme_colour(app, client, member_client):
    for page in (client.get("/login"), member_client.get("/")):
        html = page.get_data(as_text=True)
        assert '<link rel="manifest" href="/manifest.webmanifest">' in html
        assert 'rel="apple-touch-icon"' in html and f'<meta name="theme-color" content="{app.config["THEME_COLOUR"]}">' in html

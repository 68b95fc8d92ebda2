"""The web app manifest, so a phone can add the community to its home screen (public, like the icons)."""
from __future__ import annotations

from flask import Response, current_app, json, url_for
from flask_babel import force_locale
from flask_babel import gettext as _

ICON_SIZES = (192, 512)


def web_manifest() -> Response:
    """JSON manifest: the community's name in its own language, its colours and the PNG icons in static/img."""
    config = current_app.config
    name = config["COMMUNITY_NAME"]
    locale = config["BABEL_DEFAULT_LOCALE"]
    with force_locale(locale):
        description = _("A private research community")
    body = {
        "name": name, "short_name": config.get("COMMUNITY_SHORT_NAME") or name[:12],
        "description": description, "lang": locale.replace("_", "-"),
        "start_url": url_for("landing.index"), "scope": url_for("landing.index"), "display": "standalone",
        "background_color": "#f6f8fa", "theme_color": config["THEME_COLOUR"],
        "icons": [{"src": url_for("static", filename=f"img/icon-{size}.png"), "sizes": f"{size}x{size}",
                   "type": "image/png", "purpose": "any"} for size in ICON_SIZES]
        + [{"src": url_for("static", filename="img/icon-maskable-512.png"), "sizes": "512x512",
            "type": "image/png", "purpose": "maskable"}],
    }
    response = Response(json.dumps(body, ensure_ascii=False), mimetype="application/manifest+json")
    response.cache_control.public, response.cache_control.max_age = True, 3600
    return response

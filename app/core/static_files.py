"""The static files (CSS, JS, icons: all small) served from memory.

Flask's own static view hands the server an open file; a browser that drops the connection mid-transfer (a page
left while its script still loads) leaves that file to the garbage collector. Read whole, nothing stays open, and
the response keeps Flask's caching rules (conditional requests, the app's max age).
"""
from __future__ import annotations

import io
import mimetypes
from pathlib import Path

from flask import Flask, abort, current_app, send_file
from werkzeug.security import safe_join


def send_whole(path: Path, mimetype: str, *, max_age: int | None, etag_prefix: str = ""):
    """``path`` read whole into a conditional response (an ETag from its size and time), so no open file is left to
    a client that goes away mid-transfer."""
    stat = path.stat()
    return send_file(io.BytesIO(path.read_bytes()), mimetype=mimetype, conditional=True,
                     etag=f"{etag_prefix}{stat.st_size}-{int(stat.st_mtime)}", last_modified=stat.st_mtime,
                     max_age=max_age)


def _static(filename: str):
    folder = current_app.static_folder
    path = safe_join(folder, filename) if folder else None
    if path is None or not Path(path).is_file():
        abort(404)
    file = Path(path)
    mimetype = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
    return send_whole(file, mimetype, max_age=current_app.get_send_file_max_age(filename))


def init_app(app: Flask) -> None:
    app.view_functions["static"] = _static

"""Fragments that are the same for many members (navigation, landing panels), rendered once per key.

They are kept in a small in-process LRU; nothing in them may depend on anything outside the key.
"""
from __future__ import annotations

import threading
from collections import OrderedDict

from flask import current_app, request
from markupsafe import Markup

from app.core.babel_internals import current_locale, current_timezone


class LRU:
    """A small thread-safe least-recently-used map."""

    def __init__(self, size: int) -> None:
        self.size, self.items, self.lock = size, OrderedDict(), threading.Lock()

    def get(self, key):
        with self.lock:
            value = self.items.get(key)
            if value is not None:
                self.items.move_to_end(key)
            return value

    def put(self, key, value) -> None:
        with self.lock:
            self.items[key] = value
            self.items.move_to_end(key)
            while len(self.items) > self.size:
                self.items.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.items.clear()


_fragments = LRU(256)


def fragment(template: str, key: tuple, *, kept_in: LRU | None = None, **context) -> Markup:
    """Render ``template`` with ``context``, or reuse the HTML rendered for the same key.

    The key must determine the context completely; the language, time zone and URL root are added to it here.
    The template is rendered without the request's context processors (no current_user), so nothing personal
    can end up in a shared fragment. ``kept_in``: an LRU of the caller's own, for fragments of many keys (so
    they do not push the navigation's out of the shared one).
    """
    store = _fragments if kept_in is None else kept_in
    full_key = (template, key, current_locale(), current_timezone(), request.script_root)
    html = store.get(full_key)
    if html is None:
        html = Markup(current_app.jinja_env.get_template(template).render(context))
        store.put(full_key, html)
    return html

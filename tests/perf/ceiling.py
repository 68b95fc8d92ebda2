"""The ceiling: a minimal Flask app rendering a Jinja page about the size of ours (for the benchmark's ratios).

The template is compiled once, as ``render_template`` does for a file template; ``render_template_string`` would
compile it again on every request and make the ceiling several times lower than what this machine can serve.
"""
from __future__ import annotations

import os

from flask import Flask

PAGE = """<!doctype html><html><head><title>{{ title }}</title></head><body>
<header><nav>{% for link in links %}<a href="/{{ link }}">{{ link }}</a> {% endfor %}</nav></header>
<main>{% for row in rows %}<article><h2>{{ row.title }}</h2><p>{{ row.text }}</p><span>{{ row.meta }}</span></article>
{% endfor %}</main></body></html>"""

app = Flask(__name__)
SIZE = int(os.environ.get("CEILING_ROWS", "20"))
ROWS = [{"title": f"Thread {i} 口红与防晒", "text": "这款口红颜色很正，持久度也不错。The colour lasts well. " * 4,
         "meta": f"by member {i} · 3 hours ago · 12 replies"} for i in range(SIZE)]


TEMPLATE = app.jinja_env.from_string(PAGE)


@app.route("/")
def page():
    return TEMPLATE.render(title="Ceiling", links=["home", "threads", "tasks", "search"], rows=ROWS)


@app.route("/hello")
def hello():
    """A bare Flask "hello": no template, session, user or database (the floor's target is a share of this)."""
    return "hello"

"""Pages import macros through app.core.templating.ImportingTemplate: the same modules, the same output as Jinja's."""
from __future__ import annotations

import jinja2

from app.core.templating import ImportingTemplate

_TEMPLATES = {"macros.html": "{% macro hello(name) %}Hello {{ name }}{{ extra|default('') }}{% endmacro %}",
              "page.html": '{% from "macros.html" import hello %}{{ hello("you") }}',
              "page_with_context.html": '{% from "macros.html" import hello with context %}{{ hello("you") }}'}


def _environment(template_class) -> jinja2.Environment:
    environment = jinja2.Environment(loader=jinja2.DictLoader(_TEMPLATES))
    environment.template_class = template_class
    return environment


def test_imports_render_as_jinjas_own_with_and_without_extra_globals():
    ours, theirs = _environment(ImportingTemplate), _environment(jinja2.Template)
    for name in ("page.html", "page_with_context.html"):
        for template_globals in (None, {"extra": "!"}):
            rendered = [env.get_template(name, globals=template_globals).render() for env in (ours, theirs)]
            assert rendered[0] == rendered[1], (name, template_globals)
    assert ours.get_template("page.html", globals={"extra": "!"}).render() == "Hello you!"


def test_the_app_loads_its_templates_with_it(app):
    assert isinstance(app.jinja_env.get_template("base.html"), ImportingTemplate)

"""The SVG charts: plain markup, gaps for missing values, text escaped, no scripts."""
from __future__ import annotations

from datetime import date, timedelta

from app.pulse.charts import chart


def test_a_chart_is_svg_with_its_title_and_figures():
    days = [date(2026, 12, 1) + timedelta(days=i) for i in range(5)]
    svg = str(chart("Posts <per> day", days, [("posts", [1, 2, None, 4, 5])]))
    assert svg.startswith("<svg") and "<script" not in svg
    assert "<title>Posts &lt;per&gt; day</title>" in svg
    assert svg.count("<polyline") == 2  # the missing day splits the line
    assert "2026-12-03: –" in svg


def test_bars_and_an_empty_chart():
    days = [date(2026, 12, 1), date(2026, 12, 2)]
    assert str(chart("New", days, [("new", [0, 3])], kind="bar")).count("<rect") == 2
    assert "<svg" in str(chart("Nothing yet", [], [("x", [])]))

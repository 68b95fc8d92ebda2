"""Server-rendered SVG charts: plain markup the page carries itself (no scripts, no third-party assets)."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from markupsafe import Markup, escape

WIDTH, HEIGHT, PAD_LEFT, PAD_BOTTOM, PAD_TOP = 640, 180, 44, 22, 10


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1
    step = 10 ** (len(str(int(value))) - 1)
    return ((value // step) + 1) * step


def _fmt(value: float) -> str:
    return f"{value:.0f}" if value >= 10 or value == int(value) else f"{value:.1f}"


def chart(title: str, days: Sequence[date], series: Sequence[tuple[str, Sequence[float | None]]],
          *, kind: str = "line", tick: Callable[[date], str] = date.isoformat) -> Markup:
    """A line or bar chart of one or more series over ``days``, with an accessible title and the figures in
    <desc>; None values leave a gap. Only the three axis ticks go through ``tick`` (locale formatting is slow)."""
    labels = [day.isoformat() for day in days]
    values = [v for _, points in series for v in points if v is not None]
    top = _nice_max(max(values, default=0))
    plot_w, plot_h = WIDTH - PAD_LEFT - 8, HEIGHT - PAD_BOTTOM - PAD_TOP
    count = max(len(labels), 1)

    def x(i: int) -> float:
        return PAD_LEFT + (plot_w * (i + 0.5) / count)

    def y(v: float) -> float:
        return PAD_TOP + plot_h - plot_h * v / top

    parts = [f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" xmlns="http://www.w3.org/2000/svg">',
             f"<title>{escape(title)}</title>",
             "<desc>" + escape("; ".join(f"{label}: " + ", ".join("–" if p[i] is None else _fmt(p[i])
                                                                  for _, p in series)
                                         for i, label in enumerate(labels))) + "</desc>"]
    for fraction in (0, 0.5, 1):
        level = y(top * fraction)
        parts.append(f'<line class="grid" x1="{PAD_LEFT}" x2="{WIDTH - 8}" y1="{level:.1f}" y2="{level:.1f}"/>'
                     f'<text class="axis" x="{PAD_LEFT - 4}" y="{level + 4:.1f}" text-anchor="end">'
                     f"{_fmt(top * fraction)}</text>")
    for index, (name, points) in enumerate(series):
        parts.append(_series(kind, index, len(series), points, x, y, plot_w / count))
    for i in sorted({0, count // 2, count - 1}) if labels else []:
        parts.append(f'<text class="axis" x="{x(i):.1f}" y="{HEIGHT - 6}" text-anchor="middle">'
                     f"{escape(tick(days[i]))}</text>")
    parts.append("</svg>")
    return Markup("".join(parts))


def _series(kind, index, total, points, x, y, slot) -> str:
    css = f"series series-{index}"
    if kind == "bar":
        width = max(slot / total * 0.8, 1)
        return "".join(f'<rect class="{css}" x="{x(i) - slot * 0.4 + index * width:.1f}" y="{y(v):.1f}" '
                       f'width="{width:.1f}" height="{y(0) - y(v):.1f}"/>'
                       for i, v in enumerate(points) if v is not None)
    segments, current = [], []
    for i, v in enumerate(points):
        if v is None:
            segments, current = segments + [current] if current else segments, []
        else:
            current.append(f"{x(i):.1f},{y(v):.1f}")
    if current:
        segments.append(current)
    return "".join(f'<polyline class="{css}" fill="none" points="{" ".join(seg)}"/>' for seg in segments)

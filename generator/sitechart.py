"""Geometry of the site's inline SVG line charts: numbers in, path strings out; no I/O."""

from __future__ import annotations

from dataclasses import dataclass

WIDTH, HEIGHT = 320, 132
LEFT, RIGHT, TOP, BOTTOM = 30, 8, 8, 20


@dataclass(frozen=True)
class Series:
    """One line: a CSS class and one value per x position (None leaves a gap)."""

    css: str
    values: list[float | None]
    marks: list[str | None] | None = None  # "red" / "yellow" dot at a position, or None


def line_chart(x_labels: list[str], series: list[Series]) -> dict:
    """A chart the template draws: `paths` (d, css), `dots`, `y_ticks`, `x_ticks`, size."""
    values = [v for s in series for v in s.values if v is not None]
    if not values or not x_labels:
        return {}
    low, high = _range(min(values), max(values))
    x = _x_scale(len(x_labels))

    def y(value: float) -> float:
        return TOP + (high - value) / (high - low) * (HEIGHT - TOP - BOTTOM)

    return {
        "width": WIDTH,
        "height": HEIGHT,
        "paths": [{"css": s.css, "d": _path(s.values, x, y)} for s in series],
        "dots": [dot for s in series for dot in _dots(s, x, y)],
        "y_ticks": [{"y": _r(y(v)), "label": _label(v)} for v in (high, low)],
        "x_ticks": _x_ticks(x_labels, x),
        "left": LEFT,
        "right": WIDTH - RIGHT,
        "bottom": HEIGHT - BOTTOM,
    }


def _range(low: float, high: float) -> tuple[float, float]:
    """Round outwards to whole points, with at least 4 points of span to keep noise flat."""
    low, high = float(int(low)), float(int(high) + (0 if high == int(high) else 1))
    if high - low < 4:
        middle = (high + low) / 2
        low, high = float(int(middle - 2)), float(int(middle - 2) + 4)
    return low, high


def _x_scale(count: int):
    span = WIDTH - LEFT - RIGHT
    step = span / (count - 1) if count > 1 else 0

    def x(index: int) -> float:
        return LEFT + (index * step if count > 1 else span / 2)

    return x


def _path(values: list[float | None], x, y) -> str:
    """Line segments through the values; a value alone between gaps becomes a dot."""
    parts = []
    for index, value in enumerate(values):
        if value is None:
            continue
        joined = index > 0 and values[index - 1] is not None
        parts.append(f"{'L' if joined else 'M'}{_r(x(index))} {_r(y(value))}")
        alone = not joined and (index + 1 == len(values) or values[index + 1] is None)
        if alone:
            parts.append("h0.1")
    return "".join(parts)


def _dots(series: Series, x, y) -> list[dict]:
    marks = series.marks or []
    return [
        {"cx": _r(x(i)), "cy": _r(y(v)), "css": mark}
        for i, (v, mark) in enumerate(zip(series.values, marks, strict=False))
        if v is not None and mark
    ]


def _x_ticks(labels: list[str], x) -> list[dict]:
    ends = [0, len(labels) - 1] if len(labels) > 1 else [0]
    anchors = ["start", "end"] if len(labels) > 1 else ["middle"]
    return [
        {"x": _r(x(i)), "label": labels[i], "anchor": anchor}
        for i, anchor in zip(ends, anchors, strict=True)
    ]


def _label(value: float) -> str:
    return f"{value:g}"


def _r(value: float) -> str:
    return f"{value:.1f}"

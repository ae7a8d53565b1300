"""Geometry of the site's inline SVG line charts: numbers in, path strings out; no I/O."""

from __future__ import annotations

import functools
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
    xs = _x_positions(len(x_labels))
    y = _y_texts(low, high)
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "paths": [{"css": s.css, "d": _path(tuple(s.values), xs, low, high)} for s in series],
        "dots": [dot for s in series for dot in _dots(s, xs, y)],
        "y_ticks": [{"y": y[v], "label": _label(v)} for v in (high, low)],
        "x_ticks": _x_ticks(x_labels, xs),
        "left": LEFT,
        "right": WIDTH - RIGHT,
        "bottom": HEIGHT - BOTTOM,
    }


class _YTexts(dict):
    """Points → the y coordinate as the SVG writes it (one decimal), each value worked out and
    formatted once: scores recur (whole and half points), on a county's 24,000 charts."""

    def __init__(self, low: float, high: float) -> None:
        super().__init__()
        self.high, self.span = high, high - low

    def __missing__(self, value: float) -> str:
        y = TOP + (self.high - value) / self.span * (HEIGHT - TOP - BOTTOM)
        text = self[value] = f"{y:.1f}"
        return text


@functools.lru_cache(maxsize=256)
def _y_texts(low: float, high: float) -> _YTexts:
    return _YTexts(low, high)


def _range(low: float, high: float) -> tuple[float, float]:
    """Round outwards to whole points, with at least 4 points of span to keep noise flat."""
    low, high = float(int(low)), float(int(high) + (0 if high == int(high) else 1))
    if high - low < 4:
        middle = (high + low) / 2
        low, high = float(int(middle - 2)), float(int(middle - 2) + 4)
    return low, high


@functools.cache
def _x_positions(count: int) -> tuple[str, ...]:
    """The x coordinate of each of `count` positions, formatted as the paths write them."""
    span = WIDTH - LEFT - RIGHT
    if count == 1:
        return (_r(LEFT + span / 2),)
    step = span / (count - 1)
    return tuple(_r(LEFT + index * step) for index in range(count))


@functools.lru_cache(maxsize=1 << 12)  # a grid's average line recurs on its villages' charts
def _path(values: tuple[float | None, ...], xs: tuple[str, ...], low: float, high: float) -> str:
    """Line segments through the values; a value alone between gaps becomes a dot."""
    y = _y_texts(low, high)
    ys = [None if v is None else y[v] for v in values]
    parts = []
    last = len(ys) - 1
    for index, y in enumerate(ys):
        if y is None:
            continue
        if index and ys[index - 1] is not None:
            parts.append(f"L{xs[index]} {y}")
        elif index < last and ys[index + 1] is not None:
            parts.append(f"M{xs[index]} {y}")
        else:  # alone between gaps: a dot
            parts.append(f"M{xs[index]} {y}h0.1")
    return "".join(parts)


def _dots(series: Series, xs: tuple[str, ...], y: _YTexts) -> list[dict]:
    marks = series.marks or []
    return [
        {"cx": xs[i], "cy": y[v], "css": mark}
        for i, (v, mark) in enumerate(zip(series.values, marks, strict=False))
        if v is not None and mark
    ]


def _x_ticks(labels: list[str], xs: tuple[str, ...]) -> list[dict]:
    ends = [0, len(labels) - 1] if len(labels) > 1 else [0]
    anchors = ["start", "end"] if len(labels) > 1 else ["middle"]
    return [
        {"x": xs[i], "label": labels[i], "anchor": anchor}
        for i, anchor in zip(ends, anchors, strict=True)
    ]


def _label(value: float) -> str:
    return f"{value:g}"


def _r(value: float) -> str:
    return f"{value:.1f}"

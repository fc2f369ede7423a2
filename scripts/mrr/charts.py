"""Inline SVG charts for the report: line, stacked bars, waterfall and heat map.

Each function returns one <svg> string, sized by its viewBox so that it scales with the page. Every
mark carries data-value (the exact number it draws), data-tip (the hover text) and, where it has
them, data-series and data-x, so that a test can read the drawn numbers back from the page.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

Formatter = Callable[[float], str]

WIDTH = 760  # a chart in one column of two
WIDE = 1240  # a chart across the page
HEIGHT = 380
MARGIN_LEFT = 84
MARGIN_RIGHT = 16
MARGIN_TOP = 16
MARGIN_BOTTOM = 58
AXIS_COLOR = "#94a3b8"
GRID_COLOR = "#e2e8f0"
TEXT_COLOR = "#475569"


@dataclass(frozen=True)
class Series:
    """One named series of values along the x axis (None where there is no value)."""

    key: str
    label: str
    values: Sequence[float | None]
    color: str
    dashed: bool = False
    exact: Sequence[str] | None = None  # the exact values as text, for data-value (default repr)

    def exact_value(self, index: int) -> str:
        if self.exact is not None:
            return self.exact[index]
        value = self.values[index]
        return "" if value is None else repr(value)


@dataclass(frozen=True)
class Step:
    """One bar of a waterfall: a total (drawn from 0) or a change (drawn from the running total)."""

    key: str
    label: str
    value: float
    exact: str
    color: str
    is_total: bool = False


@dataclass(frozen=True)
class Cell:
    """One heat map cell."""

    row: str
    column: str
    value: float
    exact: str
    text: str
    tip: str
    color: str
    muted: bool = False  # drawn greyed out (e.g. a cohort too small to read)


@dataclass(frozen=True)
class Frame:
    """The plot area inside the margins and the y scale that maps values onto it."""

    low: float
    high: float
    height: int = HEIGHT
    width: int = WIDTH

    @property
    def top(self) -> float:
        return MARGIN_TOP

    @property
    def bottom(self) -> float:
        return self.height - MARGIN_BOTTOM

    @property
    def left(self) -> float:
        return MARGIN_LEFT

    @property
    def right(self) -> float:
        return self.width - MARGIN_RIGHT

    def y(self, value: float) -> float:
        span = self.high - self.low or 1.0
        return self.bottom - (value - self.low) / span * (self.bottom - self.top)

    def band(self, count: int) -> float:
        return (self.right - self.left) / max(count, 1)

    def x_center(self, index: int, count: int) -> float:
        return self.left + self.band(count) * (index + 0.5)


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values covering [low, high], always including 0 when the range spans it."""
    if math.isclose(low, high):
        low, high = (low - 1, high + 1) if low else (0.0, 1.0)
    raw_step = (high - low) / count
    magnitude = 10 ** math.floor(math.log10(raw_step))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw_step)
    first = math.floor(low / step) * step
    ticks = []
    value = first
    while value < high + step * 0.999:
        ticks.append(round(value, 10))
        value += step
    return ticks


def frame_for(values: Sequence[float], include_zero: bool = True, width: int = WIDTH) -> tuple[Frame, list[float]]:
    """A frame whose y range covers the values (and 0), with its ticks."""
    finite = [value for value in values if value is not None] or [0.0]
    low, high = min(finite), max(finite)
    if include_zero:
        low, high = min(low, 0.0), max(high, 0.0)
    ticks = nice_ticks(low, high)
    return Frame(low=ticks[0], high=ticks[-1], width=width), ticks


def svg(chart_id: str, body: list[str], height: int = HEIGHT, label: str = "", width: int = WIDTH) -> str:
    return (
        f'<svg class="chart-svg" data-chart-svg="{escape(chart_id)}" viewBox="0 0 {width} {height}"'
        f' role="img" aria-label="{escape(label)}" preserveAspectRatio="xMidYMid meet">'
        + "".join(body) + "</svg>"
    )


def text(x: float, y: float, content: str, *, anchor: str = "middle", size: int = 13,
         css: str = "", transform: str = "", data: dict[str, str] | None = None) -> str:
    extra = f' transform="{transform}"' if transform else ""
    extra += "".join(f' data-{key}="{escape(value)}"' for key, value in (data or {}).items())
    klass = f' class="{css}"' if css else ""
    return (f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}"'
            f' fill="{TEXT_COLOR}"{klass}{extra}>{escape(content)}</text>')


def y_axis(frame: Frame, ticks: list[float], fmt: Formatter, label: str) -> list[str]:
    """Grid lines, tick labels and the rotated y axis title."""
    parts = []
    for tick in ticks:
        y = frame.y(tick)
        color = AXIS_COLOR if tick == 0 else GRID_COLOR
        parts.append(f'<line x1="{frame.left}" x2="{frame.right}" y1="{y:.1f}" y2="{y:.1f}" stroke="{color}"/>')
        parts.append(text(frame.left - 8, y + 4, fmt(tick), anchor="end", size=13))
    middle = (frame.top + frame.bottom) / 2
    parts.append(text(18, middle, label, size=14, css="axis-title",
                      transform=f"rotate(-90 18 {middle:.1f})"))
    return parts


def x_axis(frame: Frame, labels: Sequence[str], title: str) -> list[str]:
    """Category labels under the bands (thinned so that they do not touch) and the x axis title."""
    parts = [f'<line x1="{frame.left}" x2="{frame.right}" y1="{frame.bottom}" y2="{frame.bottom}" stroke="{AXIS_COLOR}"/>']
    fits = max(1, int((frame.right - frame.left) // (8 * max(map(len, labels), default=1) + 10)))
    every = max(1, math.ceil(len(labels) / fits))
    for index, label in enumerate(labels):
        if index % every == 0:
            parts.append(text(frame.x_center(index, len(labels)), frame.bottom + 18, label, size=13))
    parts.append(text((frame.left + frame.right) / 2, frame.height - 12, title, size=14, css="axis-title"))
    return parts


def mark_attributes(key: str, x_label: str, exact: str, tip: str) -> str:
    return (f' data-series="{escape(key)}" data-x="{escape(x_label)}" data-value="{escape(exact)}"'
            f' data-tip="{escape(tip)}"')


def line_chart(chart_id: str, x_labels: Sequence[str], series: Sequence[Series], *,
               y_title: str, x_title: str, fmt: Formatter, include_zero: bool = True,
               empty: str = "No values yet.", width: int = WIDTH) -> str:
    """Lines over categories; a None value breaks the line; a dot per value; `empty` written across
    the plot when no series has a value."""
    values = [v for s in series for v in s.values if v is not None]
    frame, ticks = frame_for(values, include_zero, width=width)
    parts = y_axis(frame, ticks, fmt, y_title) + x_axis(frame, x_labels, x_title)
    if not values:
        parts.append(text((frame.left + frame.right) / 2, (frame.top + frame.bottom) / 2, empty,
                          size=15, css="empty-note"))
    count = len(x_labels)
    for line in series:
        parts += line_path(frame, line, count)
        for index, value in enumerate(line.values):
            if value is None:
                continue
            x, y = frame.x_center(index, count), frame.y(value)
            tip = f"{line.label}, {x_labels[index]}: {fmt(value)}"
            parts.append(f'<circle class="mark" cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{line.color}"'
                         + mark_attributes(line.key, x_labels[index], line.exact_value(index), tip) + "/>")
    return svg(chart_id, parts, label=y_title, width=width)


def line_path(frame: Frame, line: Series, count: int) -> list[str]:
    """One <path> per unbroken run of values."""
    runs: list[list[str]] = [[]]
    for index, value in enumerate(line.values):
        if value is None:
            runs.append([])
            continue
        command = "M" if not runs[-1] else "L"
        runs[-1].append(f"{command}{frame.x_center(index, count):.1f},{frame.y(value):.1f}")
    dash = ' stroke-dasharray="6 4"' if line.dashed else ""
    return [f'<path class="line" data-series="{escape(line.key)}" d="{" ".join(run)}" fill="none"'
            f' stroke="{line.color}" stroke-width="2.2"{dash}/>' for run in runs if run]


def stacked_bar_chart(chart_id: str, x_labels: Sequence[str], series: Sequence[Series], *,
                      y_title: str, x_title: str, fmt: Formatter, width: int = WIDTH) -> str:
    """Bars per category: positive values stacked up from 0, negative values stacked down."""
    count = len(x_labels)
    ups = [sum(max(s.values[i] or 0, 0) for s in series) for i in range(count)]
    downs = [sum(min(s.values[i] or 0, 0) for s in series) for i in range(count)]
    frame, ticks = frame_for(ups + downs, width=width)
    parts = y_axis(frame, ticks, fmt, y_title) + x_axis(frame, x_labels, x_title)
    bar_width = frame.band(count) * 0.7
    for index in range(count):
        up = down = 0.0
        for bar in series:
            value = bar.values[index] or 0.0
            if value == 0:
                continue
            base = up if value > 0 else down
            top, bottom = (base + value, base) if value > 0 else (base, base + value)
            if value > 0:
                up += value
            else:
                down += value
            x = frame.x_center(index, count) - bar_width / 2
            tip = f"{bar.label}, {x_labels[index]}: {fmt(value)}"
            parts.append(
                f'<rect class="mark" x="{x:.1f}" y="{frame.y(top):.1f}" width="{bar_width:.1f}"'
                f' height="{max(frame.y(bottom) - frame.y(top), 0.5):.1f}" fill="{bar.color}"'
                + mark_attributes(bar.key, x_labels[index], bar.exact_value(index), tip) + "/>"
            )
    return svg(chart_id, parts, label=y_title, width=width)


def waterfall_chart(chart_id: str, steps: Sequence[Step], *, y_title: str, x_title: str,
                    fmt: Formatter, label_fmt: Formatter) -> str:
    """Totals drawn from 0, changes floating from the running total, joined by thin connectors."""
    running = 0.0
    spans: list[tuple[float, float]] = []
    for bar in steps:
        start = 0.0 if bar.is_total else running
        end = bar.value if bar.is_total else running + bar.value
        spans.append((start, end))
        running = end
    # The y axis covers the running totals, not 0, so that a month's changes stay visible next to
    # its totals; totals are drawn up from the bottom of the axis.
    frame, ticks = frame_for(padded_range([value for span in spans for value in span if value]),
                             include_zero=False)
    spans = [(frame.low, end) if bar.is_total else (start, end) for bar, (start, end) in zip(steps, spans)]
    labels = [bar.label for bar in steps]
    parts = y_axis(frame, ticks, fmt, y_title) + x_axis(frame, labels, x_title)
    width = frame.band(len(steps)) * 0.6
    for index, (bar, (start, end)) in enumerate(zip(steps, spans)):
        x = frame.x_center(index, len(steps)) - width / 2
        top, bottom = frame.y(max(start, end)), frame.y(min(start, end))
        sign = "" if bar.is_total or bar.value < 0 else "+"
        tip = f"{bar.label}: {sign}{fmt(bar.value)}"
        parts.append(
            f'<rect class="mark" x="{x:.1f}" y="{top:.1f}" width="{width:.1f}"'
            f' height="{max(bottom - top, 1.0):.1f}" fill="{bar.color}"'
            + mark_attributes(bar.key, bar.label, bar.exact, tip) + "/>"
        )
        parts.append(text(x + width / 2, top - 5, f"{sign}{label_fmt(bar.value)}", size=12))
        if index + 1 < len(steps):
            y = frame.y(end)
            parts.append(f'<line x1="{x + width:.1f}" x2="{x + frame.band(len(steps)):.1f}"'
                         f' y1="{y:.1f}" y2="{y:.1f}" stroke="{AXIS_COLOR}" stroke-dasharray="3 3"/>')
    return svg(chart_id, parts, label=y_title)


def padded_range(values: Sequence[float]) -> list[float]:
    """The values' range widened by 15 % of itself (at least 5 % of the largest), not below 0."""
    low, high = min(values, default=0.0), max(values, default=1.0)
    pad = max((high - low) * 0.15, abs(high) * 0.05, 1.0)
    return [max(low - pad, 0.0) if low >= 0 else low - pad, high + pad]


def heat_map(chart_id: str, rows: Sequence[str], columns: Sequence[str], cells: Sequence[Cell], *,
             y_title: str, x_title: str, row_labels: dict[str, str] | None = None,
             label_width: int = 150) -> str:
    """A grid of rows x columns; absent cells are left blank. Row labels (row_labels[row], default
    the row itself) sit left, columns below."""
    cell_height = 32
    height = MARGIN_TOP + cell_height * max(len(rows), 1) + MARGIN_BOTTOM
    left, right = MARGIN_LEFT + label_width - 40, WIDE - MARGIN_RIGHT
    cell_width = (right - left) / max(len(columns), 1)
    parts: list[str] = []
    row_index = {row: index for index, row in enumerate(rows)}
    column_index = {column: index for index, column in enumerate(columns)}
    for row, index in row_index.items():
        label = (row_labels or {}).get(row, row)
        parts.append(text(left - 8, MARGIN_TOP + cell_height * (index + 0.5) + 4, label, anchor="end",
                          size=13, css="row-label", data={"row": row}))
    every = max(1, math.ceil(len(columns) / 24))
    bottom = MARGIN_TOP + cell_height * len(rows)
    for column, index in column_index.items():
        if index % every == 0:
            parts.append(text(left + cell_width * (index + 0.5), bottom + 16, column, size=13))
    for cell in cells:
        x = left + cell_width * column_index[cell.column]
        y = MARGIN_TOP + cell_height * row_index[cell.row]
        parts.append(
            f'<rect class="mark" x="{x + 1:.1f}" y="{y + 1:.1f}" width="{cell_width - 2:.1f}"'
            f' height="{cell_height - 2}" rx="3" fill="{cell.color}"'
            + mark_attributes(cell.row, cell.column, cell.exact, cell.tip)
            + (' data-muted="true"' if cell.muted else "") + "/>"
        )
        if cell_width >= 34:
            css = "cell-text muted" if cell.muted else "cell-text"
            parts.append(text(x + cell_width / 2, y + cell_height / 2 + 5, cell.text, size=13, css=css))
    middle = (MARGIN_TOP + bottom) / 2
    parts.append(text(16, middle, y_title, size=14, css="axis-title", transform=f"rotate(-90 16 {middle:.1f})"))
    parts.append(text((left + right) / 2, height - 12, x_title, size=14, css="axis-title"))
    return svg(chart_id, parts, height=height, label=f"{y_title} by {x_title}", width=WIDE)


def mix(color: str, weight: float, base: str = "#f8fafc") -> str:
    """color blended into base: weight 0 is base, 1 is color (both #rrggbb)."""
    weight = min(max(weight, 0.0), 1.0)
    channels = [
        round(int(base[i:i + 2], 16) * (1 - weight) + int(color[i:i + 2], 16) * weight)
        for i in (1, 3, 5)
    ]
    return "#" + "".join(f"{channel:02x}" for channel in channels)

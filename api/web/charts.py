"""Charts drawn on the server as SVG: a timeline (documents per day, week or month, each bar
split into sentiment or stance shares) and reaction by city (one bar per city split into
shares). No charting script: the page works without JS, under a CSP that forbids inline
scripts, and on a phone (the SVG scales to the column's width through its ``viewBox``).
Every bar carries a ``<title>`` (shown on hover, read by screen readers) and the numbers
are also in the tables beside the chart, so nothing is only in colour.

Colours use presentation attributes, not ``style``, so a strict style-src CSP keeps them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from html import escape

from markupsafe import Markup

# One colour per share, with enough contrast between neighbours to tell stacked parts apart
# (and against white, ≥ 3:1 for graphical objects, WCAG 1.4.11).
COLOURS = {
    "positive": "#1a7f37", "neutral": "#8c959f", "negative": "#b42318",
    "support": "#0b57d0", "oppose": "#b42318",
}
STANCE_NEUTRAL_COLOUR = "#8c959f"
NOTICE_COLOUR = "#7a4b00"  # the line of notices per bucket over the reaction's bars
PLAIN_COLOUR = "#0b57d0"  # a bar with no split (notices carry no tone or stance)

# Geometry: heights in CSS pixels, horizontal positions in percent of the chart's width, so the
# SVG fills its column on a phone and a desktop while its text keeps a readable size (a
# scaled viewBox shrank 11 px labels to 6 px on a 390 px phone).
HEIGHT = 240
TOP, BOTTOM = 30, 40  # px: legend above, date labels below
LEFT, RIGHT = 8.0, 2.0  # percent: value labels on the left
FONT = 12  # px
# Spans up to this many days are drawn per day, then per week, then per month: about 10–60
# bars, readable on a 390 px phone.
DAY_SPAN_MAX, WEEK_SPAN_MAX = 45, 366
# Date labels under the bars: at most this many, so they never overlap on a phone.
MAX_DATE_LABELS = 6


@dataclass(frozen=True)
class Part:
    key: str  # positive | support | …
    label: str  # 正面 | 支持 | …
    count: int


@dataclass(frozen=True)
class Bar:
    start: str  # ISO date of the bucket's first day
    count: int
    parts: list[Part]  # the split of ``count`` (may sum to less: documents without the label)
    notices: int | None = None  # notices published in the bucket (reaction timeline)


INTERVAL_WORDS = {"day": "日", "week": "周", "month": "月"}


def timeline_caption(interval: str, unit: str, split: str = "") -> str:
    """每周评论数及立场占比 — what the chart shows, for its title and screen readers."""
    return f"每{INTERVAL_WORDS.get(interval, interval)}{unit}数" + (f"及{split}占比" if split else "")


def interval_for(first: str | None, last: str | None) -> str:
    """day, week or month, from the span of dates the chart covers."""
    try:
        span = (date.fromisoformat(last[:10]) - date.fromisoformat(first[:10])).days
    except (TypeError, ValueError):
        return "month"
    if span <= DAY_SPAN_MAX:
        return "day"
    return "week" if span <= WEEK_SPAN_MAX else "month"


def bucket_label(start: str, interval: str) -> str:
    """How a bucket's start reads on the axis: 5月3日, 5月第1周 → 5/3起, 2024年5月."""
    try:
        d = date.fromisoformat(start[:10])
    except ValueError:
        return start
    if interval == "month":
        return f"{d.year}年{d.month}月"
    if interval == "week":
        return f"{d.month}/{d.day}起"
    return f"{d.month}月{d.day}日"


def _colour(key: str, stance: bool) -> str:
    if stance and key == "neutral":
        return STANCE_NEUTRAL_COLOUR
    return COLOURS.get(key, "#59636e")


def _nice_max(value: int) -> int:
    """The axis top: the smallest of 1, 2, 5 × 10^n at or above ``value``."""
    step = 1
    while True:
        for m in (1, 2, 5):
            if m * step >= value:
                return m * step
        step *= 10


def _pc(value: float) -> str:
    return f"{value:.2f}%"


def timeline_svg(bars: list[Bar], interval: str, *, unit: str, stance: bool, caption: str) -> Markup:
    """Stacked bars over time; a dashed line of notices when the bars carry them."""
    if not bars:
        return Markup("")
    top = _nice_max(max(max(b.count for b in bars), max((b.notices or 0) for b in bars), 1))
    plot_w, plot_h = 100.0 - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / len(bars)
    bar_w = slot * 0.72
    y = lambda v: TOP + plot_h - plot_h * v / top  # noqa: E731
    out = [f'<svg class="chart timeline" width="100%" height="{HEIGHT}" role="img" '
           f'aria-label="{escape(caption)}" data-interval="{interval}" data-bars="{len(bars)}">',
           f"<title>{escape(caption)}</title>"]
    for tick in sorted({0, top // 2, top}):
        out.append(f'<line x1="{_pc(LEFT)}" x2="{_pc(100 - RIGHT)}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" '
                   f'stroke="#d0d7de" stroke-width="1"/>')
        out.append(f'<text x="{_pc(LEFT - 1)}" y="{y(tick) + 4:.1f}" text-anchor="end" font-size="{FONT - 1}" '
                   f'fill="#59636e">{tick}</text>')
    label_every = -(-len(bars) // MAX_DATE_LABELS)
    for i, b in enumerate(bars):
        x = LEFT + i * slot + (slot - bar_w) / 2
        base = y(0)
        when = bucket_label(b.start, interval)
        shares = "，".join(f"{p.label} {p.count}" for p in b.parts)
        out.append(f'<g class="bar" data-start="{escape(b.start)}" data-count="{b.count}">'
                   f"<title>{escape(when)}：{b.count} {unit}" + (f"（{escape(shares)}）" if shares else "")
                   + (f"；公告 {b.notices} 条" if b.notices is not None else "") + "</title>")
        rest = b.count
        for p in b.parts:
            if p.count <= 0:
                continue
            h = plot_h * p.count / top
            out.append(f'<rect x="{_pc(x)}" y="{base - h:.1f}" width="{_pc(bar_w)}" height="{h:.1f}" '
                       f'fill="{_colour(p.key, stance)}" data-part="{p.key}"/>')
            base -= h
            rest -= p.count
        if rest > 0 and not b.parts:  # no split (notices): one solid bar
            h = plot_h * rest / top
            out.append(f'<rect x="{_pc(x)}" y="{base - h:.1f}" width="{_pc(bar_w)}" height="{h:.1f}" '
                       f'fill="{PLAIN_COLOUR}" data-part="all"/>')
        elif rest > 0:  # documents without a stance: an outlined part, not hidden
            h = plot_h * rest / top
            out.append(f'<rect x="{_pc(x)}" y="{base - h:.1f}" width="{_pc(bar_w)}" height="{h:.1f}" '
                       f'fill="#ffffff" stroke="#8c959f" data-part="unlabelled"/>')
        out.append("</g>")
        if i % label_every == 0:
            # The last labels end at the right edge instead of being cut there.
            anchor = "end" if x + bar_w / 2 > 100 - RIGHT - 6 else "middle"
            out.append(f'<text x="{_pc(x + bar_w / 2 if anchor == "middle" else 100 - RIGHT)}" '
                       f'y="{HEIGHT - BOTTOM + 16}" text-anchor="{anchor}" '
                       f'font-size="{FONT - 1}" fill="#1f2328">{escape(when)}</text>')
    if any(b.notices is not None for b in bars):
        # Segments, not a polyline: a polyline's points cannot be percentages.
        mids = [(LEFT + i * slot + slot / 2, y(b.notices or 0)) for i, b in enumerate(bars)]
        segments = "".join(f'<line x1="{_pc(x1)}" y1="{y1:.1f}" x2="{_pc(x2)}" y2="{y2:.1f}"/>'
                           for (x1, y1), (x2, y2) in zip(mids, mids[1:]))
        out.append(f'<g class="notices" stroke="{NOTICE_COLOUR}" stroke-width="2" stroke-dasharray="4 3">'
                   f"{segments}</g>")
    out.append(_legend(bars[0].parts, stance, notices=any(b.notices is not None for b in bars)))
    out.append("</svg>")
    return Markup("".join(out))


def _legend(parts: list[Part], stance: bool, *, notices: bool) -> str:
    """Swatches along the top, each a fixed share of the width (five fit a phone)."""
    items, x = [], LEFT
    step = (100.0 - LEFT) / 5
    for p in parts:
        items.append(f'<rect x="{_pc(x)}" y="8" width="12" height="12" fill="{_colour(p.key, stance)}"/>'
                     f'<text x="{_pc(x)}" dx="16" y="18" font-size="{FONT}" fill="#1f2328">{escape(p.label)}</text>')
        x += step
    if notices:
        items.append(f'<line x1="{_pc(x)}" x2="{_pc(x)}" y1="14" y2="14" stroke="{NOTICE_COLOUR}"/>'
                     f'<rect x="{_pc(x)}" y="13" width="16" height="2" fill="{NOTICE_COLOUR}"/>'
                     f'<text x="{_pc(x)}" dx="20" y="18" font-size="{FONT}" fill="#1f2328">公告数</text>')
    return "".join(items)


@dataclass(frozen=True)
class CityBar:
    city: str
    count: int
    parts: list[Part]


# Geometry of the by-city chart: one row per city; names in the first CITY_W percent.
ROW_H, CITY_W, COUNT_W = 28, 24.0, 8.0


def cities_svg(rows: list[CityBar], *, unit: str, stance: bool, caption: str) -> Markup:
    """One horizontal bar per city, as long as its share of the largest, split into shares."""
    if not rows:
        return Markup("")
    height = TOP + ROW_H * len(rows) + 4
    widest = max(r.count for r in rows) or 1
    plot_w = 100.0 - CITY_W - COUNT_W - RIGHT
    out = [f'<svg class="chart cities" width="100%" height="{height}" role="img" aria-label="{escape(caption)}" '
           f'data-rows="{len(rows)}">', f"<title>{escape(caption)}</title>"]
    for i, r in enumerate(rows):
        y = TOP + i * ROW_H
        shares = "，".join(f"{p.label} {p.count}" for p in r.parts)
        out.append(f'<g class="city" data-city="{escape(r.city)}" data-count="{r.count}"><title>{escape(r.city)}：'
                   f'{r.count} {unit}' + (f"（{escape(shares)}）" if shares else "") + "</title>")
        out.append(f'<text x="{_pc(CITY_W - 1)}" y="{y + 18}" text-anchor="end" font-size="{FONT + 1}" '
                   f'fill="#1f2328">{escape(r.city)}</text>')
        x = CITY_W
        full = plot_w * r.count / widest
        rest = r.count
        for p in r.parts:
            if p.count <= 0:
                continue
            w = full * p.count / r.count
            out.append(f'<rect x="{_pc(x)}" y="{y + 5}" width="{_pc(w)}" height="{ROW_H - 10}" '
                       f'fill="{_colour(p.key, stance)}" data-part="{p.key}"/>')
            x += w
            rest -= p.count
        if rest > 0:
            w = full * rest / r.count
            plain = 'fill="{}" data-part="all"'.format(PLAIN_COLOUR) if not r.parts \
                else 'fill="#ffffff" stroke="#8c959f" data-part="unlabelled"'
            out.append(f'<rect x="{_pc(x)}" y="{y + 5}" width="{_pc(w)}" height="{ROW_H - 10}" {plain}/>')
            x += w
        out.append(f'<text x="{_pc(x)}" dx="6" y="{y + 18}" font-size="{FONT}" fill="#59636e">{r.count}</text></g>')
    out.append(_legend(rows[0].parts, stance, notices=False))
    out.append("</svg>")
    return Markup("".join(out))

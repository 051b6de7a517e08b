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

# Geometry of the timeline, in viewBox units (the SVG is scaled to its column's width).
WIDTH, HEIGHT = 720, 240
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 28, 40
# Spans up to this many days are drawn per day, then per week, then per month: about 10–60
# bars, readable on a 390 px phone.
DAY_SPAN_MAX, WEEK_SPAN_MAX = 45, 366


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


def timeline_caption(interval: str, unit: str, split: str) -> str:
    """每周评论数及立场占比 — what the chart shows, for its title and screen readers."""
    return f"每{INTERVAL_WORDS.get(interval, interval)}{unit}数及{split}占比"


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


def timeline_svg(bars: list[Bar], interval: str, *, unit: str, stance: bool, caption: str) -> Markup:
    """Stacked bars over time; a dotted line of notices when the bars carry them."""
    if not bars:
        return Markup("")
    top = _nice_max(max(max(b.count for b in bars), max((b.notices or 0) for b in bars), 1))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / len(bars)
    bar_w = max(2.0, slot * 0.72)
    y = lambda v: TOP + plot_h - plot_h * v / top  # noqa: E731
    out = [f'<svg class="chart timeline" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
           f'aria-label="{escape(caption)}" data-interval="{interval}" data-bars="{len(bars)}">',
           f"<title>{escape(caption)}</title>"]
    for tick in (0, top // 2, top) if top > 1 else (0, top):
        out.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" '
                   f'stroke="#d0d7de" stroke-width="1"/>')
        out.append(f'<text x="{LEFT - 6}" y="{y(tick) + 4:.1f}" text-anchor="end" font-size="11" '
                   f'fill="#59636e">{tick}</text>')
    label_every = max(1, round(len(bars) / 8))
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
            out.append(f'<rect x="{x:.1f}" y="{base - h:.1f}" width="{bar_w:.1f}" height="{h:.1f}" '
                       f'fill="{_colour(p.key, stance)}" data-part="{p.key}"/>')
            base -= h
            rest -= p.count
        if rest > 0:  # documents without the label: grey outline, not hidden
            h = plot_h * rest / top
            out.append(f'<rect x="{x:.1f}" y="{base - h:.1f}" width="{bar_w:.1f}" height="{h:.1f}" '
                       f'fill="#ffffff" stroke="#8c959f" data-part="unlabelled"/>')
        out.append("</g>")
        if i % label_every == 0:
            out.append(f'<text x="{x + bar_w / 2:.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle" '
                       f'font-size="11" fill="#1f2328">{escape(when)}</text>')
    if any(b.notices is not None for b in bars):
        points = " ".join(f"{LEFT + i * slot + slot / 2:.1f},{y(b.notices or 0):.1f}" for i, b in enumerate(bars))
        out.append(f'<polyline class="notices" points="{points}" fill="none" stroke="{NOTICE_COLOUR}" '
                   f'stroke-width="2" stroke-dasharray="4 3"/>')
    out.append(_legend(bars[0].parts, stance, notices=any(b.notices is not None for b in bars)))
    out.append("</svg>")
    return Markup("".join(out))


def _legend(parts: list[Part], stance: bool, *, notices: bool) -> str:
    items, x = [], LEFT
    for p in parts:
        items.append(f'<rect x="{x}" y="8" width="12" height="12" fill="{_colour(p.key, stance)}"/>'
                     f'<text x="{x + 16}" y="18" font-size="12" fill="#1f2328">{escape(p.label)}</text>')
        x += 24 + 14 * len(p.label)
    if notices:
        items.append(f'<line x1="{x}" x2="{x + 18}" y1="14" y2="14" stroke="{NOTICE_COLOUR}" stroke-width="2" '
                     f'stroke-dasharray="4 3"/><text x="{x + 22}" y="18" font-size="12" fill="#1f2328">公告数</text>')
    return "".join(items)


@dataclass(frozen=True)
class CityBar:
    city: str
    count: int
    parts: list[Part]


# Geometry of the by-city chart: one row per city.
ROW_H, CITY_W, COUNT_W = 26, 92, 56


def cities_svg(rows: list[CityBar], *, unit: str, stance: bool, caption: str) -> Markup:
    """One horizontal bar per city, as wide as its share of the largest, split into shares."""
    if not rows:
        return Markup("")
    height = TOP + ROW_H * len(rows) + 8
    widest = max(r.count for r in rows) or 1
    plot_w = WIDTH - CITY_W - COUNT_W - RIGHT
    out = [f'<svg class="chart cities" viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{escape(caption)}" '
           f'data-rows="{len(rows)}">', f"<title>{escape(caption)}</title>"]
    for i, r in enumerate(rows):
        y = TOP + i * ROW_H
        shares = "，".join(f"{p.label} {p.count}" for p in r.parts)
        out.append(f'<g class="city" data-city="{escape(r.city)}" data-count="{r.count}"><title>{escape(r.city)}：'
                   f'{r.count} {unit}' + (f"（{escape(shares)}）" if shares else "") + "</title>")
        out.append(f'<text x="{CITY_W - 8}" y="{y + 17}" text-anchor="end" font-size="13" fill="#1f2328">'
                   f"{escape(r.city)}</text>")
        x = float(CITY_W)
        full = plot_w * r.count / widest
        rest = r.count
        for p in r.parts:
            if p.count <= 0:
                continue
            w = full * p.count / r.count
            out.append(f'<rect x="{x:.1f}" y="{y + 4}" width="{w:.1f}" height="{ROW_H - 8}" '
                       f'fill="{_colour(p.key, stance)}" data-part="{p.key}"/>')
            x += w
            rest -= p.count
        if rest > 0:
            w = full * rest / r.count
            out.append(f'<rect x="{x:.1f}" y="{y + 4}" width="{w:.1f}" height="{ROW_H - 8}" fill="#ffffff" '
                       f'stroke="#8c959f" data-part="unlabelled"/>')
            x += w
        out.append(f'<text x="{x + 6:.1f}" y="{y + 17}" font-size="12" fill="#59636e">{r.count}</text></g>')
    out.append(_legend(rows[0].parts, stance, notices=False))
    out.append("</svg>")
    return Markup("".join(out))


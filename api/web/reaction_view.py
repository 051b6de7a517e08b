"""The reaction page: how netizens reacted, by city and by theme, in numbers.

For researchers: per group the number of comments (or posts, or announcements), the mean
sentiment, the shares of sentiment labels and of stances, and the top themes or cities.
Every row links to the same view narrowed to it, and to the announcements behind it.
The figures come from the store's aggregations, as ``/summary/*`` computes them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from markupsafe import Markup

from core.vocabulary import SENTIMENT_LABELS, STANCES
from api.params import SummaryFilters, to_query
from api.web import labels
from api.web.chart_data import city_bars, timeline_bars
from api.web.charts import cities_svg, timeline_caption, timeline_svg
from api.web.form import FormValues, first, url_with
from store.base import Group, Store
from core.config import Settings

FORM_FIELDS = ("kind", "q", "province", "city", "platform", "theme", "stance", "date_from", "date_to")
LIST_FIELDS = ("province", "city", "platform", "theme", "stance")
KINDS = tuple(labels.KINDS)  # what the page offers, in the order offered
# Top themes of a city / top cities of a theme shown in a row.
TOP_SHOWN = 3


@dataclass(frozen=True)
class Share:
    key: str
    count: int
    percent: int  # of the group's documents, rounded


@dataclass(frozen=True)
class ReactionRow:
    key: str
    narrow_url: str  # this view, narrowed to the row
    announcements_url: str  # the search page, filtered to the row
    count: int
    authors: int | None  # distinct pseudonymised authors; None where the kind has none
    sentiment_mean: float | None
    labels: list[Share]
    stances: list[Share]  # empty for announcements, which take no stance
    top: list[tuple[str, int]]
    comments_url: str = ""  # the comments behind the row, listed (comments only)


@dataclass(frozen=True)
class ReactionTable:
    heading: str
    field: str  # city | theme
    rows: list[ReactionRow]


@dataclass
class ReactionView:
    kind: str
    total: int
    tables: list[ReactionTable]
    regions: list[Share]  # commenters' IP-location provinces (comments only)
    json_url: str
    timeline: Markup = field(default_factory=Markup)  # documents per day/week/month, split into shares
    cities_chart: Markup = field(default_factory=Markup)  # reaction by city, split into shares
    comments_url: str = ""  # the comments behind this view, listed


def percent(count: int, total: int) -> int:
    return round(100 * count / total) if total else 0


def shares(counts: dict[str, int], total: int, keys: tuple[str, ...]) -> list[Share]:
    return [Share(k, counts.get(k, 0), percent(counts.get(k, 0), total)) for k in keys]


def _row(group: Group, field: str, kind: str, values: FormValues) -> ReactionRow:
    return ReactionRow(
        key=group.key, narrow_url=url_with("/reaction", values, **{field: group.key}),
        announcements_url=url_with("/", {field: group.key}),
        # getattr: ``Group.authors`` is newer than some stores built against this page.
        count=group.count, authors=getattr(group, "authors", None), sentiment_mean=group.sentiment_mean,
        labels=shares(group.labels, group.count, SENTIMENT_LABELS),
        stances=shares(group.stances, group.count, STANCES) if kind != "announcement" else [],
        top=list(group.top),
        comments_url=url_with("/reaction/comments", {k: v for k, v in values.items() if k != "kind"},
                              **{field: group.key}) if kind == "comment" else "",
    )


def build(store: Store, settings: Settings, values: FormValues) -> ReactionView:
    """Raises what ``problems`` explains (a bad date, a filter the kind lacks…)."""
    params = SummaryFilters.model_validate(values)
    kind = params.kind
    query = to_query(params, kind, settings, paged=False)
    store.prepare_overview(kind, query, top=TOP_SHOWN)  # by city, by theme and the timeline below, in one scan
    by_city = store.summarize(kind, "city", query, top=TOP_SHOWN)
    tables = [
        ReactionTable("按城市 By city", "city",
                      [_row(g, "city", kind, values) for g in by_city]),
        ReactionTable("按主题 By theme", "theme",
                      [_row(g, "theme", kind, values) for g in store.summarize(kind, "theme", query, top=TOP_SHOWN)]),
    ]
    regions: list[Share] = []
    if kind == "comment":
        groups = store.summarize("comment", "author_region", query)
        known = sum(g.count for g in groups)
        regions = [Share(g.key, g.count, percent(g.count, known)) for g in groups]
    unit = labels.label(labels.KINDS, kind)
    split = "立场" if kind != "announcement" else ""
    bars, interval = timeline_bars(store, kind, query, with_notices=kind != "announcement")
    timeline = timeline_svg(bars, interval, unit=unit, stance=kind != "announcement",
                            caption=timeline_caption(interval, unit, split))
    cities = cities_svg(city_bars(by_city, kind), unit=unit, stance=kind != "announcement",
                        caption=f"各城市{unit}数" + (f"及{split}占比" if split else ""))
    return ReactionView(kind=kind, total=store.count(kind, query), tables=tables, regions=regions,
                        json_url=url_with("/summary/cities", values, kind=first(values, "kind") or kind),
                        timeline=timeline, cities_chart=cities,
                        comments_url=url_with("/reaction/comments", {k: v for k, v in values.items() if k != "kind"})
                        if kind == "comment" else "")

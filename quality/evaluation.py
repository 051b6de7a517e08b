"""Score the analysis against the hand-labelled sets in ``tests/data/``.

Used by ``bench/quality.py`` (figures for BENCHMARKS.md) and by the floor tests in
``tests/unit/analysis/test_quality.py``. Not called at analysis time.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from analysis.enrich import AnalysisOptions, enrich_many
from analysis.stance import STANCES

DATA_DIR = Path(__file__).resolve().parent.parent / "tests" / "data"
THEME_LETTERS = {"F": "formalism", "D": "duplication_waste", "C": "consolidation", "G": "grassroots_workload",
                 "A": "access_to_information", "Q": "content_quality", "R": "regulation"}
STANCE_LETTERS = {"S": "support", "O": "oppose", "N": "neutral"}


@dataclass(frozen=True)
class LabelledComment:
    text: str
    stance: str
    themes: frozenset[str]
    hard: bool
    where: str  # file:line, for error messages and reports


@dataclass
class PRF:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, gold: set, predicted: set) -> None:
        self.tp += len(gold & predicted)
        self.fp += len(predicted - gold)
        self.fn += len(gold - predicted)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Accuracy:
    right: int = 0
    total: int = 0

    def add(self, ok: bool) -> None:
        self.right += int(ok)
        self.total += 1

    @property
    def value(self) -> float:
        return self.right / self.total if self.total else 1.0


@dataclass
class AnnouncementScores:
    n: int = 0
    place: dict[str, Accuracy] = field(default_factory=lambda: {k: Accuracy() for k in
                                                               ("province", "city", "district", "ambiguous")})
    accounts: PRF = field(default_factory=PRF)  # on (name, platform)
    account_fields: dict[str, Accuracy] = field(default_factory=lambda: {k: Accuracy() for k in
                                                                        ("action", "effective_date", "successor")})
    platforms: PRF = field(default_factory=PRF)
    themes: PRF = field(default_factory=PRF)
    per_theme: dict[str, PRF] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


@dataclass
class CommentScores:
    n: int = 0
    stance: Accuracy = field(default_factory=Accuracy)
    stance_hard: Accuracy = field(default_factory=Accuracy)
    confusion: Counter = field(default_factory=Counter)  # (gold, predicted) -> count
    per_stance: dict[str, PRF] = field(default_factory=lambda: {s: PRF() for s in STANCES})
    themes: PRF = field(default_factory=PRF)
    per_theme: dict[str, PRF] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


def load_announcements(data_dir: Path = DATA_DIR) -> list[dict]:
    out = []
    for path in sorted(data_dir.glob("announcements_*.yaml")):
        out.extend(yaml.safe_load(path.read_text(encoding="utf-8")) or [])
    return out


# Written after the rules, never used to tune them: scored apart from comments_*.txt.
HELDOUT_COMMENTS = DATA_DIR / "heldout_comments.txt"


def load_comments(data_dir: Path = DATA_DIR) -> list[LabelledComment]:
    """The in-sample comment set (``comments_*.txt``)."""
    return [c for path in sorted(data_dir.glob("comments_*.txt")) for c in load_comment_file(path)]


def load_comment_file(path: Path) -> list[LabelledComment]:
    """One labelled comments file (format: tests/data/README.md)."""
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split(" | ", 3)
        if len(parts) != 4 or parts[0] not in STANCE_LETTERS:
            raise ValueError(f"{path.name}:{n}: expected 'S|O|N | THEMES | h|- | text', got {line!r}")
        themes = frozenset() if parts[1] == "-" else frozenset(THEME_LETTERS[c] for c in parts[1])
        out.append(LabelledComment(parts[3].strip(), STANCE_LETTERS[parts[0]], themes, parts[2] == "h",
                                   f"{path.name}:{n}"))
    return out


def _themes_prf(per_theme: dict[str, PRF], gold: set, predicted: set) -> None:
    for theme in gold | predicted:
        per_theme.setdefault(theme, PRF()).add(gold & {theme}, predicted & {theme})


def score_announcements(items: list[dict], options: AnalysisOptions | None = None,
                        with_themes: bool = True) -> AnnouncementScores:
    """Scores against each item's ``expect``; ``with_themes=False`` for gold data without themes."""
    options = options or AnalysisOptions()
    docs = [{k: it.get(k) for k in ("id", "issuer", "title", "published_at", "body", "wechat_account")} for it in items]
    results = enrich_many("announcement", docs, options)
    scores = AnnouncementScores(n=len(items))
    for item, got in zip(items, results):
        exp = item["expect"]
        for key in ("province", "city", "district"):
            ok = got.get(key) == exp.get(key)
            scores.place[key].add(ok)
            if not ok:
                scores.errors.append(f"{item['id']} {key}: expected {exp.get(key)!r}, got {got.get(key)!r}")
        scores.place["ambiguous"].add(bool(got.get("place_ambiguous")) == bool(exp.get("ambiguous")))
        gold_acc = {(a["name"], a["platform"]): a for a in exp.get("accounts") or []}
        got_acc = {(a["name"], a["platform"]): a for a in got.get("accounts") or []}
        scores.accounts.add(set(gold_acc), set(got_acc))
        for key in set(gold_acc) ^ set(got_acc):
            side = "missed" if key in gold_acc else "spurious"
            scores.errors.append(f"{item['id']} account {side}: {key}")
        for key in set(gold_acc) & set(got_acc):
            for f in ("action", "effective_date", "successor"):
                ok = gold_acc[key].get(f) == got_acc[key].get(f)
                scores.account_fields[f].add(ok)
                if not ok:
                    scores.errors.append(f"{item['id']} {key} {f}: expected {gold_acc[key].get(f)!r}, "
                                         f"got {got_acc[key].get(f)!r}")
        scores.platforms.add({a["platform"] for a in exp.get("accounts") or []} or set(exp.get("platforms") or []),
                             set(got.get("platforms") or []) if gold_acc or got_acc else set())
        if not with_themes:
            continue
        gold_t, got_t = set(exp.get("themes") or []), set(got.get("themes") or [])
        scores.themes.add(gold_t, got_t)
        _themes_prf(scores.per_theme, gold_t, got_t)
        if gold_t != got_t:
            scores.errors.append(f"{item['id']} themes: missed {sorted(gold_t - got_t)}, spurious {sorted(got_t - gold_t)}")
    return scores


def score_comments(items: list[LabelledComment], options: AnalysisOptions | None = None) -> CommentScores:
    options = options or AnalysisOptions()
    results = enrich_many("comment", [{"text": c.text} for c in items], options)
    scores = CommentScores(n=len(items))
    for item, got in zip(items, results):
        ok = got["stance"] == item.stance
        scores.stance.add(ok)
        if item.hard:
            scores.stance_hard.add(ok)
        scores.confusion[(item.stance, got["stance"])] += 1
        for s in STANCES:
            scores.per_stance[s].add({1} if item.stance == s else set(), {1} if got["stance"] == s else set())
        if not ok:
            scores.errors.append(f"{item.where} stance: expected {item.stance}, got {got['stance']}: {item.text}")
        got_t = set(got["themes"])
        scores.themes.add(set(item.themes), got_t)
        _themes_prf(scores.per_theme, set(item.themes), got_t)
        if got_t != item.themes:
            scores.errors.append(f"{item.where} themes: missed {sorted(item.themes - got_t)}, "
                                 f"spurious {sorted(got_t - item.themes)}: {item.text}")
    return scores

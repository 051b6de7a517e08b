"""Themes: which parts of the debate a text talks about, from an editable YAML taxonomy.

Keyword and phrase rules, multi-label. Rules are data (``analysis/themes.yaml``, or the
file ``Settings.themes_file`` names) so that researchers can adapt them and relabel the
store with ``yuqing reanalyze``. Matching runs on normalised text (simplified characters),
so traditional-character comments match the same rules.

Negation is deliberately simple: a cue such as 不是/并非 within a few characters before a
keyword, in the same clause, cancels that occurrence ("不是形式主义"); a rhetorical
question ("这不是形式主义是什么") restores it. Double negation and negation scoped over a
whole sentence ("我不认为这是浪费") are not handled. 是不是 asks rather than denies ("是不是网信办
要求的"), so 不是 right after 是 is no negation.

A keyword written ``A…B`` is a phrase rule: A, then B at most ``PROXIMITY_GAP`` characters
later in the same sentence ("以后…靠" matches 以后有啥政策变动，全靠邻居). It catches colloquial
phrasings whose middle varies ("花那么多钱", "花了冤枉钱") without listing every variant.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from analysis.text import normalise

DEFAULT_THEMES_FILE = Path(__file__).with_name("themes.yaml")
THEME_IDS = ("formalism", "duplication_waste", "consolidation", "grassroots_workload",
             "access_to_information", "content_quality", "regulation")
# Characters that end the scope of a negation cue: it negates within its clause only.
_CLAUSE_BREAK = re.compile(r"[，,。！？!?；;：:\n、]")
# Marks a phrase rule ("以后…靠") in the taxonomy.
PHRASE_GAP_MARK = "…"
# Most characters between the two parts of a phrase rule. Chosen on the labelled comments:
# a subject plus a short verb phrase ("以后有啥政策变动，全靠", 8) fits; at 12 unrelated words
# of long comments started to pair up.
PROXIMITY_GAP = 8
_SENTENCE_BREAK = "。！？!?；;\n"


class TaxonomyError(ValueError):
    """The themes YAML is missing, unreadable or malformed; the message says where."""


@dataclass(frozen=True)
class Theme:
    id: str
    label: str
    keywords: tuple[str, ...]


@dataclass(frozen=True)
class Taxonomy:
    themes: tuple[Theme, ...]
    negation_cues: tuple[str, ...]
    negation_window: int
    rhetorical_endings: tuple[str, ...]
    pattern: re.Pattern = field(repr=False, compare=False)
    themes_of: dict = field(repr=False, compare=False)  # keyword -> tuple of theme ids
    phrases: tuple = field(default=(), repr=False, compare=False)  # (rule, compiled pattern) of A…B rules

    def label(self, theme_id: str) -> str:
        return next((t.label for t in self.themes if t.id == theme_id), theme_id)


@dataclass(frozen=True)
class ThemeMatch:
    themes: tuple[str, ...]  # in taxonomy order
    evidence: dict[str, tuple[str, ...]]  # theme id -> keywords that matched


def _build(raw: object, where: str) -> Taxonomy:
    if not isinstance(raw, dict) or not isinstance(raw.get("themes"), dict) or not raw["themes"]:
        raise TaxonomyError(f"{where}: expected a mapping with a non-empty `themes:` mapping")
    themes = []
    for theme_id, spec in raw["themes"].items():
        if not isinstance(spec, dict) or not isinstance(spec.get("keywords"), list) or not spec["keywords"]:
            raise TaxonomyError(f"{where}: theme {theme_id!r} needs a non-empty `keywords:` list")
        keywords = tuple(normalise(str(k)).strip() for k in spec["keywords"] if str(k).strip())
        themes.append(Theme(str(theme_id), str(spec.get("label") or theme_id), keywords))
    neg = raw.get("negation") or {}
    if not isinstance(neg, dict):
        raise TaxonomyError(f"{where}: `negation:` must be a mapping")
    themes_of: dict[str, tuple[str, ...]] = {}
    for theme in themes:
        for kw in theme.keywords:
            themes_of[kw] = themes_of.get(kw, ()) + (theme.id,)
    # Longest keyword first so that 指尖上的形式主义 wins over 形式主义 at the same place.
    alternatives = sorted((k for k in themes_of if PHRASE_GAP_MARK not in k), key=len, reverse=True)
    phrases = tuple((k, _phrase_pattern(k, where)) for k in themes_of if PHRASE_GAP_MARK in k)
    return Taxonomy(
        themes=tuple(themes),
        negation_cues=tuple(normalise(str(c)) for c in neg.get("cues") or ()),
        negation_window=int(neg.get("window", 4)),
        rhetorical_endings=tuple(normalise(str(c)) for c in neg.get("rhetorical_endings") or ()),
        pattern=re.compile("|".join(re.escape(k) for k in alternatives)),
        themes_of=themes_of,
        phrases=phrases,
    )


def _phrase_pattern(rule: str, where: str) -> re.Pattern:
    parts = [p for p in rule.split(PHRASE_GAP_MARK)]
    if len(parts) < 2 or not all(parts):
        raise TaxonomyError(f"{where}: phrase rule {rule!r} needs text on both sides of {PHRASE_GAP_MARK}")
    gap = f"[^{_SENTENCE_BREAK}]{{0,{PROXIMITY_GAP}}}?"
    return re.compile(gap.join(re.escape(p) for p in parts))


@lru_cache(maxsize=8)
def load_taxonomy(path: Path | str | None = None) -> Taxonomy:
    """The taxonomy in ``path`` (default: the shipped themes.yaml), parsed once per path."""
    path = Path(path) if path else DEFAULT_THEMES_FILE
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise TaxonomyError(f"cannot read themes file {path}: {exc.strerror or exc}") from exc
    except yaml.YAMLError as exc:
        raise TaxonomyError(f"themes file {path} is not valid YAML: {exc}") from exc
    return _build(raw, str(path))


def reset_caches() -> None:
    load_taxonomy.cache_clear()


def _negated(text: str, start: int, end: int, tax: Taxonomy) -> bool:
    # The longest cue (并不是) is 3 characters; one more shows whether 不是 follows 是.
    before = text[max(0, start - tax.negation_window - 5):start]
    cut = max((m.end() for m in _CLAUSE_BREAK.finditer(before)), default=0)
    before = before[cut:]
    if not any(_denies(before, cue, tax.negation_window) for cue in tax.negation_cues):
        return False
    # "这不是形式主义是什么" / "难道不是浪费吗": the rhetorical question asserts it.
    after = _CLAUSE_BREAK.split(text[end:end + 12], maxsplit=1)[0].rstrip("?？呢啊呀")
    return not any(after.endswith(e) for e in tax.rhetorical_endings)


def _denies(window: str, cue: str, reach: int) -> bool:
    """``cue`` ends within ``reach`` characters of the keyword and is not the 不是 of 是不是."""
    at = window.rfind(cue)
    while at >= 0:
        if len(window) - at - len(cue) <= reach and not (cue.startswith("不是") and window[at - 1:at] == "是"):
            return True
        at = window.rfind(cue, 0, at)
    return False


def classify(text: str | None, taxonomy: Taxonomy | None = None, normalised: bool = False) -> ThemeMatch:
    """Themes a text mentions, with the keywords that gave each one away."""
    tax = taxonomy or load_taxonomy()
    text = text if normalised else normalise(text)
    evidence: dict[str, list[str]] = {}
    hits = [(m.start(), m.end(), m.group()) for m in tax.pattern.finditer(text)]
    hits += [(m.start(), m.end(), rule) for rule, pattern in tax.phrases for m in pattern.finditer(text)]
    for start, end, rule in hits:
        if _negated(text, start, end, tax):
            continue
        for theme_id in tax.themes_of[rule]:
            evidence.setdefault(theme_id, []).append(rule)
    order = [t.id for t in tax.themes if t.id in evidence]
    return ThemeMatch(themes=tuple(order), evidence={k: tuple(dict.fromkeys(evidence[k])) for k in order})

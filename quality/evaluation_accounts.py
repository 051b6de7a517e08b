"""Score the closed-accounts registry alone, on sets labelled with accounts only (issue 18).

Three sets, scored the same way through :func:`analysis.enrich.enrich_many` (the path
``yuqing analyze`` and the crawl pipeline take):

- in-sample: ``tests/data/announcements_*.yaml`` (the rules were revised against them);
- held-out: ``tests/data/heldout_accounts.yaml``, written before issue 18 changed any rule
  and never tuned on;
- real text: excerpts of public pages kept OUTSIDE the repository (a JSONL file of
  ``{"url", "text", "issuer"?, "published_at"?, "wechat_account"?}``), labelled in
  ``tests/data/realtext_accounts_labels.yaml`` by URL (the dev set: never tuned on),
  ``realtext_accounts_tune_labels.yaml`` (a set the rules were revised against) and
  ``realtext_accounts_heldout_labels.yaml`` (never tuned on).

An account matches on (name, platform); its action is scored on matched accounts.
Not called at analysis time.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from analysis.enrich import AnalysisOptions, enrich_many
from quality.evaluation import DATA_DIR, PRF, Accuracy, load_announcements

HELDOUT_ACCOUNTS = DATA_DIR / "heldout_accounts.yaml"
REALTEXT_LABELS = DATA_DIR / "realtext_accounts_labels.yaml"
# Two more real-text sets, gathered together on 2026-12-07 from different searches: one to
# tune on (its disagreements may be read), one held out (labelled before any rule ran on it).
REALTEXT_TUNE_LABELS = DATA_DIR / "realtext_accounts_tune_labels.yaml"
REALTEXT_HELDOUT_LABELS = DATA_DIR / "realtext_accounts_heldout_labels.yaml"
_DOC_FIELDS = ("id", "issuer", "title", "published_at", "body", "wechat_account")


@dataclass
class AccountsScores:
    n: int = 0
    accounts: PRF = field(default_factory=PRF)  # on (name, platform)
    action: Accuracy = field(default_factory=Accuracy)  # on matched accounts
    errors: list[str] = field(default_factory=list)


def load_heldout_accounts(path: Path = HELDOUT_ACCOUNTS) -> list[dict]:
    return yaml.safe_load(path.read_text(encoding="utf-8")) or []


def load_in_sample_accounts() -> list[dict]:
    return load_announcements()


def load_realtext_accounts(texts_path: Path, labels_path: Path = REALTEXT_LABELS, partial: bool = False) -> list[dict]:
    """The labelled real texts, in the shape of the other sets. Every labelled URL must have its
    text in ``texts_path``: a missing one is an error, not a smaller set, unless ``partial``
    (texts gathered again where the pages could still be read; the caller says how many)."""
    texts: dict[str, dict] = {}
    for n, line in enumerate(Path(texts_path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ValueError(f"{texts_path}:{n}: not a JSON line ({exc.msg})") from None
        if not isinstance(record, dict) or not record.get("url") or not record.get("text"):
            raise ValueError(f"{texts_path}:{n}: expected an object with 'url' and 'text'")
        texts[record["url"]] = record
    labels = yaml.safe_load(Path(labels_path).read_text(encoding="utf-8")) or []
    missing = [entry["url"] for entry in labels if entry["url"] not in texts]
    if partial:
        labels = [entry for entry in labels if entry["url"] in texts]
    elif missing:
        raise ValueError(f"{texts_path}: no text for {len(missing)} labelled URL(s): {', '.join(missing)}")
    out = []
    for entry in labels:
        record = texts[entry["url"]]
        out.append({"id": entry["url"], "title": record.get("title"), "body": record["text"],
                    "issuer": record.get("issuer"), "published_at": record.get("published_at"),
                    "wechat_account": record.get("wechat_account"),
                    "expect": {"accounts": entry.get("accounts") or []}})
    return out


def score_accounts(items: list[dict], options: AnalysisOptions | None = None) -> AccountsScores:
    options = options or AnalysisOptions()
    docs = [{k: it.get(k) for k in _DOC_FIELDS if it.get(k) is not None} for it in items]
    results = enrich_many("announcement", docs, options)
    scores = AccountsScores(n=len(items))
    for item, got in zip(items, results):
        gold = {(a["name"], a["platform"]): a for a in item["expect"].get("accounts") or []}
        found = {(a["name"], a["platform"]): a for a in got.get("accounts") or []}
        scores.accounts.add(set(gold), set(found))
        for key in set(gold) ^ set(found):
            scores.errors.append(f"{item['id']} account {'missed' if key in gold else 'spurious'}: {key}")
        for key in set(gold) & set(found):
            ok = gold[key]["action"] == found[key]["action"]
            scores.action.add(ok)
            if not ok:
                scores.errors.append(f"{item['id']} {key} action: expected {gold[key]['action']}, "
                                     f"got {found[key]['action']}")
    return scores

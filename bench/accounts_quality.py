"""The closed-accounts registry on in-sample, held-out, offline-web and real-text sets, side by side
(issue 18): print it, write it to BENCHMARKS.md.

    python bench/accounts_quality.py --realtext /path/to/accounts_dev.jsonl \
        --realtext-tune /path/to/accounts_tune.jsonl --realtext-heldout /path/to/accounts_heldout.jsonl

Every set goes through ``analysis.enrich.enrich_many`` (the path of ``yuqing analyze`` and the
crawl pipeline). The real texts are excerpts of public pages and are kept outside the
repository; their labels are in ``tests/data/realtext_accounts_*labels.yaml`` (keyed by URL, see
``quality/evaluation_accounts.py``). A set whose texts are not given is left out and says so.
Disagreements (``--errors``) are printed for the in-sample and real-text tuning sets only: reading
the others' while tuning would stop them being held out.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from quality.evaluation_accounts import (  # noqa: E402
    AccountsScores,
    load_heldout_accounts,
    load_in_sample_accounts,
    load_realtext_accounts,
    REALTEXT_HELDOUT_LABELS,
    REALTEXT_LABELS,
    REALTEXT_TUNE_LABELS,
    score_accounts,
)
from quality.evaluation_web import load_offline_web_notices  # noqa: E402
from bench.report import write_section  # noqa: E402
from demo.server import OfflineWeb  # noqa: E402

NOTE = (
    "Accounts match on (name, platform); action accuracy is over matched accounts. **In-sample**: "
    "`tests/data/announcements_*.yaml` (the rules were revised against them). **Held-out**: "
    "`tests/data/heldout_accounts.yaml`, 30 notices in real wordings written before issue 18 changed a rule, "
    "never tuned on. **Offline web**: the demo's gold (`demo/web/gov/*/expected.yaml`) through the crawler's "
    "extraction; issue 18's named demo cases (精力集中到本, 而同名, 成都城管, 爱山东·青e办, 本公众号) come from it, "
    "so it is no longer held out for those shapes. **Real text**: 16 excerpts of public pages (news reports "
    "quoting notices, a forum post, government check reports; 9 name no closed account) labelled by URL, "
    "texts kept outside the repository, never tuned on.\n\n"
    "Before issue 18's changes the same code path measured: held-out P 0.815 / R 0.946 / F1 0.876; real text "
    "P 0.429 / R 0.562 / F1 0.486; offline web P 0.938 / R 0.968 / F1 0.952; in-sample 1.000. After the "
    "precision rules (name shapes, closing sentence required, 认准/接入 successors, self-references): held-out "
    "P 0.932 / R 0.982. One more rule followed, for a shape the issue names (kept accounts listed before the "
    "closed ones: 保留“A”…，关闭“B”…), written against its own unit-test examples; the held-out set has that "
    "shape, so its figure below is the second measurement on it, not the first. The held-out and real-text "
    "disagreements were never printed.\n\n"
    "**Real text, 2026-12-07**: two more sets gathered the same day by two helpers with different searches of "
    "stored public pages, labelled by hand before the extraction ran on them. The stored pages hold few government "
    "notices not used already, so both lean to apps and news reports (tuning set: 31 pages, 47 accounts, 25 of them "
    "apps, several of newsrooms and companies; held-out: 15 pages, 18 accounts). The two helpers took 7 of the same "
    "pages; their disagreements were read through the tuning set, so they were removed from the held-out set. "
    "**Tuning set**: the rules were revised against it (pinyin glosses dropped, bare names cut at pointers and keep "
    "words, office types and counts are no names, short clause-opening names, list-introduction verbs for list items "
    "only, 停办/关掉, 政务公号); before: P 0.484 / R 0.319 / F1 0.385. **Held-out** (measured before those changes, on "
    "its 15 pages): P 0.286 / R 0.222 / F1 0.250; after, below: one measurement. The in-sample, issue-18 held-out and "
    "offline-web figures did not move.\n\n"
    "**Texts gathered again (2026-12-07, later session).** The real texts are kept outside the repository and were "
    "lost with the machine; a helper gathered them again from the stored pages by URL, but the store shows only the "
    "opening ~1,500 characters of a page, so only the pages whose labelled passage lies there came back (`--partial`; "
    "each row names its share; traditional-character pages converted to simplified as before): 13 of the dev set's "
    "16 pages (two government pages' stored view ends before their passage, one page is not stored), fewer of the "
    "others (tuning set 25 of 31, held-out 11 of 15). The rows below are on those parts only. "
    "**A second pass on the tuning set** (its 25 pages' disagreements read): a verb alone before a platform word "
    "at a clause's start is no name (发出微信公众号…); a contrast (，而 / ，但) ends the reach of a successor cue "
    "(使用上观新闻客户端，而文汇客户端…停止更新); a name joined by 和/与/及 to the same kind of channel opens its "
    "clause (文汇客户端和新民客户端); quoted names followed by N端 before a merging word are apps, and 端合一 / "
    "号合一 merge; field words (业界新闻) and the pointer 进入 are no names. Same code before and after, "
    "side by side: tuning P 0.781 / R 0.581 → P 0.917 / R 0.767; dev (never tuned on) P 0.500 → 0.545, R 0.750 "
    "both; held-out (measured before and after, nothing read) P 0.417 / R 0.385 both — the shapes fixed are the "
    "tuning set's; the held-out pages fail on others. On the full sets the same rules last measured: dev (16 pages) P 0.474 / "
    "R 0.562 / F1 0.514 before the tuning-set changes; tuning set (31 pages) P 0.897 / R 0.553 / F1 0.684; held-out "
    "(15 pages) P 0.462 / R 0.333 / F1 0.387, action 4/6. "
    "**One more shape (later the same day)**, written against its own unit-test examples: a name in a clause "
    "after a successor cue, followed by its own closure verb, is that verb's subject, not the successor "
    "(请使用“A”公众号，“B”微博停止更新). It found one more account of the offline web's gold (recall 0.984 → "
    "1.000); no other row moved."
)
COMMAND = ("Command: `python bench/accounts_quality.py --partial --realtext DEV --realtext-tune TUNE --realtext-heldout HELDOUT` "
           "(each the real texts of that set, JSONL, kept outside the repository).")
# (row name, option, labels): the real-text sets, in table order.
REALTEXT_SETS = [
    ("real text (dev, 2026-12-02)", "realtext", REALTEXT_LABELS),
    ("real text (tuning set, 2026-12-07)", "realtext_tune", REALTEXT_TUNE_LABELS),
    ("real text (held-out, 2026-12-07)", "realtext_heldout", REALTEXT_HELDOUT_LABELS),
]


def _row(name: str, s: AccountsScores | None, why_missing: str = "") -> str:
    if s is None:
        return f"| {name} | – | – | – | – | – | {why_missing} |"
    p = s.accounts
    return (f"| {name} | {s.n} | {p.tp + p.fn} | {p.precision:.3f} | {p.recall:.3f} | {p.f1:.3f} | "
            f"{s.action.value:.3f} ({s.action.right}/{s.action.total}) |")


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--realtext", type=Path, help="JSONL of the dev set's real texts (kept outside the repository)")
    parser.add_argument("--realtext-tune", type=Path, help="JSONL of the tuning set's real texts")
    parser.add_argument("--realtext-heldout", type=Path, help="JSONL of the held-out set's real texts")
    parser.add_argument("--partial", action="store_true",
                        help="score the labelled pages whose texts the files hold (the row says how many of all)")
    parser.add_argument("--errors", action="store_true", help="print the in-sample and tuning sets' disagreements")
    parser.add_argument("--no-write", action="store_true", help="print only; leave BENCHMARKS.md alone")
    args = parser.parse_args(argv)
    in_sample = score_accounts(load_in_sample_accounts())
    heldout = score_accounts(load_heldout_accounts())
    with OfflineWeb() as web:
        web_items = [n.item for n in load_offline_web_notices(web.base_url)]
    offline = score_accounts(web_items)
    real, names = {}, {}
    for name, option, labels in REALTEXT_SETS:
        texts = getattr(args, option)
        items = load_realtext_accounts(texts, labels, partial=args.partial) if texts else None
        real[option] = score_accounts(items) if items is not None else None
        of_all = len(yaml.safe_load(labels.read_text(encoding="utf-8")) or [])
        names[option] = f"{name}, {len(items)} of its {of_all} pages" if items is not None and len(items) < of_all else name
    table = "\n".join([
        "| set | notices | gold accounts | precision | recall | F1 | action |",
        "|---|---|---|---|---|---|---|",
        _row("in-sample", in_sample), _row("held-out (issue 18)", heldout), _row("offline web", offline),
        *(_row(names[option], real[option], f"run with --{option.replace('_', '-')} FILE")
          for _, option, _ in REALTEXT_SETS),
    ])
    body = "\n\n".join([NOTE, table, COMMAND])
    print(body)
    if args.errors:
        print("\n".join(["", "Disagreements (in-sample):"] + in_sample.errors))
        if real["realtext_tune"]:
            print("\n".join(["", "Disagreements (real-text tuning set):"] + real["realtext_tune"].errors))
    if not args.no_write:
        write_section("accounts", "Closed-accounts registry: in-sample, held-out and real text", body)


if __name__ == "__main__":
    main(sys.argv[1:])

"""Analysis quality on the hand-labelled sets in tests/data/: print it, write it to BENCHMARKS.md.

    python bench/quality.py            # figures
    python bench/quality.py --errors   # and every disagreement with the labels
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from analysis.evaluation import (  # noqa: E402
    PRF,
    AnnouncementScores,
    CommentScores,
    load_announcements,
    load_comments,
    score_announcements,
    score_comments,
)
from analysis.stance import STANCES  # noqa: E402
from bench.report import write_section  # noqa: E402

NOTE = (
    "The sets were written for the project before the rules were tuned; the rules were then "
    "revised against them (general phrasings and sentence shapes only, never single sentences), "
    "so these figures are optimistic for unseen text. Comment themes and stance are the weakest "
    "labels; see the known failure modes in `analysis/stance.py` and `analysis/accounts.py`."
)


def _prf_row(name: str, prf: PRF) -> str:
    return f"| {name} | {prf.precision:.3f} | {prf.recall:.3f} | {prf.f1:.3f} | {prf.tp + prf.fn} |"


def announcement_table(s: AnnouncementScores) -> str:
    lines = [f"**Announcements** ({s.n} notices, {s.accounts.tp + s.accounts.fn} closed accounts)", "",
             "| field | accuracy |", "|---|---|"]
    lines += [f"| {k} | {v.value:.3f} ({v.right}/{v.total}) |" for k, v in s.place.items()]
    lines += [f"| account {k} (matched accounts) | {v.value:.3f} ({v.right}/{v.total}) |"
              for k, v in s.account_fields.items()]
    lines += ["", "| labels | precision | recall | F1 | gold |", "|---|---|---|---|---|",
              _prf_row("accounts (name, platform)", s.accounts), _prf_row("platforms", s.platforms),
              _prf_row("themes (micro)", s.themes)]
    lines += [_prf_row(f"theme {t}", p) for t, p in sorted(s.per_theme.items())]
    return "\n".join(lines)


def comment_table(s: CommentScores) -> str:
    lines = [f"**Comments** ({s.n}, of which {s.stance_hard.total} hard cases where tone and stance differ)", "",
             f"Stance accuracy: **{s.stance.value:.3f}** overall, {s.stance_hard.value:.3f} on hard cases.", "",
             "| labels | precision | recall | F1 | gold |", "|---|---|---|---|---|"]
    lines += [_prf_row(f"stance {k}", v) for k, v in s.per_stance.items()]
    lines += [_prf_row("themes (micro)", s.themes)]
    lines += [_prf_row(f"theme {t}", p) for t, p in sorted(s.per_theme.items())]
    lines += ["", "Stance confusion matrix (rows: label, columns: predicted):", "",
              "| | " + " | ".join(STANCES) + " |", "|---" * (len(STANCES) + 1) + "|"]
    lines += [f"| {g} | " + " | ".join(str(s.confusion[(g, p)]) for p in STANCES) + " |" for g in STANCES]
    return "\n".join(lines)


def main(argv: list[str]) -> None:
    ann = score_announcements(load_announcements())
    com = score_comments(load_comments())
    body = "\n\n".join([NOTE, announcement_table(ann), comment_table(com)])
    print(body)
    if "--errors" in argv:
        print("\n".join(["", "Disagreements:"] + ann.errors + com.errors))
    write_section("quality", "Analysis quality (labelled sets in tests/data/)", body)


if __name__ == "__main__":
    main(sys.argv[1:])

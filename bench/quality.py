"""Analysis quality on the hand-labelled sets in tests/data/ and, held out, on the offline web's
gold data: print it, write it to BENCHMARKS.md.

    python bench/quality.py            # figures
    python bench/quality.py --errors   # and every disagreement with the labels
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from quality.evaluation import (  # noqa: E402
    HELDOUT_COMMENTS,
    PRF,
    AnnouncementScores,
    CommentScores,
    load_announcements,
    load_comment_file,
    load_comments,
    score_announcements,
    score_comments,
)
from quality.evaluation_web import load_offline_web_notices, score_offline_web  # noqa: E402
from demo.server import OfflineWeb  # noqa: E402
from analysis.stance import STANCES  # noqa: E402
from analysis.stance_model import load_model  # noqa: E402
from bench.report import write_section  # noqa: E402

NOTE = (
    "**In-sample.** The sets below were written for the project before the rules were tuned; the rules "
    "were then revised against them (general phrasings and sentence shapes only, never single sentences), "
    "so these figures are optimistic for unseen text: compare the held-out figures further down. Comment "
    "themes and stance are the weakest labels; see the known failure modes in `analysis/stance.py` and "
    "`analysis/accounts.py`."
)
HELDOUT_NOTE = (
    "**Held-out comments** (`tests/data/heldout_comments.txt`): written and labelled by a later helper "
    "before any theme or stance rule was changed, never looked at while tuning. Before the theme rules "
    "were revised on the in-sample set (2026-11-24) the same code scored themes micro-F1 0.596 and stance "
    "0.632 here; the gap to the in-sample figures is how much of the tuning does not carry over."
)
STANCE_NOTE = (
    "**Stance method.** Since issue 13 part 4's revision, stance is a small logistic-regression model over "
    "character n-grams and the rules' verdict (`analysis/stance_model.py`, trained by "
    "`bench/train_stance.py`). The in-sample comments above are part of its training data, so their stance "
    "figure says only that the model fits them; the figures to quote are cross-validation and the held-out "
    "comments below. Training: {trained_on}. The held-out file is not training data, was never read while "
    "the model was built, and was scored twice as a final check (0.920 both times; the rules alone scored 0.632 there); "
    "`analysis/stance.py` records each such run and the known failure modes."
)
WEB_NOTE = (
    "**Held-out: offline web** (`demo/web/gov/*/expected.yaml`, labelled by someone else, never used "
    "for tuning the rules). Every gold closure notice is fetched over HTTP from the offline web and read "
    "with the crawler's own extraction (`crawler.extraction.article`), so extraction errors count too. "
    "Gold conventions that differ from issue 13 (see `quality/evaluation_web.py`): the gold never takes a "
    "website as successor (5 of the 19 successor disagreements are a portal website predicted where the "
    "gold names an account or nothing), and it leaves some accounts without the channel their notice "
    "names for all of them (3 more); platforms are scored on closed accounts only; no themes are labelled. First measurement "
    "(before any change prompted by it): accounts P 0.920 / R 0.742 / F1 0.821, action 41/46, "
    "effective_date 46/46, successor 30/46, places 37/37. Two general layout rules were then added "
    "(accounts tables, and names with the platform in brackets, `analysis/tables.py`), so for those "
    "layouts this set is no longer held out."
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
              *([_prf_row("themes (micro)", s.themes)] if s.themes.tp + s.themes.fn + s.themes.fp else [])]
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
    held = score_comments(load_comment_file(HELDOUT_COMMENTS))
    with OfflineWeb() as web:
        notices = load_offline_web_notices(web.base_url)
    web_scores = score_offline_web(notices)
    stance_note = STANCE_NOTE.format(trained_on=load_model().trained_on)
    body = "\n\n".join([NOTE, announcement_table(ann), comment_table(com), stance_note,
                         "### Held out", HELDOUT_NOTE, comment_table(held),
                         WEB_NOTE, announcement_table(web_scores)])
    print(body)
    if "--errors" in argv:
        # Held-out disagreements are left out on purpose: reading them while tuning would
        # stop the held-out sets from being held out.
        print("\n".join(["", "Disagreements (in-sample sets only):"] + ann.errors + com.errors))
    write_section("quality", "Analysis quality (labelled sets in tests/data/)", body)


if __name__ == "__main__":
    main(sys.argv[1:])

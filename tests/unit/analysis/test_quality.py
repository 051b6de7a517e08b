"""Quality floors on the hand-labelled sets in tests/data/ (figures: bench/quality.py → BENCHMARKS.md).

Each floor is what the analysis must keep meeting. Lower one only deliberately, saying why
in the commit; raise it when the analysis improves for a reason that generalises.

Two kinds of sets: in-sample (``announcements_*.yaml``, ``comments_*.txt``: the rules were
revised against them) and held-out (``heldout_comments.txt`` and the offline web's gold data,
never used to tune a rule). Issue 13's floors apply to the in-sample sets; the held-out floors
sit a little under what the code measures there, and are the figures to quote for unseen text.
"""

import pytest

from quality.evaluation import (
    HELDOUT_COMMENTS,
    load_announcements,
    load_comment_file,
    load_comments,
    score_announcements,
    score_comments,
)
from quality.evaluation_web import load_offline_web_notices, score_offline_web
from demo.server import OfflineWeb

# Issue 13's floors.
CITY_ACCURACY_FLOOR = 0.95
ACCOUNTS_F1_FLOOR = 0.90
THEMES_MICRO_F1_FLOOR = 0.80  # announcements and comments
STANCE_ACCURACY_FLOOR = 0.75  # in-sample comments: since issue 13 part 4 also the stance model's
# training data (measured 1.000 there, which says only that the model fits them); its honest
# in-sample figure is the CV floor in test_stance_training.py.
# Floors this project adds, set a little under the measured figures so that a regression shows.
STANCE_HARD_ACCURACY_FLOOR = 0.70
ACCOUNT_FIELD_ACCURACY_FLOOR = 0.90  # action, effective_date, successor on matched accounts
# Held-out comments (87, measured 2026-11-24: themes micro-F1 0.677, stance 0.632 with the
# rules alone). Themes stay below issue 13's floor: on comments the rules were written for
# they do better than on new ones. Stance measured 0.920 (80/87) with the shipped model
# (analysis/stance.py lists each held-out run). Not to be raised by tuning on this file;
# write a fresh one instead.
HELDOUT_COMMENT_THEMES_F1_FLOOR = 0.65
HELDOUT_STANCE_ACCURACY_FLOOR = 0.88
# Held-out offline web (37 notices, 62 accounts; measured: city 1.000, accounts F1 0.952,
# action 0.917, effective_date 1.000, successor 0.683 — the gold data's successor convention
# differs from issue 13's, see quality/evaluation_web.py).
HELDOUT_WEB_ACCOUNTS_F1_FLOOR = 0.92
HELDOUT_WEB_ACTION_FLOOR = 0.88
HELDOUT_WEB_DATE_FLOOR = 0.95
HELDOUT_WEB_SUCCESSOR_FLOOR = 0.65


@pytest.fixture(scope="module")
def announcements():
    return score_announcements(load_announcements())


@pytest.fixture(scope="module")
def comments():
    return score_comments(load_comments())


@pytest.fixture(scope="module")
def heldout_comments():
    return score_comments(load_comment_file(HELDOUT_COMMENTS))


@pytest.fixture(scope="module")
def offline_web_scores():
    with OfflineWeb() as web:
        notices = load_offline_web_notices(web.base_url)
    return score_offline_web(notices)


def test_the_sets_are_as_large_as_promised():
    items = load_announcements()
    assert len(items) >= 60 and sum(len(i["expect"]["accounts"]) for i in items) >= 100
    labelled = load_comments()
    assert len(labelled) >= 300
    assert sum(c.hard for c in labelled) >= len(labelled) / 3
    heldout = load_comment_file(HELDOUT_COMMENTS)
    assert len(heldout) >= 80 and sum(c.hard for c in heldout) >= len(heldout) / 3
    assert not {c.text for c in heldout} & {c.text for c in labelled}


def test_city(announcements):
    assert announcements.place["city"].value >= CITY_ACCURACY_FLOOR, announcements.errors


def test_accounts(announcements):
    assert announcements.accounts.f1 >= ACCOUNTS_F1_FLOOR, announcements.errors
    for name, acc in announcements.account_fields.items():
        assert acc.value >= ACCOUNT_FIELD_ACCURACY_FLOOR, (name, announcements.errors)


def test_announcement_themes(announcements):
    assert announcements.themes.f1 >= THEMES_MICRO_F1_FLOOR, announcements.errors


def test_stance(comments):
    assert comments.stance.value >= STANCE_ACCURACY_FLOOR, comments.errors
    assert comments.stance_hard.value >= STANCE_HARD_ACCURACY_FLOOR, comments.errors


def test_comment_themes(comments):
    assert comments.themes.f1 >= THEMES_MICRO_F1_FLOOR, comments.errors


def test_heldout_comments(heldout_comments):
    assert heldout_comments.themes.f1 >= HELDOUT_COMMENT_THEMES_F1_FLOOR
    assert heldout_comments.stance.value >= HELDOUT_STANCE_ACCURACY_FLOOR


def test_heldout_offline_web_places(offline_web_scores):
    assert offline_web_scores.n >= 30
    for key in ("province", "city", "district"):
        assert offline_web_scores.place[key].value >= CITY_ACCURACY_FLOOR, offline_web_scores.errors


def test_heldout_offline_web_accounts(offline_web_scores):
    s = offline_web_scores
    assert s.accounts.f1 >= HELDOUT_WEB_ACCOUNTS_F1_FLOOR, s.errors
    assert s.account_fields["action"].value >= HELDOUT_WEB_ACTION_FLOOR, s.errors
    assert s.account_fields["effective_date"].value >= HELDOUT_WEB_DATE_FLOOR, s.errors
    assert s.account_fields["successor"].value >= HELDOUT_WEB_SUCCESSOR_FLOOR, s.errors

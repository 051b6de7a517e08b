"""The two commands, as make would run them (``make -n``: printed, not run): ``make test``
installs the system packages first, ``make run PORT=…`` passes the port on, and ``.ci/run``
is a thin call of ``make test`` (one place installs the system packages)."""

from __future__ import annotations

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def make_n(*args: str) -> str:
    # -B: as on a fresh clone, every step (the venv's too) is shown.
    return subprocess.run(["make", "-nB", *args], cwd=ROOT, capture_output=True, text=True, check=True).stdout


def test_make_test_installs_what_the_tests_need_then_runs_them():
    lines = make_n("test").splitlines()
    venv = next(i for i, line in enumerate(lines) if "system-packages.sh venv" in line)
    tests = next(i for i, line in enumerate(lines) if "system-packages.sh tests" in line)
    pytest = next(i for i, line in enumerate(lines) if "pytest" in line)
    assert venv < pytest and tests < pytest


def test_make_run_takes_a_port():
    assert "yuqing demo --port 8001" in make_n("run", "PORT=8001")
    assert "--port" not in make_n("run").splitlines()[-1]  # default: $YUQING_PORT, else 8000


def test_ci_run_is_a_thin_call_of_make_test():
    script = (ROOT / ".ci" / "run").read_text()
    commands = [line for line in script.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    assert commands[-1].strip() == "make test"
    assert "apt-get" not in script  # installing lives in scripts/system-packages.sh only


def test_system_packages_script_names_the_packages():
    script = (ROOT / "scripts" / "system-packages.sh").read_text()
    for package in ("chromium", "chromium-driver", "fonts-wqy-zenhei", "curl", "python3-venv"):
        assert package in script

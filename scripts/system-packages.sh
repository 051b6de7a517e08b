#!/usr/bin/env bash
# System packages yuqing's Makefile needs, installed with apt when missing, so a fresh
# Debian/Ubuntu machine needs nothing installed by hand:
#   venv  — python3-venv, when `python3 -m venv` cannot bootstrap pip (Debian ships it apart);
#           used by every target that builds .venv (make run, make test)
#   tests — Debian's Chromium (tests/browser drive it through Playwright; a downloaded browser
#           is never used), a CJK font so screenshots show Chinese, not boxes, and curl
#           (tests/test_readme_examples.py runs the README's curl examples as written);
#           used by make test (and so by .ci/run)
# A machine that has them skips the step in milliseconds.
set -euo pipefail

PYTHON="${PYTHON:-python3}"
missing=()
for need in "$@"; do
    case "$need" in
        venv)
            "$PYTHON" -c "import ensurepip, venv" 2>/dev/null || missing+=(python3-venv) ;;
        tests)
            [ -x /usr/bin/chromium ] || missing+=(chromium chromium-driver)
            { command -v fc-list >/dev/null && fc-list :lang=zh 2>/dev/null | grep -q .; } \
                || missing+=(fonts-wqy-zenhei)  # wqy: a small CJK font (noto-cjk is ~10x larger)
            command -v curl >/dev/null || missing+=(curl) ;;
        *)
            echo "usage: $0 venv|tests ..." >&2; exit 2 ;;
    esac
done

[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null; then
    echo "needed and missing: ${missing[*]} (not a Debian/Ubuntu machine: install them with your package manager)" >&2
    exit 1
fi
SUDO=()
if [ "$(id -u)" -ne 0 ]; then
    if ! command -v sudo >/dev/null; then
        echo "needed and missing: ${missing[*]}; as root run: apt-get install -y ${missing[*]}" >&2
        exit 1
    fi
    SUDO=(sudo)
fi
echo "installing ${missing[*]}"
"${SUDO[@]}" apt-get update -qq
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null

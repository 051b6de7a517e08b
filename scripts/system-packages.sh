#!/usr/bin/env bash
# The system packages the tests need, installed when missing: Debian's Chromium
# (tests/browser drive it through Playwright; a downloaded browser is never used), a
# CJK font so screenshots show Chinese, not boxes, and curl (tests/test_readme_examples.py
# runs the README's curl examples as written). `make test` and `.ci/run` (through
# `make test`) both call this, so a fresh machine needs nothing installed by hand.
# A machine that has them skips the step in a few milliseconds.
set -euo pipefail

PACKAGES=(chromium chromium-driver fonts-wqy-zenhei curl)  # wqy: a small CJK font (noto-cjk is ~10x larger)

have_browser() { [ -x /usr/bin/chromium ]; }
have_cjk_font() { command -v fc-list >/dev/null && fc-list :lang=zh 2>/dev/null | grep -q .; }

have_curl() { command -v curl >/dev/null; }

if have_browser && have_cjk_font && have_curl; then
    exit 0
fi

if ! command -v apt-get >/dev/null; then
    echo "the tests need Chromium at /usr/bin/chromium, a CJK font and curl;" \
         "this is not a Debian/Ubuntu machine, so install them with your package manager" >&2
    exit 1
fi

SUDO=()
if [ "$(id -u)" -ne 0 ]; then
    if ! command -v sudo >/dev/null; then
        echo "the tests need: ${PACKAGES[*]}; run as root: apt-get install -y ${PACKAGES[*]}" >&2
        exit 1
    fi
    SUDO=(sudo)
fi

echo "installing ${PACKAGES[*]} (for the tests)"
"${SUDO[@]}" apt-get update -qq
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${PACKAGES[@]}" >/dev/null

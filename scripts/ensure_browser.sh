#!/usr/bin/env bash
# Make Debian's headless Chromium available for the browser tests (tests marked `browser`).
# Idempotent and quiet; never fails the build: without apt (or root) the browser tests are skipped.
set -u
CHROMIUM=/usr/bin/chromium
[ -x "$CHROMIUM" ] && exit 0
command -v apt-get >/dev/null 2>&1 || { echo "ensure_browser: apt-get not available; browser tests will be skipped"; exit 0; }
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO="sudo -n"; else
    echo "ensure_browser: need root to install chromium; browser tests will be skipped"; exit 0
  fi
fi
echo "ensure_browser: installing Debian's chromium (once)…"
LOG=$(mktemp)
if $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq >"$LOG" 2>&1 \
  && $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >>"$LOG" 2>&1; then
  echo "ensure_browser: chromium installed"
else
  echo "ensure_browser: could not install chromium (see $LOG); browser tests will be skipped"
fi
exit 0

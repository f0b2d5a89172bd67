#!/usr/bin/env bash
# Make Debian's headless Chromium (browser tests, tests marked `browser`) and poppler-utils (pdftoppm and
# pdffonts: the memo PDF rendering test) available. Idempotent and quiet; never fails the build: without apt
# (or root) those tests are skipped with the reason.
set -u
NEED=""
[ -x /usr/bin/chromium ] || NEED="$NEED chromium"
{ [ -x /usr/bin/pdftoppm ] && [ -x /usr/bin/pdffonts ]; } || NEED="$NEED poppler-utils"
[ -z "$NEED" ] && exit 0
command -v apt-get >/dev/null 2>&1 || { echo "ensure_browser: apt-get not available;$NEED missing: their tests will be skipped"; exit 0; }
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO="sudo -n"; else
    echo "ensure_browser: need root to install$NEED; their tests will be skipped"; exit 0
  fi
fi
echo "ensure_browser: installing Debian's$NEED (once)…"
LOG=$(mktemp)
# shellcheck disable=SC2086
if $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq >"$LOG" 2>&1 \
  && $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $NEED >>"$LOG" 2>&1; then
  echo "ensure_browser:$NEED installed"
else
  echo "ensure_browser: could not install$NEED (see $LOG); their tests will be skipped"
fi
exit 0

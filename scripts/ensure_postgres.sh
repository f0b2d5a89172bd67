#!/usr/bin/env bash
# Print a PostgreSQL URL for the test tier: the local server if one answers, otherwise
# install Debian's PostgreSQL (needs root), start it, and create a test database.
set -uo pipefail

try_url() { # url
  "${VENV_PY:-python3}" - "$1" <<'PY' >/dev/null 2>&1
import sys, psycopg
url = sys.argv[1].replace("postgresql+psycopg://", "postgresql://")
with psycopg.connect(url, connect_timeout=3) as c:
    c.execute("select 1")
PY
}

for url in "${CREDITDESK_TEST_DATABASE_URL:-}" \
           "postgresql+psycopg://postgres@127.0.0.1:5432/test" \
           "postgresql+psycopg://postgres:creditdesk@127.0.0.1:5432/creditdesk_test"; do
  if [ -n "$url" ] && try_url "$url"; then echo "$url"; exit 0; fi
done

if [ "$(id -u)" != "0" ]; then
  echo "PostgreSQL not reachable and not root: cannot install it" >&2
  exit 1
fi
if ! command -v pg_ctlcluster >/dev/null 2>&1; then
  echo "Installing PostgreSQL from Debian's packages…" >&2
  apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2 || exit 1
fi
version=$(ls /etc/postgresql | sort -V | tail -n 1)
if ! pg_lsclusters -h 2>/dev/null | grep -q "^$version main"; then
  pg_createcluster "$version" main >&2 || exit 1
fi
pg_ctlcluster --skip-systemctl-redirect "$version" main start >&2 2>/dev/null || true
for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
su postgres -c "psql -qc \"ALTER USER postgres PASSWORD 'creditdesk'\"" >&2 || exit 1
su postgres -c "createdb creditdesk_test" >&2 2>/dev/null || true
url="postgresql+psycopg://postgres:creditdesk@127.0.0.1:5432/creditdesk_test"
try_url "$url" && { echo "$url"; exit 0; }
echo "PostgreSQL was started but does not accept connections on 127.0.0.1:5432" >&2
exit 1

# Shared by deploy/run, deploy/test and deploy/fuzz: installs what is missing, idempotently.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

say() { printf '==> %s\n' "$*" >&2; }

have_postgres() {
  command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1 && return 0
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1
}

pg_bin() {
  if command -v pg_ctl >/dev/null 2>&1; then dirname "$(command -v pg_ctl)"; return; fi
  ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1
}

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

ensure_postgres() {
  # The server binaries and contrib's unaccent and pg_trgm (part of Debian's server package).
  if ! (have_postgres && ls /usr/share/postgresql/*/extension/unaccent.control >/dev/null 2>&1); then
    say "installing PostgreSQL server (apt-get)"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq postgresql postgresql-contrib >/dev/null
    # Debian's package starts a system cluster on 5432; this project runs its own clusters instead.
    as_root service postgresql stop >/dev/null 2>&1 || true
  fi
  ensure_rum
}

# The RUM index orders search results by rank inside the index (migration 0054). The service runs without
# it (slower, and says so), so a machine where the package cannot be had only gets a warning.
ensure_rum() {
  local major
  # The server's major version from where its binaries really are (/usr/lib/postgresql/15/bin).
  major="$(basename "$(dirname "$(dirname "$(readlink -f "$(pg_bin)/pg_ctl")")")")"
  [ -f "/usr/share/postgresql/$major/extension/rum.control" ] && return
  say "installing postgresql-$major-rum (apt-get)"
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "postgresql-$major-rum" >/dev/null 2>&1 \
    || { as_root apt-get update -qq && DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq \
      "postgresql-$major-rum" >/dev/null; } \
    || say "postgresql-$major-rum could not be installed: search will rank every match (slower at scale)"
}

ensure_tools() {
  # libvips' command-line tools resize product photos (vipsheader, vipsthumbnail); qrencode draws the
  # VietQR code a buyer pays a bank-transfer order with.
  if command -v vipsthumbnail >/dev/null 2>&1 && command -v vipsheader >/dev/null 2>&1 \
    && command -v qrencode >/dev/null 2>&1; then return; fi
  say "installing libvips-tools and qrencode (apt-get)"
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends libvips-tools qrencode \
    >/dev/null || { as_root apt-get update -qq && DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq \
      --no-install-recommends libvips-tools qrencode >/dev/null; }
}

ensure_swift() {
  if ! command -v swift >/dev/null 2>&1; then
    if [ -x /opt/swift/usr/bin/swift ]; then export PATH="/opt/swift/usr/bin:$PATH"; fi
  fi
  command -v swift >/dev/null 2>&1 || { say "Swift 6.2 or newer is needed: https://www.swift.org/install/"; exit 1; }
}

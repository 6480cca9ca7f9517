# Sourced by scripts/test: makes sure Debian's chromium (and fonts for screenshots) is there
# for the browser tests, and makes those tests required wherever it is or in CI.
if ! command -v chromium >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "newsweave: installing Debian's chromium for the browser tests" >&2
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    chromium fonts-liberation fonts-dejavu-core >/dev/null
fi
if command -v chromium >/dev/null 2>&1 || [ -n "${CI:-}" ]; then
  export NEWSWEAVE_BROWSER_TESTS=required
fi

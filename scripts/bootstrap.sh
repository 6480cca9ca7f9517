# Sourced by scripts/demo and scripts/test: creates .venv when missing and installs the
# pinned, hash-checked dependencies (CPU only) whenever requirements.lock or pyproject.toml change.
# requirements-ray.lock adds the optional Ray extra (newsweave backfill), which the tests use.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$root/.venv"

find_python() {
  for candidate in "${PYTHON:-}" python3.13 python3.12 python3.11 python3 python; do
    [ -n "$candidate" ] || continue
    if command -v "$candidate" >/dev/null 2>&1 &&
      "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      echo "$candidate"
      return 0
    fi
  done
  echo "newsweave: Python 3.11 or newer is needed (set PYTHON=/path/to/python3.11)" >&2
  return 1
}

if [ ! -x "$venv/bin/python" ]; then
  echo "newsweave: creating $venv" >&2
  "$(find_python)" -m venv "$venv"
fi

stamp="$venv/.newsweave-installed"
wanted="$(cat "$root/requirements-pip.lock" "$root/requirements.lock" "$root/requirements-ray.lock" \
  "$root/pyproject.toml" | sha256sum | cut -d' ' -f1)"
if [ "$(cat "$stamp" 2>/dev/null || true)" != "$wanted" ]; then
  echo "newsweave: installing pinned dependencies into .venv" >&2
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
    --require-hashes -r "$root/requirements-pip.lock"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
    --require-hashes -r "$root/requirements.lock"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
    --require-hashes -r "$root/requirements-ray.lock"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
    --no-deps --no-build-isolation -e "$root"
  echo "$wanted" >"$stamp"
fi
export PATH="$venv/bin:$PATH"

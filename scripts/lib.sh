# Shared helpers for the scripts in this folder. Source it; do not run it.

# The repository root, whatever the caller's working directory.
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

step() { printf '\n==> %s\n' "$*"; }
fail() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Runs apt-get install for the Debian packages whose command is missing.
# Usage: ensure_debian_packages "redis-server:redis-server" "wast2json:wabt" ...
ensure_debian_packages() {
  local missing=() pair
  for pair in "$@"; do
    command -v "${pair%%:*}" >/dev/null 2>&1 || missing+=("${pair#*:}")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  step "installing Debian packages: ${missing[*]}"
  local sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}

# Every AssemblyScript package the build compiles: the filters and the host's conformance filters.
filter_packages() {
  local dir
  for dir in "$REPO_ROOT"/filters/*/ "$REPO_ROOT"/tests/conformance-filters/*/; do
    [ -f "$dir/package.json" ] && printf '%s\n' "${dir%/}"
  done
}

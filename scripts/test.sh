#!/usr/bin/env bash
# Set up and run the whole suite: unit and AppTest tests, real-Chromium tests; lint and types beside.
# Extra arguments go to pytest (e.g. `bash scripts/test.sh -m "not browser"`). Tests run on
# every core (pytest-xdist), one test module per worker at a time, so its server starts once.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages the suite needs: Chromium for the browser tests (never a downloaded browser),
# graphviz's `dot` for layout and export, a CJK font so Chinese text renders in screenshots and
# in graphviz's text measurements.
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v dot >/dev/null 2>&1 || missing+=(graphviz)
# (grep without -q reads all of fc-list: -q would stop at the first match, and fc-list's
# SIGPIPE would fail the pipeline under pipefail, installing the font on every run.)
fc-list 2>/dev/null | grep -i "noto sans cjk" >/dev/null || missing+=(fonts-noto-cjk)
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "installing Debian packages: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

python3 -m pip install -q --disable-pip-version-check -r requirements-dev.txt
# `nginx -t` on the proxy config as local.sh runs it (local.sh installs Debian's nginx if
# missing, which the proxy tests need too).
bash deploy/local.sh check

# The static checks, each on one core. They run beside pytest rather than before it: mypy from
# a clean clone alone takes tens of seconds on one core while the other idles, and pytest's
# workers leave gaps (servers starting, pages waiting) that these fill.
static_checks() {
  python3 -m ruff check .
  python3 -m ruff format --check .
  # mypy's cache lives beside the user's other caches, not in the clone: a fresh clone of the
  # same code then checks in about a second instead of 25 s of one core (the cache checks
  # every file's hash; third-party stubs are most of the work).
  python3 -m mypy --cache-dir "${XDG_CACHE_HOME:-$HOME/.cache}/autodiff_viz/mypy"
  # deploy/: the image, the manifests (schemas of Kubernetes 1.37), compose.yaml (the Compose
  # Specification's schema), the local script.
  hadolint deploy/Dockerfile
  kubernetes-validate --strict --quiet deploy/k8s/*.yaml
  check-jsonschema --builtin-schema vendor.compose-spec deploy/compose.yaml
  shellcheck deploy/local.sh
  # The components' JavaScript files (graph, code gutter) are ES modules: `--input-type=module`
  # on stdin, because `node --check file.js` of this Node (20) accepted a file with a syntax
  # error.
  if command -v node >/dev/null 2>&1; then
    for js in autodiff_viz/ui/*.js; do node --input-type=module --check <"$js"; done
  else
    echo "node not found: the component's JavaScript is not syntax-checked"
  fi
}
checks_log=$(mktemp)
trap 'rm -f "$checks_log"' EXIT
(set -e; static_checks) >"$checks_log" 2>&1 &
checks=$!

tests_status=0
python3 -m pytest -n auto --dist loadscope "$@" || tests_status=$?
checks_status=0
wait "$checks" || checks_status=$?
echo "--- static checks (ruff, mypy, deploy linters, node --check) ---"
cat "$checks_log"
if [ "$checks_status" -ne 0 ]; then
  echo "static checks failed (exit $checks_status)"
fi
if [ "$tests_status" -ne 0 ] || [ "$checks_status" -ne 0 ]; then
  exit 1
fi

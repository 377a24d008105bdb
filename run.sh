#!/usr/bin/env bash
# One command for each set-up: creates .venv (if needed), installs the project from its own
# files, then runs what was asked.
#   ./run.sh demo            crawl the bundled offline mirror into output/ and query it (the main job)
#   ./run.sh test [ARGS]     the test suite (pytest ARGS)
#   ./run.sh clean PATH...   newsclean clean on saved pages
#   ./run.sh crawl SPIDER... newsclean crawl
set -euo pipefail
cd "$(dirname "$0")"
PYTHON=${PYTHON:-python3}
VENV=${NEWSCLEAN_VENV:-.venv}

if [ ! -x "$VENV/bin/python" ]; then
    "$PYTHON" -m venv "$VENV"
fi
stamp="$VENV/.installed-$(sha1sum pyproject.toml | cut -c1-12)"
if [ ! -f "$stamp" ]; then
    # the system pip (23.x) trips over lxml[html-clean] extras: upgrade it inside the venv first
    "$VENV/bin/python" -m pip install --quiet --upgrade pip
    "$VENV/bin/python" -m pip install --quiet -e ".[test]"
    touch "$stamp"
fi

command=${1:-demo}
shift || true
case "$command" in
    test)
        exec "$VENV/bin/python" -m pytest -q --timeout 900 "$@" ;;
    demo|clean|crawl)
        exec "$VENV/bin/newsclean" "$command" "$@" ;;
    *)
        echo "usage: ./run.sh demo | test [pytest args] | clean PATH... | crawl SPIDER..." >&2
        exit 2 ;;
esac

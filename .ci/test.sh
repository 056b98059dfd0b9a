#!/usr/bin/env bash
# The whole suite. Browser tests run in their own pytest process: pytest-playwright's event
# loop clashes with pytest-asyncio.
set -uo pipefail
mkdir -p artifacts
status=0
pytest -q tests --ignore=tests/browser -p no:cacheprovider "$@" || status=$?
pytest -q tests/browser -p no:cacheprovider -p no:asyncio -s "$@" || status=$?
exit $status

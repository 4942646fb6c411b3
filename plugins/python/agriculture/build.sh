#!/usr/bin/env bash
# Builds agriculture.wasm: the Python sources here compiled by componentize-py
# against the WIT world `department` in <repo>/wit/0.1.0. Works from any directory.
# The venv (target/py-venv) is made once and reused; componentize-py bundles
# its own CPython, so the machine's Python only runs the installer.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
venv="$repo/target/py-venv"
version="0.25.1"

if [[ ! -x "$venv/bin/componentize-py" ]] || [[ "$("$venv/bin/componentize-py" --version)" != "componentize-py $version" ]]; then
  echo "build.sh: installing componentize-py $version into $venv" >&2
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "componentize-py==$version"
fi

# The native unit tests first: a broken rule should not become a component.
(cd "$here" && python3 -m unittest --quiet)

cd "$here"
"$venv/bin/componentize-py" -d "$repo/wit/0.1.0" -w department componentize app -o "$here/agriculture.wasm"
echo "build.sh: $(du -h "$here/agriculture.wasm" | cut -f1) $here/agriculture.wasm" >&2

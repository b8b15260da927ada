# Shared by scripts/test and scripts/lint: a virtualenv with the package built in debug mode.
# Sourced, not run. Honors PYTHON (the interpreter to build the venv from) and VENV (its path).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

PYTHON=${PYTHON:-python3}
VENV=${VENV:-.venv}

say() { printf '\n==> %s\n' "$*" >&2; }

if [ ! -x "$VENV/bin/python" ]; then
    say "creating the virtualenv $VENV"
    "$PYTHON" -m venv "$VENV"
fi
export VIRTUAL_ENV="$PWD/$VENV"
export PATH="$VIRTUAL_ENV/bin:$PATH"

# $1: the extras to install with the package (e.g. "test" or "test,lint").
build_package() {
    say "installing maturin and building the extension (debug) with extras [$1]"
    python -m pip install --quiet --disable-pip-version-check "maturin>=1.9,<2"
    maturin develop --quiet --extras "$1"
}

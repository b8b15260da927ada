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

# $1: the dependency groups of pyproject.toml to install (PEP 735: e.g. "test" or "test lint"),
# then the package itself, built in debug mode.
build_package() {
    say "installing the dependency groups [$1] and maturin, building the extension (debug)"
    # `--group` needs pip 25.1 or newer (a fresh Python 3.11 venv has 23.x).
    python -m pip install --quiet --disable-pip-version-check "pip>=25.1"
    local groups=()
    for group in $1; do groups+=(--group "$group"); done
    python -m pip install --quiet --disable-pip-version-check "${groups[@]}" "maturin>=1.9,<2"
    maturin develop --quiet
}

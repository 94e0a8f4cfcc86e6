# shellcheck shell=bash
# Shared by scripts/test and scripts/sanity: find the Pythons and build the pinned environments.
# Source it; it defines functions only.

# find_python VERSION: print a command for Python VERSION (3.11, 3.12, ...) or nothing.
# LOCKDOWN_PYTHON311 / LOCKDOWN_PYTHON312 win; then pythonX.Y on PATH if it runs (pyenv's shims
# are on PATH but refuse versions that are not selected); then python3 if it is that version; then
# pyenv's newest X.Y.
find_python() {
    local version=$1 override
    override=LOCKDOWN_PYTHON${version//./}
    if [ -n "${!override:-}" ]; then echo "${!override}"; return; fi
    if "python$version" -c '' 2>/dev/null; then echo "python$version"; return; fi
    if python3 -c "import sys; sys.exit(sys.version_info[:2] != (${version/./, }))" 2>/dev/null; then echo python3; return; fi
    if command -v pyenv >/dev/null; then
        find "$(pyenv root)/versions" -maxdepth 3 -path "*/$version.*/bin/python$version" | sort -V | tail -n 1
    fi
}

# ensure_venv VERSION VENV LOCK: build VENV from LOCK with Python VERSION unless it was already built
# from an identical LOCK. Exits 2 when no such Python is found.
ensure_venv() {
    local version=$1 venv=$2 lock=$3 python
    if [ -x "$venv/bin/python" ] && cmp -s "$lock" "$venv/.installed-from"; then return; fi
    python=$(find_python "$version")
    if [ -z "$python" ]; then
        echo "no Python $version found to build $venv (set LOCKDOWN_PYTHON${version//./})" >&2
        exit 2
    fi
    echo "building $venv from $lock with $python"
    rm -rf "$venv"
    "$python" -m venv "$venv"
    if ! "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$lock"; then
        echo "could not install $lock into $venv" >&2
        exit 2
    fi
    cp "$lock" "$venv/.installed-from"
}

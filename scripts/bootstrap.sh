# Sourced by scripts/serve and scripts/test: a virtual environment with the pinned
# requirements, and the system libraries WeasyPrint needs. Safe to run again: it only
# installs what changed.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${POKIN_VENV:-$ROOT/.venv}"
REQUIREMENTS="${1:-requirements.txt}"

find_python() {
    for candidate in python3.13 python3.12 python3.11 python3.10 python3; do
        if command -v "$candidate" >/dev/null 2>&1 &&
            "$candidate" -c 'import sys; sys.exit(0 if (3, 10) <= sys.version_info[:2] <= (3, 13) else 1)' 2>/dev/null; then
            command -v "$candidate"
            return 0
        fi
    done
    echo "Pokin butuh Python 3.10-3.13 (python3 tidak ditemukan atau versinya tidak cocok)." >&2
    return 1
}

apt_install() {
    # Debian/Ubuntu packages; as root they are installed, otherwise we say what is missing.
    if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
        echo "Memasang paket sistem: $*"
        if [ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -print -quit 2>/dev/null)" ]; then
            apt-get update -qq
        fi
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null ||
            { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null; }
    else
        echo "Paket sistem belum terpasang: $*" >&2
        echo "Pasang dengan: sudo apt-get install $*" >&2
        return 1
    fi
}

if [ ! -x "$VENV/bin/python" ]; then
    PYTHON="$(find_python)"
    echo "Membuat virtualenv di $VENV dengan $("$PYTHON" --version)"
    "$PYTHON" -m venv "$VENV"
fi

stamp="$VENV/.pokin-$(basename "$REQUIREMENTS").sha256"
wanted="$(cat "$ROOT/requirements.txt" "$ROOT/$REQUIREMENTS" | sha256sum | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$wanted" ]; then
    echo "Memasang dependensi Python dari $REQUIREMENTS ..."
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$ROOT/$REQUIREMENTS"
    echo "$wanted" >"$stamp"
fi

# WeasyPrint renders with Pango; without it the PDF pages cannot work. It imports without
# HarfBuzz-Subset but then warns on every render (an error under the tests' filterwarnings), so
# the library is checked on its own.
if ! "$VENV/bin/python" -c 'import weasyprint' >/dev/null 2>&1 ||
    ! { /sbin/ldconfig -p 2>/dev/null || ldconfig -p 2>/dev/null; } | grep -q 'libharfbuzz-subset\.so'; then
    apt_install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core ||
        echo "PERINGATAN: WeasyPrint tidak dapat dimuat; halaman PDF tidak akan berfungsi." >&2
fi

# Python reads bytecode caches even where PYTHONDONTWRITEBYTECODE keeps it from writing them (as
# on this project's CI machine): compiled once here, the project's modules are not compiled again
# at every process start (a command, a job's child, a web worker: ~0.1 s each). pip compiles the
# installed packages itself.
"$VENV/bin/python" -m compileall -q "$ROOT/config" "$ROOT/core" "$ROOT/dinas" "$ROOT/pohon" >/dev/null 2>&1 || true

export PATH="$VENV/bin:$PATH"
cd "$ROOT"

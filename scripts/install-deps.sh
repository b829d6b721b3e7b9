#!/bin/sh
# install-deps.sh - installs the Debian 12 packages a target needs, and only
# the missing ones, so `make run` and `make check` work on a fresh machine.
# Usage: scripts/install-deps.sh run|check|bench
set -eu

run_pkgs="build-essential pkg-config gettext libncurses-dev libsqlite3-dev libusb-1.0-0-dev libjansson-dev libqrencode-dev libsodium-dev libpq-dev libglib2.0-dev libfprint-2-dev libfprint-2-2"
check_pkgs="$run_pkgs libcmocka-dev tmux sqlite3 jq ncurses-term clang-format cppcheck procps clang libclang-rt-14-dev umockdev libumockdev-dev gir1.2-umockdev-1.0 python3-gi zbar-tools postgresql"
bench_pkgs="$run_pkgs sqlite3 postgresql"

case "${1:-run}" in
run) want=$run_pkgs ;;
check) want=$check_pkgs ;;
bench) want=$bench_pkgs ;;
*) echo "usage: $0 run|check|bench" >&2; exit 2 ;;
esac

missing=""
for p in $want; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
        missing="$missing $p"
    fi
done
[ -z "$missing" ] && exit 0

echo "Installing missing packages:$missing"
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then SUDO=sudo; else
        echo "Missing packages:$missing. Run as root or install them with apt-get." >&2
        exit 1
    fi
else
    SUDO=""
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing

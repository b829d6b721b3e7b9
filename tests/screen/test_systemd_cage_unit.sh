#!/usr/bin/env bash
# The graphical kiosk session's unit (nser-kiosk-cage.service) and its
# start script: systemd accepts the unit (systemd-analyze verify, where
# systemd is installed); it runs cage on tty1 as nser-kiosk with a login
# session, conflicts with the tty kiosk, restarts always and never runs as
# root; the script starts cage with one xterm that runs nser-kiosk --kiosk
# in DejaVu Sans Mono with xterm's menus and font and window operations
# shut; make install-unit installs both with the real path.
# Needs no tmux, no display and no root; touches nothing outside its temp dir.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
UNIT=$ROOT/data/systemd/nser-kiosk-cage.service
SCRIPT=$ROOT/data/nser-kiosk-cage
WORK=$(mktemp -d /tmp/nser-cage-unit.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
fail() {
    echo "FAIL test_systemd_cage_unit: $*" >&2
    exit 1
}

# As make install writes them, in a scratch BINDIR.
make -s -C "$ROOT" --no-print-directory install-unit DESTDIR="$WORK/dest" PREFIX=/usr \
    BINDIR="$WORK/bin" SYSTEMDDIR=/lib/systemd/system >/dev/null
inst=$WORK/dest/lib/systemd/system/nser-kiosk-cage.service
script=$WORK/dest$WORK/bin/nser-kiosk-cage
[ -f "$inst" ] || fail "make install-unit did not install $inst"
[ -x "$script" ] || fail "make install-unit did not install an executable $script"
grep -qxF "ExecStart=$WORK/bin/nser-kiosk-cage" "$inst" || fail "the installed unit's ExecStart is wrong"
grep -qxF "BINDIR=$WORK/bin" "$script" || fail "the installed script does not run the kiosk from $WORK/bin"
sh -n "$script" || fail "the script is not valid sh"

if command -v systemd-analyze >/dev/null 2>&1; then
    # verify checks that ExecStart exists: point it at the installed script.
    sed "s|@BINDIR@|$(dirname "$script")|g" "$UNIT" >"$WORK/nser-kiosk-cage.service"
    out=$(systemd-analyze verify "$WORK/nser-kiosk-cage.service" 2>&1) || {
        if grep -q "nser-kiosk-cage.service" <<<"$out"; then
            fail "systemd-analyze verify: $out"
        fi
        echo "note: systemd-analyze verify could not run here: $out" >&2
    }
    if grep -q "nser-kiosk-cage.service:" <<<"$out"; then fail "systemd-analyze verify: $out"; fi
else
    echo "note: no systemd-analyze: checking the unit's lines only" >&2
fi

line() {
    grep -qxF -- "$1" "$UNIT" || fail "the unit lacks: $1"
}
line "ExecStart=@BINDIR@/nser-kiosk-cage"
line "User=nser-kiosk"
line "PAMName=login"
line "TTYPath=/dev/tty1"
line "StandardInput=tty-fail"
line "Restart=always"
line "Conflicts=getty@tty1.service nser-kiosk.service"
line "StateDirectory=nser-kiosk"
line "NoNewPrivileges=yes"
line "CapabilityBoundingSet="
line "WantedBy=graphical.target"
! grep -qE '^User=root|^(Ambient)?Capabilit.*CAP_' "$UNIT" || fail "the unit grants root or capabilities"

# The script: cage, one xterm, the kiosk; no shell, menus or font changes.
grep -qE '^exec cage -- xterm ' "$SCRIPT" || fail "the script does not exec cage -- xterm"
grep -qF -- '-fa "DejaVu Sans Mono:size=$SIZE"' "$SCRIPT" || fail "xterm's font is not DejaVu Sans Mono"
for r in "allowFontOps: false" "allowWindowOps: false" "allowSendEvents: false" "omitTranslation: popup-menu"; do
    grep -qF "$r" "$SCRIPT" || fail "the script lacks xterm resource: $r"
done
grep -qF -- '-e "$BINDIR/nser-kiosk" --kiosk' "$SCRIPT" || fail "xterm does not run nser-kiosk --kiosk"
echo "ok test_systemd_cage_unit"

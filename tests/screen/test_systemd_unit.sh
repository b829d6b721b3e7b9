#!/usr/bin/env bash
# The systemd unit that runs the kiosk on a centre machine: systemd itself
# accepts it (systemd-analyze verify, where systemd is installed), and it
# says what docs/deploy.md promises: kiosk mode on tty1 as nser-kiosk,
# restarted always, sandboxed, devices limited to the tty and USB.
# Needs no tmux and no root; touches nothing outside its temp dir.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
UNIT=$ROOT/data/systemd/nser-kiosk.service
WORK=$(mktemp -d /tmp/nser-unit.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
fail() {
    echo "FAIL test_systemd_unit: $*" >&2
    exit 1
}

# As make install writes it, pointing at the binary just built.
BIN=$ROOT/build/nser-kiosk
[ -x "$BIN" ] || BIN=$ROOT/build/asan/nser-kiosk
sed "s|@BINDIR@|$(dirname "$BIN")|g" "$UNIT" >"$WORK/nser-kiosk.service"
sed -i "s|/nser-kiosk --kiosk|/$(basename "$BIN") --kiosk|" "$WORK/nser-kiosk.service"

if command -v systemd-analyze >/dev/null 2>&1; then
    out=$(systemd-analyze verify "$WORK/nser-kiosk.service" 2>&1) || {
        # Without a running systemd (a container), verify may fail for
        # reasons that are not the unit's; anything naming the unit is.
        if grep -q "nser-kiosk.service" <<<"$out"; then
            fail "systemd-analyze verify: $out"
        fi
        echo "note: systemd-analyze verify could not run here: $out" >&2
    }
    if grep -q "nser-kiosk.service:" <<<"$out"; then fail "systemd-analyze verify: $out"; fi
else
    echo "note: no systemd-analyze: checking the unit's lines only" >&2
fi

# line KEY=VALUE: the unit has exactly this line.
line() {
    grep -qxF -- "$1" "$UNIT" || fail "the unit lacks: $1"
}
line "ExecStart=@BINDIR@/nser-kiosk --kiosk --config /etc/nser-kiosk/nser-kiosk.conf --db /var/lib/nser-kiosk/nser-kiosk.db"
line "User=nser-kiosk"
line "SupplementaryGroups=nser-kiosk audio"
line "Restart=always"
line "RestartSec=1"
line "StandardInput=tty"
line "TTYPath=/dev/tty1"
line "TTYReset=yes"
line "TTYVHangup=yes"
line "Environment=TERM=linux LANG=C.UTF-8"
line "Conflicts=getty@tty1.service"
line "StateDirectory=nser-kiosk"
line "LogsDirectory=nser-kiosk"
line "ReadWritePaths=/var/lib/nser-kiosk /var/log/nser-kiosk"
line "NoNewPrivileges=yes"
line "ProtectSystem=strict"
line "ProtectHome=yes"
line "PrivateTmp=yes"
line "ProtectKernelTunables=yes"
line "ProtectKernelModules=yes"
line "ProtectKernelLogs=yes"
line "RestrictAddressFamilies=AF_UNIX AF_NETLINK"
line "DevicePolicy=closed"
line "DeviceAllow=/dev/tty1 rw"
line "DeviceAllow=char-usb_device rw"
line "DeviceAllow=char-alsa rw"
! grep -qE '^User=root|^(Ambient)?Capabilit.*CAP_' "$UNIT" || fail "the unit grants root or capabilities"

# make install writes it with the real path.
make -s -C "$ROOT" --no-print-directory install-unit DESTDIR="$WORK/dest" PREFIX=/usr \
    SYSTEMDDIR=/lib/systemd/system >/dev/null
inst=$WORK/dest/lib/systemd/system/nser-kiosk.service
[ -f "$inst" ] || fail "make install-unit did not install $inst"
grep -qxF "ExecStart=/usr/bin/nser-kiosk --kiosk --config /etc/nser-kiosk/nser-kiosk.conf --db /var/lib/nser-kiosk/nser-kiosk.db" "$inst" ||
    fail "the installed unit's ExecStart is not /usr/bin/nser-kiosk"
echo "ok test_systemd_unit"

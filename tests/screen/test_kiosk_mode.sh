#!/usr/bin/env bash
# Somebody at the kiosk (--kiosk, as the systemd unit starts it) tries
# every way out: Ctrl-C, Ctrl-Z, Ctrl-\ and Ctrl-D typed, and INT, QUIT,
# TSTP, TTIN, TTOU, PIPE and WINCH sent with kill. The kiosk is still there
# after each and still answers a key. HUP and TERM (each in a fresh run)
# end it with exit 0 and the terminal sane again (stty in the pane shows
# icanon and echo), so systemd can start a fresh one; a crash (SEGV)
# restores the terminal too and the process dies of the signal. Outside
# kiosk mode Ctrl-C still quits.
. "$(dirname "$0")/lib.sh"

# A wrapper the kiosk runs under: after it ends, the pane shows the
# terminal's modes, as the next program on that tty would find them.
WRAP="$WORK/wrap.sh"
cat >"$WRAP" <<'EOF'
#!/usr/bin/env bash
"$@"
rc=$?
printf '\r\n[stty %s]\r\n' "$(stty -a | tr -s ' \n;' '   ')"
exit $rc
EOF
chmod +x "$WRAP"

# still_there PID WHAT: the same kiosk runs, and goes to the status page
# and back.
still_there() {
    local pid=$1 what=$2 now
    sleep 0.2 # what the kiosk would do with it, it has done by now
    now=$(kiosk_pid)
    [ "$now" = "$pid" ] || fail "the kiosk is gone after $what"
    refute_screen "[exited"
    keys 1
    wait_for "CNIC or tracking ID:" 5
    keys Escape
    wait_for "Register household" 5
}

# sane_terminal: the modes printed after the kiosk ended are a shell's.
sane_terminal() {
    wait_for "[stty " 5
    local modes
    modes=$(screen_words | grep -o '\[stty [^]]*' || true)
    [[ " $modes " == *" icanon "* ]] || fail "icanon is off after the kiosk: $modes"
    [[ " $modes " == *" echo "* ]] || fail "echo is off after the kiosk: $modes"
    [[ " $modes " == *" isig "* ]] || fail "isig is off after the kiosk: $modes"
}

CASE="keys"
KIOSK_WRAP=$WRAP start_kiosk 80 24 --kiosk
wait_for "Register household"
pid=$(kiosk_pid)
[ -n "$pid" ] || fail "no kiosk running"
for k in C-c C-z 'C-\' C-d; do
    keys "$k"
    still_there "$pid" "$k"
done

CASE="signals"
for sig in INT QUIT TSTP TTIN TTOU PIPE WINCH; do
    kill -"$sig" "$pid"
    still_there "$pid" "SIG$sig"
done
# On the status page too, where a field has the cursor.
keys 1
wait_for "CNIC or tracking ID:"
type_text 35202
for k in C-c C-z 'C-\' C-d; do keys "$k"; done
kill -INT "$pid"
kill -TSTP "$pid"
sleep 0.2
[ "$(kiosk_pid)" = "$pid" ] || fail "the kiosk is gone after keys on the status page"
keys Escape
wait_for "Register household"
stop_kiosk

for sig in HUP TERM; do
    CASE="$sig ends cleanly"
    KIOSK_WRAP=$WRAP start_kiosk 80 24 --kiosk
    wait_for "Register household"
    kill -"$sig" "$(kiosk_pid)"
    wait_for "[exited 0]" 10
    sane_terminal
    check_sanitizers
    tmux -L "$SOCK" kill-server 2>/dev/null || true
done

# A crash: the plain build (ASan's own SEGV report would be the thing
# tested otherwise). The terminal comes back, and the process still dies
# of the signal, so systemd sees a crash and the core is not lost.
CASE="crash restores"
PLAIN_KIOSK=${PLAIN_KIOSK:-$ROOT/build/nser-kiosk}
if [ -x "$PLAIN_KIOSK" ]; then
    ASAN_KIOSK=$KIOSK
    KIOSK=$PLAIN_KIOSK
    KIOSK_WRAP=$WRAP start_kiosk 80 24 --kiosk
    wait_for "Register household"
    kill -SEGV "$(kiosk_pid)"
    wait_for "[exited 139]" 10
    sane_terminal
    tmux -L "$SOCK" kill-server 2>/dev/null || true
    KIOSK=$ASAN_KIOSK
else
    echo "skipped: the crash case needs build/nser-kiosk (make)" >&2
fi

CASE="not kiosk mode"
KIOSK_WRAP=$WRAP start_kiosk 80 24
wait_for "Register household"
keys C-c
wait_for "[exited 0]" 10
sane_terminal
check_sanitizers

echo "ok $TEST_NAME"

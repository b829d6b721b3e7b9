#!/usr/bin/env python3
# audit_rows.py - appends audit rows to a kiosk database the way
# kiosk/audit.c does (docs/audit.md: BLAKE2b-256 keyed with KEY_DIR/audit.key
# over length-prefixed fields and the previous row's MAC), for the central
# tests: the kiosk's own commands write audit rows only once main.c wires
# them, and an independent implementation of the encoding checks it too.
#
#   audit_rows.py DB KEY_DIR N [ACTOR]   N rows (login/registration/logout)
#
# Makes KEY_DIR/audit.key (32 random bytes, 0600) when missing, as
# audit_open does. Must never touch anything but DB and that key file.
import hashlib
import os
import sqlite3
import sys
import time


def field(b):
    return len(b).to_bytes(4, "big") + b


def mac(key, row):
    h = hashlib.blake2b(key=key, digest_size=32)
    for f in (b"nser-audit-row-v1",) + tuple(x.encode() for x in row):
        h.update(field(f))
    return h.hexdigest()


def main():
    db, key_dir, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    actor = sys.argv[4] if len(sys.argv) > 4 else "clerk1"
    path = os.path.join(key_dir, "audit.key")
    if not os.path.exists(path):
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.write(fd, os.urandom(32))
        os.close(fd)
    with open(path, "rb") as f:
        key = f.read()
    con = sqlite3.connect(db, isolation_level=None)
    con.execute("BEGIN IMMEDIATE")
    last = con.execute("SELECT id, mac FROM audit ORDER BY id DESC LIMIT 1").fetchone()
    nid, prev = (last[0] + 1, last[1]) if last else (1, "0" * 64)
    actions = ("login", "registration", "logout")
    for i in range(n):
        at = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        action = actions[i % 3]
        subject = "12345%011d" % nid if action == "registration" else ""
        row = (str(nid), at, actor, action, subject, "", prev)
        m = mac(key, row)
        con.execute(
            "INSERT INTO audit (id, at, actor, action, subject, detail, prev_mac, mac)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", (nid, at, actor, action, subject, "", prev, m))
        nid, prev = nid + 1, m
    con.execute("COMMIT")


main()

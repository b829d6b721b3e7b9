#!/usr/bin/python3
"""fpctl.py - drive libfprint's virtual_device reader from tests.

libfprint's virtual_device listens on the AF_UNIX socket named by
FP_VIRTUAL_DEVICE. It takes ONE command per connection, with no trailing
newline, and acknowledges it by closing the connection (EOF); a command sent
before the previous EOF is lost. bash cannot open AF_UNIX sockets, hence this
helper. It must never send two commands on one connection, append a newline,
or talk to anything but the socket it is given.

Usage:
  fpctl.py [--wait SECONDS] SOCKET COMMAND [ARG] [COMMAND [ARG] ...]

Commands (several may follow each other; each gets its own connection):
  SCAN id               one enrol stage / one verify touch with finger "id"
                        (verify matches iff id equals the enrolled id)
  RETRY n               the touch needs a retry: 0 general, 1 too short,
                        2 not centred, 3 remove finger
  ERROR n               the action fails with FpDeviceError n
                        (5 protocol, 256 device removed ...)
  FINGER 0|1            finger off / on the sensor
  SLEEP ms              the device pauses before the next queued command
  UNPLUG                the running action fails ~0.5 s later with REMOVED,
                        then the device is removed (immediate)
  SET_ENROLL_STAGES n   enrol stages of the device (immediate)
  SET_SCAN_TYPE swipe|press   (immediate)
  ENROLL id             shortcut: SCAN id as many times as --stages (5)
  LIST                  (virtual_device_storage only) prints the reply

  --wait SECONDS        wait up to this long for the socket to appear
                        (the kiosk creates it when it opens the reader);
                        default 10
  --stages N            stages for ENROLL (default 5)

Exit status: 0 when every command was acknowledged, 1 on a connection
error (message on stderr), 2 on bad usage. Queued commands (SCAN, RETRY,
ERROR, FINGER, SLEEP) may be sent before the enrol/verify starts; they are
consumed in order. INSERT / REMOVE are refused: they abort virtual_device.
"""

import os
import socket
import sys
import time

# Commands and how many arguments each takes.
COMMANDS = {
    "SCAN": 1,
    "RETRY": 1,
    "ERROR": 1,
    "FINGER": 1,
    "SLEEP": 1,
    "UNPLUG": 0,
    "SET_ENROLL_STAGES": 1,
    "SET_SCAN_TYPE": 1,
    "ENROLL": 1,
    "LIST": 0,
}


def usage(msg):
    sys.stderr.write("fpctl.py: %s\n" % msg)
    sys.stderr.write("usage: fpctl.py [--wait S] [--stages N] SOCKET CMD [ARG] ...\n")
    sys.exit(2)


def wait_for_socket(path, seconds):
    deadline = time.monotonic() + seconds
    while True:
        try:
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.connect(path)
            return s
        except (FileNotFoundError, ConnectionRefusedError):
            s.close()
            if time.monotonic() >= deadline:
                raise
            time.sleep(0.05)


def send(path, line, wait):
    """One command on its own connection; returns the reply (read to EOF)."""
    s = wait_for_socket(path, wait)
    try:
        s.sendall(line.encode())
        reply = b""
        while True:
            chunk = s.recv(4096)
            if not chunk:
                break
            reply += chunk
        return reply
    finally:
        s.close()


def main(argv):
    wait = 10.0
    stages = 5
    args = list(argv)
    while args and args[0].startswith("--"):
        opt = args.pop(0)
        if not args:
            usage("%s needs a value" % opt)
        val = args.pop(0)
        try:
            if opt == "--wait":
                wait = float(val)
            elif opt == "--stages":
                stages = int(val)
            else:
                usage("unknown option " + opt)
        except ValueError:
            usage("bad value for %s: %s" % (opt, val))
    if len(args) < 2:
        usage("need SOCKET and a COMMAND")
    path = args.pop(0)
    if len(path.encode()) >= 107:
        usage("socket path longer than 106 bytes: libfprint would truncate it")

    lines = []
    while args:
        cmd = args.pop(0).upper()
        if cmd in ("INSERT", "REMOVE"):
            usage(cmd + " is for virtual_device_storage and aborts virtual_device")
        if cmd not in COMMANDS:
            usage("unknown command " + cmd)
        n = COMMANDS[cmd]
        if len(args) < n:
            usage(cmd + " needs an argument")
        params = [args.pop(0) for _ in range(n)]
        for p in params:
            if "\n" in p or " " in p:
                usage("argument may hold no space or newline: %r" % p)
        if cmd == "ENROLL":
            lines.extend(["SCAN " + params[0]] * stages)
        else:
            lines.append(" ".join([cmd] + params))

    for line in lines:
        try:
            reply = send(path, line, wait)
        except OSError as e:
            sys.stderr.write("fpctl.py: %s: %s: %s\n" % (path, line, e))
            return 1
        if reply:
            sys.stdout.write(reply.decode(errors="replace"))
            if not reply.endswith(b"\n"):
                sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

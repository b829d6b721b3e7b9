#!/usr/bin/python3
"""fpimage.py - synthetic fingerprint images for libfprint's virtual_image.

virtual_image (FP_VIRTUAL_IMAGE=SOCKET) takes binary frames on ONE
persistent connection: two native-endian int32 (width, height) then
width*height bytes of 8-bit grey; (-1, n) is a retry, (-2, n) an error.
An image must arrive while the reader waits for a finger, so each command
below sends one frame per stage and waits --gap seconds between them (the
kiosk's screen shows "stage n of m" in between; screen tests should rather
wait for that text and call this once per stage with STAGES 1).

The images are generated here, never copied: a plane wave (period ~9 px)
bent by a few dozen spiral points (phase singularities, which give
minutiae), 256x256, one seed per finger. Seed A enrols and matches seed A,
not seed B. Must never send anything but frames to the socket it is given.

Usage:
  fpimage.py [--wait S] [--gap S] SOCKET enroll SEED [STAGES]   (default 5)
  fpimage.py [--wait S] SOCKET verify SEED
  fpimage.py [--wait S] SOCKET flat          a flat grey image: "retry"
  fpimage.py [--wait S] SOCKET retry N       0 general, 1 too short,
                                             2 not centred, 3 remove finger
  fpimage.py [--wait S] SOCKET remove        finger removal report
  fpimage.py write SEED FILE.pgm             the image, to look at
"""

import math
import socket
import struct
import sys
import time

W = H = 256


def ridge_image(seed):
    """The same recipe as tests/unit/test_fp_driver.c."""
    st = (seed * 2654435761 + 1) & 0xFFFFFFFF

    def rng():
        nonlocal st
        st = (st * 1664525 + 1013904223) & 0xFFFFFFFF
        return st >> 8

    theta = (rng() % 360) * math.pi / 180.0
    period = 8.5 + (rng() % 100) / 100.0
    pts = []
    for _ in range(36):
        x = 16 + rng() % (W - 32)
        y = 16 + rng() % (H - 32)
        w = 1.0 if rng() & 1 else -1.0
        pts.append((x, y, w))
    c, s = math.cos(theta), math.sin(theta)
    k = 2 * math.pi / period
    out = bytearray(W * H)
    for y in range(H):
        for x in range(W):
            ph = k * (x * c + y * s)
            for (px, py, w) in pts:
                ph += w * math.atan2(y - py, x - px)
            out[y * W + x] = int(128 + 100 * math.cos(ph)) & 0xFF
    return bytes(out)


def frame(img):
    return struct.pack("=ii", W, H) + img


def connect(path, wait):
    deadline = time.monotonic() + wait
    while True:
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            s.connect(path)
            return s
        except (FileNotFoundError, ConnectionRefusedError):
            s.close()
            if time.monotonic() >= deadline:
                raise
            time.sleep(0.05)


def usage(msg):
    sys.stderr.write("fpimage.py: %s\n" % msg)
    sys.stderr.write(__doc__.split("Usage:")[1])
    sys.exit(2)


def main(argv):
    wait, gap = 10.0, 1.0
    args = list(argv)
    while args and args[0].startswith("--"):
        opt = args.pop(0)
        if not args:
            usage(opt + " needs a value")
        try:
            val = float(args.pop(0))
        except ValueError:
            usage("bad value for " + opt)
        if opt == "--wait":
            wait = val
        elif opt == "--gap":
            gap = val
        else:
            usage("unknown option " + opt)
    if len(args) >= 3 and args[0] == "write":
        with open(args[2], "wb") as f:
            f.write(b"P5\n%d %d\n255\n" % (W, H))
            f.write(ridge_image(int(args[1])))
        return 0
    if len(args) < 2:
        usage("need SOCKET and a command")
    path, cmd = args[0], args[1]
    rest = args[2:]
    try:
        if cmd == "enroll" and 1 <= len(rest) <= 2:
            frames = [frame(ridge_image(int(rest[0])))] * (int(rest[1]) if len(rest) > 1 else 5)
        elif cmd == "verify" and len(rest) == 1:
            frames = [frame(ridge_image(int(rest[0])))]
        elif cmd == "flat" and not rest:
            frames = [frame(bytes([128]) * (W * H))]
        elif cmd == "retry" and len(rest) == 1:
            frames = [struct.pack("=ii", -1, int(rest[0]))]
        elif cmd == "remove" and not rest:
            frames = [struct.pack("=ii", -4, 0)]
        else:
            usage("bad command: " + " ".join(args[1:]))
    except ValueError:
        usage("SEED, STAGES and N are numbers")
    try:
        s = connect(path, wait)
    except OSError as e:
        sys.stderr.write("fpimage.py: %s: %s\n" % (path, e))
        return 1
    with s:
        for i, fr in enumerate(frames):
            if i:
                time.sleep(gap)
            s.sendall(fr)
        time.sleep(0.2)  # let the reader take the last frame before the close
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

#!/usr/bin/python3
"""qr_from_pane.py - turns a QR code drawn with half blocks in terminal text
(what `tmux capture-pane -p` prints of the receipt screen) into a PBM image
that `zbarimg` can decode, so a screen test can check what the on-screen
QR code holds.

Each character cell is two modules stacked: U+2580 upper half dark,
U+2584 lower half dark, U+2588 both, anything else light. The code is found
as the block of rows holding half blocks, narrowed to the run of columns
holding the most of them (the big tracking digits drawn with U+2588 nearby
are left out). Pure Python, no PIL. Never changes its input.

usage: qr_from_pane.py [-s SCALE] [-o OUT.pbm] [PANE.txt]   (stdin when no file)
"""
import argparse
import sys

UPPER, LOWER, FULL = "\u2580", "\u2584", "\u2588"
BLOCKS = (UPPER, LOWER, FULL)
HALVES = (UPPER, LOWER)
QUIET = 4  # light modules added round the code, as the QR standard asks


def runs(flags, min_gap):
    """(start, end) of runs of True in FLAGS, joining gaps shorter than MIN_GAP."""
    out, start, gap = [], None, 0
    for i, f in enumerate(flags + [False] * min_gap):
        if f:
            if start is None:
                start = i
            gap, end = 0, i
        elif start is not None:
            gap += 1
            if gap >= min_gap:
                out.append((start, end + 1))
                start, gap = None, 0
    return out


def find_code(lines):
    """The (top, bottom, left, right) cell box of the QR code, or None."""
    width = max((len(l) for l in lines), default=0)
    grid = [l.ljust(width) for l in lines]
    best = None
    # Rows of a code: consecutive rows with a half block (the code's rows
    # always have one; a row of big digits has only full blocks).
    for top, bottom in runs([any(c in HALVES for c in row) for row in grid], 1):
        # Columns: split on gaps of 3 or more empty columns (the code's own
        # quiet zone is 2 wide and inside it no column is all light).
        cols = [any(grid[r][c] in BLOCKS for r in range(top, bottom)) for c in range(width)]
        for left, right in runs(cols, 3):
            halves = sum(grid[r][c] in HALVES for r in range(top, bottom) for c in range(left, right))
            if halves and (best is None or halves > best[0]):
                best = (halves, top, bottom, left, right)
    return best[1:] if best else None


def modules(lines, box):
    top, bottom, left, right = box
    width = max(len(l) for l in lines)
    grid = [l.ljust(width) for l in lines]
    rows = []
    for r in range(top, bottom):
        cells = grid[r][left:right]
        rows.append([c in (UPPER, FULL) for c in cells])
        rows.append([c in (LOWER, FULL) for c in cells])
    # A code of odd height leaves its last half row light: drop it if so.
    if rows and not any(rows[-1]):
        rows.pop()
    return rows


def pbm(rows, scale):
    w = len(rows[0]) + 2 * QUIET
    blank = [False] * w
    padded = [blank] * QUIET + [[False] * QUIET + r + [False] * QUIET for r in rows] + [blank] * QUIET
    out = ["P1", "%d %d" % (w * scale, len(padded) * scale)]
    for r in padded:
        line = " ".join("1" if d else "0" for d in r for _ in range(scale))
        out.extend([line] * scale)
    return "\n".join(out) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("pane", nargs="?")
    ap.add_argument("-s", "--scale", type=int, default=8)
    ap.add_argument("-o", "--output")
    a = ap.parse_args()
    text = open(a.pane, encoding="utf-8").read() if a.pane else sys.stdin.read()
    lines = text.split("\n")
    box = find_code(lines)
    if not box:
        print("qr_from_pane: no QR code in the text", file=sys.stderr)
        return 1
    image = pbm(modules(lines, box), max(1, a.scale))
    if a.output:
        with open(a.output, "w") as f:
            f.write(image)
    else:
        sys.stdout.write(image)
    return 0


if __name__ == "__main__":
    sys.exit(main())

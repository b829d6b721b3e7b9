"""bigdigits_read.py - finds the big digits a kiosk screen draws beside its
choices, in a tmux capture, using the font of screens/bigdigits.c (3 rows of
half blocks at 80x24, 5 rows of full blocks at 132x43).

Shared by lib.sh (shown_options) and urdu_lib.sh (ur_screen.py options),
which read the words on either side of each digit. Only reads.
"""
import os
import re


def _font(root):
    src = open(os.path.join(root, "screens/bigdigits.c")).read()
    rows = {}
    for m in re.finditer(r"\{((?:\"[ #]{3}\",? ?){5})\}, /\* ([0-9]) \*/", src):
        rows[int(m.group(2))] = re.findall(r"\"([ #]{3})\"", m.group(1))

    def small(g):
        out = []
        for r in range(0, 6, 2):
            top, bot = g[r], g[r + 1] if r + 1 < 5 else "   "
            out.append("".join("\u2588" if t == "#" and b == "#" else "\u2580" if t == "#"
                               else "\u2584" if b == "#" else " " for t, b in zip(top, bot)))
        return tuple(out)

    large = {tuple(g.replace("#", "\u2588") for g in rw): d for d, rw in rows.items()}
    smalls = {small(rw): d for d, rw in rows.items()}
    return large, smalls


def digits(lines, last, root):
    """Yields (digit, y, x, height) for every big digit standing alone
    (blank on both sides) in rows 4..LAST of LINES, padded to one width."""
    large, smalls = _font(root)
    w = len(lines[0]) if lines else 0
    for y in range(4, last):
        for x in range(1, w - 8):
            for h, table in ((5, large), (3, smalls)):
                if y + h > last + 1:
                    continue
                win = tuple(lines[y + k][x:x + 3] for k in range(h))
                if win not in table or not any(c != " " for c in "".join(win)):
                    continue
                if any(lines[y + k][x - 1] != " " or lines[y + k][x + 3] != " " for k in range(h)):
                    continue
                yield table[win], y, x, h

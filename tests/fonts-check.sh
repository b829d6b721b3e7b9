#!/usr/bin/env bash
# fonts-check.sh - every character the Urdu catalog (po/ur.po) and the
# Urdu texts of the data files can put on screen is drawn by the fonts
# docs/urdu.md names: DejaVu Sans Mono (fonts-dejavu-core), and for what
# it lacks the font fontconfig falls back to, which must come from
# fonts-noto-core or DejaVu. "On screen" is after shaping: an Arabic
# letter is drawn as its presentation forms (every form Unicode has for
# it, so a form no text uses today is covered too), the lam-alef
# ligatures when lam is used; invisible controls are never drawn.
# Asks fontconfig (fc-match with a charset, fc-query) as xterm's fallback
# does. Touches nothing; needs fontconfig and python3.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
fail() {
    echo "FAIL fonts-check: $*" >&2
    exit 1
}
command -v fc-match >/dev/null || fail "no fc-match (fontconfig)"
[ -f "$ROOT/po/ur.po" ] || fail "no po/ur.po"

python3 - "$ROOT" <<'PY'
import os, re, subprocess, sys, unicodedata

root = sys.argv[1]
PRIMARY = "DejaVu Sans Mono"
ALLOWED = ("/fonts/truetype/dejavu/", "/fonts/truetype/noto/")

# Texts: every msgstr of po/ur.po, and every line of the data files that
# holds Arabic script (the ur column of the survey and the places).
texts = []
po = open(os.path.join(root, "po/ur.po"), encoding="utf-8").read()
for m in re.finditer(r'^msgstr(?:\[\d+\])? ((?:".*"\n?)+)', po, re.M):
    parts = re.findall(r'"((?:[^"\\]|\\.)*)"', m.group(1))
    texts.append("".join(parts).encode().decode("unicode_escape").encode("latin-1").decode("utf-8"))
data = os.path.join(root, "data")
for dirpath, _, files in os.walk(data):
    for f in files:
        if f.endswith((".txt", ".tsv")):
            for line in open(os.path.join(dirpath, f), encoding="utf-8"):
                if re.search("[\u0600-\u06ff]", line):
                    texts.append(line)

# Each letter's presentation forms, from Unicode's compatibility mappings.
forms = {}
ligatures = {}
for cp in list(range(0xFB50, 0xFE00)) + list(range(0xFE70, 0xFF00)):
    d = unicodedata.decomposition(chr(cp))
    m = re.match(r"<(isolated|final|initial|medial)> (.*)", d)
    if not m:
        continue
    base = [chr(int(h, 16)) for h in m.group(2).split()]
    if len(base) == 1:
        forms.setdefault(base[0], set()).add(chr(cp))
    elif len(base) == 2 and base[0] == "\u0644" and 0xFEF5 <= cp <= 0xFEFC:
        ligatures.setdefault(base[0], set()).add(chr(cp))

need = set()
for t in texts:
    for c in t:
        cat = unicodedata.category(c)
        if cat in ("Cc", "Cf", "Zl", "Zp") or c in "\n\t":
            continue
        if c in forms:
            need |= forms[c]
            need |= ligatures.get(c, set())
        else:
            need.add(c)

charsets = {}
def covers(path, cp):
    if path not in charsets:
        out = subprocess.run(["fc-query", "-f", "%{charset}\n", path], capture_output=True,
                             text=True).stdout.split("\n")[0]
        rs = []
        for r in out.split():
            a, _, b = r.partition("-")
            rs.append((int(a, 16), int(b or a, 16)))
        charsets[path] = rs
    return any(a <= cp <= b for a, b in charsets[path])

missing = []
used = {}
for c in sorted(need):
    cp = ord(c)
    path = subprocess.run(["fc-match", "-f", "%{file}", "%s:charset=%x" % (PRIMARY, cp)],
                          capture_output=True, text=True).stdout.strip()
    if not path or not covers(path, cp) or not any(a in path for a in ALLOWED):
        missing.append("U+%04X %s (%s)" % (cp, unicodedata.name(c, "?"), path or "no font"))
    else:
        used.setdefault(os.path.basename(path), 0)
        used[os.path.basename(path)] += 1
if missing:
    print("FAIL fonts-check: no documented font draws:", file=sys.stderr)
    for m in missing:
        print("  " + m, file=sys.stderr)
    sys.exit(1)
print("ok fonts-check: %d characters; %s" % (len(need), ", ".join(
    "%s %d" % (k, v) for k, v in sorted(used.items()))))
PY

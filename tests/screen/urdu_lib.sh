# urdu_lib.sh - checks on an Urdu screen read back from tmux, shared by
# the screen tests that run the kiosk with --lang ur. Sourced after lib.sh.
#
# urdu_check WHAT asserts that:
# - no joining Arabic letter is left unshaped: each is a presentation form;
# - every Arabic-script word, read back into logical order, is a word of
#   the ur catalog (po/ur.po) or of the Urdu data texts: nothing cut off
#   by an overflow, nothing reversed twice;
# - no English word is left, apart from URDU_ALLOW (key names, NSER/BISP,
#   the centre's configured name, the language names);
# - no isolate or other bidi control reaches the screen.
# ur_words / wait_ur MSGID: the screen shows MSGID's Urdu translation.
# Must never change the screen: it only reads it.

URDU_ALLOW="F1 F2 F3 F4 F5 F6 F7 F8 F9 F10 F12 Esc Enter Tab NSER BISP Test Centre English Roman Urdu"

# urdu_check WHAT [shaped]: the assertions above on the screen as it is
# now; with shaped, all but "no English" (a page whose strings po/ur.po
# does not translate yet).
# (The checks are Python, written to files once: a script on stdin would
# take the place of the screen piped in.)
cat >"$WORK/urdu_check.py" <<'PY'
import os, re, sys, unicodedata
root, allow = sys.argv[1], set(sys.argv[2].split())
# all: every check; shaped: English is let be (strings not yet in po/ur.po)
english = sys.argv[3] != "shaped"
screen = sys.stdin.read()

def arabic(c):
    o = ord(c)
    return 0x0600 <= o <= 0x06FF or 0x0750 <= o <= 0x077F or 0xFB50 <= o <= 0xFDFF \
        or 0xFE70 <= o <= 0xFEFF

def norm(w):
    w = unicodedata.normalize("NFKC", w)
    return "".join(c for c in w if unicodedata.category(c) != "Cf")

SPLIT = re.compile(r"[\s\u060C\u061B\u061F\u06D4:;,.!?()\[\]/\"'«»\-]+")
words = set()
po = open(os.path.join(root, "po/ur.po"), encoding="utf-8").read()
texts = ["".join(re.findall(r'"((?:[^"\\]|\\.)*)"', m.group(1)))
         for m in re.finditer(r'^msgstr(?:\[\d+\])? ((?:".*"\n?)+)', po, re.M)]
for dirpath, _, files in os.walk(os.path.join(root, "data")):
    for f in files:
        if f.endswith((".txt", ".tsv")):
            texts += [l for l in open(os.path.join(dirpath, f), encoding="utf-8")
                      if re.search("[\u0600-\u06ff]", l)]
for t in texts:
    t = t.replace("\\n", " ")
    for w in SPLIT.split(t):
        if w:
            words.add(norm(w))

# Letters that have presentation forms must never be on screen as such.
joining = set()
for cp in list(range(0xFB50, 0xFE00)) + list(range(0xFE70, 0xFF00)):
    m = re.match(r"<(isolated|final|initial|medial)> ([0-9A-F]{4})$", unicodedata.decomposition(chr(cp)))
    if m:
        joining.add(chr(int(m.group(2), 16)))

problems = []
for y, row in enumerate(screen.split("\n")):
    for c in row:
        if c in joining:
            problems.append("row %d: unshaped letter U+%04X" % (y, ord(c)))
        if 0x2066 <= ord(c) <= 0x2069 or 0x202A <= ord(c) <= 0x202E or c in "\u200e\u200f\u061c":
            problems.append("row %d: bidi control U+%04X on screen" % (y, ord(c)))
    for tok in SPLIT.split(row):
        if not tok:
            continue
        if any(arabic(c) for c in tok):
            # Visual order back to logical: clusters (a letter and its
            # marks) reversed.
            clusters = []
            for c in tok:
                if clusters and unicodedata.combining(c):
                    clusters[-1] += c
                else:
                    clusters.append(c)
            logical = norm("".join(reversed(clusters)))
            if logical not in words:
                problems.append("row %d: '%s' (read as '%s') is no word of the ur catalog" % (y, tok, logical))
        elif english and re.search("[A-Za-z]", tok) and tok not in allow and not re.fullmatch(r"[A-Z]?\**[a-z]?\**", tok):
            problems.append("row %d: English left on an Urdu screen: '%s'" % (y, tok))
for p in problems[:20]:
    print(p)
PY
urdu_check() {
    local out
    out=$(tmux -L "$SOCK" capture-pane -p -t k | python3 "$WORK/urdu_check.py" "$ROOT" "$URDU_ALLOW" "${2:-all}") ||
        fail "urdu_check could not run"
    [ -z "$out" ] || fail "$1: $out"
}

# ur_words MSGID: the screen holds every word of MSGID's Urdu translation
# (in the shaped, visual form urdu_check reads back).
cat >"$WORK/ur_words.py" <<'PY'
import re, sys, unicodedata
want, screen = sys.argv[1], sys.stdin.read()
def norm(w):
    return "".join(c for c in unicodedata.normalize("NFKC", w) if unicodedata.category(c) != "Cf")
SPLIT = re.compile(r"[\s\u060C\u061B\u061F\u06D4:;,.!?()\[\]/\"'«»\-]+")
seen = set()
for tok in SPLIT.split(screen):
    cl = []
    for c in tok:
        if cl and unicodedata.combining(c):
            cl[-1] += c
        else:
            cl.append(c)
    seen.add(norm("".join(reversed(cl))))
    seen.add(norm(tok))
missing = [w for w in SPLIT.split(want) if w and not re.fullmatch(r"%\w", w) and norm(w) not in seen]
sys.exit(1 if missing else 0)
PY
ur_words() {
    local t
    t=$(translated ur "$1")
    [ "$t" != "$1" ] || fail "no ur translation of: $1"
    tmux -L "$SOCK" capture-pane -p -t k | python3 "$WORK/ur_words.py" "$t" ||
        fail "screen does not show (in Urdu): $1"
}

# wait_ur MSGID: until ur_words MSGID holds.
wait_ur() {
    local i=0
    while ! (ur_words "$1") 2>/dev/null; do
        i=$((i + 1))
        [ "$i" -lt 100 ] || fail "screen never showed (in Urdu): $1"
        sleep 0.05
    done
}


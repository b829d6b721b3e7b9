#!/usr/bin/env bash
# urdu_lib.sh - helpers for screen tests in Urdu script (--lang ur), sourced
# after lib.sh: the checks every Urdu screen must pass (urdu_check), waiting
# for a catalog text in Urdu (wait_ur), and a survey walked in Urdu with
# number keys (ur_survey), reading the mirrored question rows. Never
# starts or stops a kiosk itself.

# Words an Urdu screen may show in Latin letters: key names, NSER/BISP,
# the centre's configured name, the language names.
ALLOW="F1 F2 F3 F4 F5 F6 F7 F8 F9 F10 F12 Esc Enter Tab PgDn PgUp NSER BISP Test Centre English Roman Urdu"
# Answers the test types in Urdu script (names, places): words that may be
# on screen without being in the catalog.
export UR_TYPED=""

# urdu_check WHAT [overlay]: the assertions above on the screen as it is
# now. With overlay (a dialog drawn over a page), words the dialog's box
# cuts off behind it are let be; every other check still holds, and the
# caller checks the dialog's own words whole with wait_ur.
# (The checks are Python, written to files once: a script on stdin would
# take the place of the screen piped in.)
cat >"$WORK/urdu_check.py" <<'PY'
import os, re, sys, unicodedata
root, allow = sys.argv[1], set(sys.argv[2].split())
typed = os.environ.get("UR_TYPED", "")
overlay = len(sys.argv) > 3 and sys.argv[3] == "overlay"
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
texts.append(typed)  # answers the test typed in Urdu
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
            # A masked name (status answers show "م*** ع**"): the letters
            # shown must begin a word the test typed or the catalog holds.
            masked = "*" in logical and any(w.startswith(logical.strip("*")) for w in words)
            if logical not in words and not overlay and not masked:
                problems.append("row %d: '%s' (read as '%s') is no word of the ur catalog" % (y, tok, logical))
        elif re.search("[A-Za-z]", tok) and tok not in allow and not re.fullmatch(r"[A-Z]?\**[a-z]?\**", tok):
            problems.append("row %d: English left on an Urdu screen: '%s'" % (y, tok))
for p in problems[:20]:
    print(p)
PY
urdu_check() {
    local out
    out=$(tmux -L "$SOCK" capture-pane -p -t k | python3 "$WORK/urdu_check.py" "$ROOT" "$ALLOW" "${2:-all}") ||
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


# ur_screen.py MODE: reads a survey page captured with attributes (tmux -e)
# on stdin. MODE fields: "ID<TAB>VALUE<TAB>MESSAGE<TAB>PROBLEMS" for the
# focused question (ID from data/questionnaire.txt by its Urdu label, read
# back into logical order; VALUE its answer as shown); PROBLEMS says where a
# question row is not mirrored: its label must be the rightmost text of the
# row, ending at the right margin, further right than its answer. MODE
# options: "DIGIT<TAB>WORDS" for each answer button, its big digit at the
# right of its words (WORDS back in logical order).
cat >"$WORK/ur_screen.py" <<'PY'
import os, re, sys, unicodedata
mode, rows_n, cols_n, root = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
raw = sys.stdin.read().split("\n")

def cells(line):
    """The row as (char, bold) cells, SGR sequences read for bold."""
    out, bold, i = [], False, 0
    while i < len(line):
        m = re.match(r"\x1b\[([0-9;:]*)m", line[i:])
        if m:
            ps = m.group(1).split(";") if m.group(1) else ["0"]
            k = 0
            while k < len(ps):
                p = ps[k]
                if p in ("38", "48", "58"):
                    k += 3 if k + 1 < len(ps) and ps[k + 1] == "5" else 5
                    continue
                if p in ("", "0"):
                    bold = False
                elif p == "1":
                    bold = True
                elif p == "22":
                    bold = False
                k += 1
            i += m.end()
            continue
        if line[i] == "\x1b":
            m = re.match(r"\x1b\[[0-9;?]*[A-Za-z]", line[i:])
            i += m.end() if m else 1
            continue
        out.append((line[i], bold))
        i += 1
    return out

screen = [cells(l) for l in raw]
text = ["".join(c for c, _ in r) for r in screen]

def norm(w):
    w = unicodedata.normalize("NFKC", w)
    return "".join(c for c in w if unicodedata.category(c) != "Cf")

def arabic(c):
    o = ord(c)
    return 0x0600 <= o <= 0x06FF or 0xFB50 <= o <= 0xFDFF or 0xFE70 <= o <= 0xFEFF

def words_logical(s):
    """Arabic-script words of visual text S, in logical order."""
    out = []
    for tok in re.split(r"[^\w\u0600-\u06ff\ufb50-\ufdff\ufe70-\ufeff]+", s):
        if not any(arabic(c) for c in tok):
            continue
        cl = []
        for c in tok:
            if cl and unicodedata.combining(c):
                cl[-1] += c
            else:
                cl.append(c)
        out.append(norm("".join(reversed(cl))))
    return list(reversed(out))

def words_of(s):
    return [norm(w) for w in re.split(r"[^\w\u0600-\u06ff]+", s) if w and any(arabic(c) for c in w)]

labels = {}
qid = None
for line in open(os.path.join(root, "data/questionnaire.txt"), encoding="utf-8"):
    if line.startswith("question "):
        qid = line.split()[1]
    elif line.startswith("label |") and qid:
        labels.setdefault(qid, words_of(line.split("|")[3]))

def find_label(ws):
    if not ws:
        return None
    best = [q for q, l in labels.items() if l == ws]
    if not best:  # cut short at the left: its last word may be partial
        best = [q for q, l in labels.items()
                if len(l) >= len(ws) and l[:len(ws) - 1] == ws[:-1] and l[len(ws) - 1].startswith(ws[-1])]
    return best[0] if len(best) == 1 else None

def segments(s):
    return [(m.start(), m.end(), m.group(0)) for m in re.finditer(r"\S+(?: \S+)*", s)]

if mode == "fields":
    problems, focus, value = [], "", ""
    if len(text) > 2 and re.search(r"[0-9]{3}-[0-9]{4}", text[2]):
        for y in range(4, min(len(text), rows_n - 3)):
            if not text[y].strip():
                break
            seg = segments(text[y])
            if seg and seg[-1][2] == "!":
                seg = seg[:-1]
            if not seg:
                continue
            x0, x1, lab = seg[-1]
            q = find_label(words_logical(lab))
            if q is None:
                problems.append("row %d: the rightmost text '%s' is no question's label" % (y, lab))
                continue
            if x1 < cols_n - 4:
                problems.append("row %d: label %s ends at column %d, not at the right" % (y, q, x1 - 1))
            if any(e > x0 for _, e, _ in seg[:-1]):
                problems.append("row %d: answer right of label %s" % (y, q))
            if screen[y][x0][1]:
                focus = q
                value = "  ".join(s for _, _, s in seg[:-1])
    msg = (text[rows_n - 3].strip() + " " + text[rows_n - 2].strip()).strip() if len(text) >= rows_n - 1 else ""
    print("%s\t%s\t%s\t%s" % (focus, value, msg, "; ".join(problems)))
else:
    sys.dont_write_bytecode = True  # no __pycache__ in the tree
    sys.path.insert(0, os.path.join(root, "tests/screen"))
    from bigdigits_read import digits
    w = cols_n + 8
    lines = [l.ljust(w) for l in text]
    for d, y, x, h in digits(lines, rows_n - 3, root):
        ws = []
        for k in range(h):  # the words on the digit's left
            seg = lines[y + k][:x - 1].rstrip().split("   ")[-1].strip()
            if seg:
                ws += words_logical(seg)
        print("%d\t%s" % (d, " ".join(ws)))
PY

ur_cols() { tmux -L "$SOCK" display -p -t k '#{window_width}'; }

# ur_fields: ur_screen.py fields on the screen as it is now.
ur_fields() {
    tmux -L "$SOCK" capture-pane -e -p -t k |
        python3 "$WORK/ur_screen.py" fields "$ROWS_NOW" "$(ur_cols)" "$ROOT"
}

ur_options() {
    tmux -L "$SOCK" capture-pane -p -t k |
        python3 "$WORK/ur_screen.py" options "$ROWS_NOW" "$(ur_cols)" "$ROOT"
}

# ur_after KEYS...: send keys and wait until the screen changed and
# settled (two captures alike).
ur_screen_attrs() { tmux -L "$SOCK" capture-pane -e -p -t k; }
ur_after() {
    local before now again i=0
    before=$(ur_screen_attrs)
    keys "$@"
    while [ "$i" -lt 200 ]; do
        now=$(ur_screen_attrs)
        if [ "$now" != "$before" ]; then
            sleep 0.05
            again=$(ur_screen_attrs)
            [ "$again" != "$now" ] || return 0
        fi
        sleep 0.03
        i=$((i + 1))
    done
    fail "the kiosk did not take the keys $*"
}

# ur_words_of TEXT: TEXT's Arabic-script words, space separated.
ur_words_of() {
    python3 -c 'import re, sys, unicodedata
n = lambda w: "".join(c for c in unicodedata.normalize("NFKC", w) if unicodedata.category(c) != "Cf")
print(" ".join(n(w) for w in re.split(r"[^\w\u0600-\u06ff]+", sys.argv[1]) if w and re.search("[\u0600-\u06ff]", w)))' "$1"
}

# ur_choose_shown TEXT: in a pick list, the digit of the row showing TEXT
# (Urdu script); when it is not on the first page, its letters typed
# first to search for it.
ur_choose_shown() {
    local want n tries=0
    want=$(ur_words_of "$1")
    while :; do
        n=$(ur_options | awk -F'\t' -v t="$want" '$2 == t && n == "" { n = $1 } END { print n }')
        [ -z "$n" ] || break
        tries=$((tries + 1))
        [ "$tries" -lt 3 ] || fail "no answer '$1' in the list"
        # Not on the first page: its Urdu letters typed filter the list.
        type_text "$1"
        sleep 0.3
    done
    ur_after "$n"
}

# ur_give ID VALUE: answers the focused question in Urdu: a choice with
# its number key (options are numbered in questionnaire order), a place
# or an answer in a searchable list by the digit beside its Urdu words,
# anything else typed (numbers must show in their box as typed).
ur_give() {
    local id=$1 v=$2 typed
    case ${Q_TYPE[$id]:?unknown question $id} in
    choice)
        # More answers than digits: a searchable list, picked by its row.
        if (ur_words "Type to search:") 2>/dev/null; then
            ur_choose_shown "${Q_OPTION_URDU[$id/$v]:?question $id has no option $v}"
            return
        fi
        local i=0 o digit=""
        for o in ${Q_OPTIONS[$id]}; do
            i=$((i + 1))
            [ "$o" != "$v" ] || digit=$i
        done
        [ -n "$digit" ] || fail "question $id has no option $v"
        ur_after "$digit"
        ;;
    place) ur_choose_shown "${PLACE_URDU[$v]:?no place $v}" ;;
    *)
        typed=$(typed_form "$id" "$v")
        keys C-u
        type_text "$typed"
        # Numbers read as printed in their box (dates with their dashes).
        local shown=$typed i=0
        case ${Q_TYPE[$id]} in
        date) shown="${typed:0:2}-${typed:2:2}-${typed:4}" ;;
        cnic) shown="${typed:0:5}-${typed:5:7}-${typed:12}" ;;
        esac
        # Numbers exactly as typed; text (Urdu typed) once it shows.
        until { [ "${Q_TYPE[$id]}" = text ] && [ -n "$(ur_fields | cut -f2)" ]; } ||
            [ "$(ur_fields | cut -f2)" = "$shown" ]; do
            i=$((i + 1))
            [ "$i" -lt 100 ] || fail "$id: '$shown' is not in its box as typed: '$(ur_fields | cut -f2)'"
            sleep 0.05
        done
        ur_after Enter
        ;;
    esac
}

# ur_survey CHECK ID=VALUE...: survey (lib.sh) in Urdu: every question the
# kiosk asks is found by its Urdu label and answered or passed; CHECK (a
# function name) runs on every page before its first answer and must hold
# the Urdu checks; each page's rows must be mirrored (ur_screen.py).
ur_survey() {
    local check=$1
    shift
    local -A want=() used=()
    local kv focus value msg problems id n=0 last_title=""
    for kv in "$@"; do want[${kv%%=*}]=${kv#*=}; done
    # Until the first page is drawn.
    while IFS=$'\t' read -r focus value msg problems < <(ur_fields) && [ -z "$focus" ]; do
        n=$((n + 1))
        [ "$n" -lt 100 ] || fail "ur_survey: no survey page"
        sleep 0.05
    done
    n=0
    while :; do
        IFS=$'\t' read -r focus value msg problems < <(ur_fields)
        [ -z "$problems" ] || fail "not mirrored: $problems"
        [ -z "${UR_DEBUG:-}" ] || echo "ur_survey: $focus = $value" >&2
        [ -n "$focus" ] || break
        [ -z "$msg" ] || fail "refused: $msg"
        local title
        title=$(screen_text | head -1)
        if [ "$title" != "$last_title" ]; then
            "$check" "survey page ${Q_LABEL[$focus]}"
            last_title=$title
        fi
        n=$((n + 1))
        [ "$n" -lt 200 ] || fail "ur_survey: going round in circles"
        id=$focus
        if [ -n "${want[$id]+x}" ] && [ -z "${used[$id]:-}" ]; then
            used[$id]=1
            ur_give "$id" "${want[$id]}"
        elif [ "${Q_REQUIRED[$id]}" = 0 ] || [ -n "$value" ]; then
            ur_after Enter
        else
            fail "the kiosk asks ${Q_LABEL[$id]} ($id) and the test has no answer for it"
        fi
    done
    for id in "${!want[@]}"; do
        [ -n "${used[$id]:-}" ] || fail "the kiosk never asked '${Q_LABEL[$id]:-$id}' ($id)"
    done
}

# Places by code: their names in Urdu script (places.tsv's last column).
declare -gA PLACE_URDU=()
while IFS=$'\037' read -r kind code _ _ _ urdu; do
    case $kind in '#'* | '') continue ;; esac
    PLACE_URDU[$code]=$urdu
done < <(tr '\t' '\037' <"$PLACES")

# The options of every choice question, in questionnaire order (their
# number keys), and their texts in Urdu script.
declare -gA Q_OPTIONS=() Q_OPTION_URDU=()
while IFS=$'\037' read -r qid code urdu; do
    Q_OPTIONS[$qid]+="$code "
    Q_OPTION_URDU[$qid/$code]=$urdu
done < <(awk -F' *[|] *' 'BEGIN { OFS = "\037" } /^question / { split($0, w, / +/); id = w[2] }
    /^option / { split($1, w, / +/); print id, w[2], $4 }' "$QUESTIONNAIRE")

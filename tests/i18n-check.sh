#!/usr/bin/env bash
# i18n-check.sh - the message catalogs are complete and well formed.
#
#   tests/i18n-check.sh [PO...]        (default: every po/*.po)
#
# For each catalog:
#   a. every message in the sources (the template regenerated into a temp
#      file with the Makefile's own `pot` command) has an entry in it;
#   b. no entry is untranslated, and none is fuzzy;
#   c. msgfmt --check --check-format accepts it;
#   plus the header names the language and UTF-8, and the one sentence
#   whose wording is prescribed (ur_Latn, ur) is translated as prescribed.
# Then the data files (data/questionnaire.txt, places.tsv, the score table
# and the thresholds): their `languages` line names English and every
# catalog's language, and every text has one text per language.
# Prints the strings at fault, then one last line "i18n: N passed, M failed";
# exits non-zero if M > 0. Needs only the gettext tools and make.
set -euo pipefail

cd "$(dirname "$0")/.."

passed=0
failed=0
pass() {
    passed=$((passed + 1))
    printf 'ok    %s\n' "$1"
}
fail() {
    failed=$((failed + 1))
    printf 'FAIL  %s\n' "$1"
}
finish() {
    printf 'i18n: %d passed, %d failed\n' "$passed" "$failed"
    [ "$failed" -eq 0 ]
}

for tool in xgettext msgmerge msgattrib msgen msgfmt msgcat make; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        fail "tool $tool is missing (install gettext)"
        finish
        exit 1
    fi
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# msgids of the entries of a PO file, one a line, in PO notation (escapes
# kept), the header left out.
msgids() {
    [ -s "$1" ] || return 0
    msgcat --no-wrap --no-location "$1" | awk '
        function flush() { if (inid && id != "") print id; inid = 0; id = "" }
        /^msgid /        { flush(); inid = 1; s = substr($0, 7); id = substr(s, 2, length(s) - 2); next }
        /^"/ && inid     { id = id substr($0, 2, length($0) - 2); next }
        { flush() }
        END { flush() }'
}

# Lists the strings, indented, at most 20.
show() {
    local n
    n=$(printf '%s\n' "$1" | wc -l)
    printf '%s\n' "$1" | head -20 | sed 's/^/        "/; s/$/"/'
    if [ "$n" -gt 20 ]; then
        printf '        ... and %d more\n' $((n - 20))
    fi
}

# The template, from the very command `make pot` runs (writing to a temp file
# instead of po/nser-kiosk.pot, which is left alone).
pot="$tmp/nser-kiosk.pot"
potcmd=$(make --no-print-directory -s -n pot 2>/dev/null || true)
if [[ "$potcmd" == *xgettext* && "$potcmd" == *"-o po/nser-kiosk.pot"* ]]; then
    potcmd=${potcmd//-o po\/nser-kiosk.pot/-o \"\$pot\"}
    if eval "$potcmd" 2>"$tmp/xgettext.err" && [ -s "$pot" ]; then
        pass "template regenerated from the sources ($(msgids "$pot" | wc -l) messages)"
    else
        fail "xgettext failed:"
        sed 's/^/        /' "$tmp/xgettext.err"
        finish
        exit 1
    fi
else
    fail "could not read the xgettext command of the Makefile's pot target"
    finish
    exit 1
fi

if [ $# -eq 0 ]; then
    set -- po/*.po
fi

for po in "$@"; do
    lang=$(basename "$po" .po)
    if [ ! -f "$po" ]; then
        fail "$po does not exist"
        continue
    fi

    # a. Missing: give every entry a msgstr (msgen fills only the empty
    # ones), merge with the template; what is still empty was not in $po.
    # Obsolete (#~) entries do not count as present.
    rm -f "$tmp"/*.po
    msgattrib --no-obsolete -o "$tmp/live.po" "$po"
    msgen -o "$tmp/filled.po" "$tmp/live.po"
    msgmerge --quiet --no-fuzzy-matching -o "$tmp/merged.po" "$tmp/filled.po" "$pot"
    msgattrib --untranslated --no-obsolete -o "$tmp/missing.po" "$tmp/merged.po"
    missing=$(msgids "$tmp/missing.po")
    if [ -z "$missing" ]; then
        pass "$po: every message of the sources has an entry"
    else
        fail "$po: $(printf '%s\n' "$missing" | wc -l) message(s) of the sources missing (make pot && msgmerge --update --no-fuzzy-matching $po po/nser-kiosk.pot):"
        show "$missing"
    fi

    # b. Untranslated or fuzzy entries.
    msgattrib --untranslated --no-obsolete -o "$tmp/untranslated.po" "$po"
    untranslated=$(msgids "$tmp/untranslated.po")
    if [ -z "$untranslated" ]; then
        pass "$po: no untranslated entry"
    else
        fail "$po: $(printf '%s\n' "$untranslated" | wc -l) untranslated entr(y/ies):"
        show "$untranslated"
    fi
    msgattrib --only-fuzzy --no-obsolete -o "$tmp/fuzzy.po" "$po"
    fuzzy=$(msgids "$tmp/fuzzy.po")
    if [ -z "$fuzzy" ] && ! grep -q '^#,.*fuzzy' <(sed -n '1,/^$/p' "$tmp/live.po"); then
        pass "$po: no fuzzy entry"
    else
        fail "$po: fuzzy entr(y/ies) (check the translation, then remove the fuzzy flag):"
        if [ -n "$fuzzy" ]; then show "$fuzzy"; else echo "        (the header)"; fi
    fi

    # c. msgfmt's own checks: format directives, header, domain.
    if msgfmt --check --check-format -o /dev/null "$po" 2>"$tmp/msgfmt.err"; then
        pass "$po: msgfmt --check --check-format"
    else
        fail "$po: msgfmt --check --check-format:"
        sed 's/^/        /' "$tmp/msgfmt.err"
    fi

    # Header: the language code of the file name, UTF-8.
    header=$(msgcat --no-wrap "$po" 2>/dev/null | sed -n '/^msgid ""$/,/^$/p')
    if grep -q "Language: $lang\\\\n" <<<"$header" && grep -q 'charset=UTF-8' <<<"$header"; then
        pass "$po: header says Language: $lang, charset=UTF-8"
    else
        fail "$po: header must say Language: $lang and Content-Type: text/plain; charset=UTF-8"
    fi

    # The prescribed wording (the sentence applicants know from BISP's SMS).
    want=
    case $lang in
    ur_Latn) want='Aap ka survey mukammal nahi.' ;;
    ur) want='آپ کا سروے مکمل نہیں۔' ;;
    esac
    if [ -n "$want" ]; then
        got=$(msgattrib --no-obsolete --no-wrap "$po" |
            awk '/^msgid "Your survey is incomplete\."$/ { f = 1; next }
                 f && /^msgstr / { s = substr($0, 8); print substr(s, 2, length(s) - 2); f = 0 }')
        if [ "$got" = "$want" ]; then
            pass "$po: \"Your survey is incomplete.\" is \"$want\""
        else
            fail "$po: \"Your survey is incomplete.\" must be \"$want\", not \"$got\""
        fi
    fi
done

# The data files: every catalog's language, and every text in each.
want_langs="en"
for po in po/*.po; do
    want_langs="$want_langs $(basename "$po" .po)"
done
for f in data/questionnaire.txt data/scorecard-pk-2009.txt data/thresholds.txt; do
    langs=$(sed -n 's/^languages[[:space:]]\{1,\}//p' "$f" | head -1)
    missing_langs=
    for l in $want_langs; do
        case " $langs " in *" $l "*) ;; *) missing_langs="$missing_langs $l" ;; esac
    done
    if [ -z "$missing_langs" ]; then
        pass "$f: languages $langs"
    else
        fail "$f: the languages line ($langs) lacks:$missing_langs"
    fi
    n=$(wc -w <<<"$langs")
    short=$(awk -v n="$n" '!/^[[:space:]]*#/ && /\|/ {
                k = split($0, t, "|"); bad = k - 1 != n
                for (i = 2; i <= k; i++) { x = t[i]; gsub(/^[ \t]+|[ \t]+$/, "", x); if (x == "") bad = 1 }
                if (bad) print FILENAME ":" FNR ": " $0 }' "$f")
    if [ -z "$short" ]; then
        pass "$f: every text in all $n languages"
    else
        fail "$f: texts without one text per language ($langs):"
        show "$short"
    fi
done
qlangs=$(sed -n 's/^languages[[:space:]]\{1,\}//p' data/questionnaire.txt | head -1)
cols=$((3 + $(wc -w <<<"$qlangs")))
short=$(awk -F'\t' -v c="$cols" '!/^#/ && NF {
            bad = NF != c; for (i = 4; i <= NF; i++) if ($i == "") bad = 1
            if (bad) print FILENAME ":" FNR ": " $0 }' data/places.tsv)
if [ -z "$short" ]; then
    pass "data/places.tsv: every place named in $qlangs"
else
    fail "data/places.tsv: places not named in every language ($qlangs):"
    show "$short"
fi

finish

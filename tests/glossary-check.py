#!/usr/bin/env python3
"""glossary-check.py - every translation uses the glossary's word for a term.

    tests/glossary-check.py

For every row of po/glossary.tsv (en, ur_Latn, ur) and every text whose
English holds the en term (a whole word or phrase, any case): the Roman
Urdu text must hold the ur_Latn term and the Urdu text the ur term (any
of the "/"-separated forms). Texts are the entries of po/ur_Latn.po and
po/ur.po (msgid against msgstr) and the texts of the data files (the
questionnaire's titles, labels, helps, options, headings and messages,
the place names, the score table's and the thresholds' labels), each
language in the column its `languages` line gives it. An exception is a
row of po/glossary-allow.tsv: term, language, the English text (PO
notation for a catalog entry), why.

Prints each miss, then one last line "glossary: N passed, M failed";
exits non-zero if M > 0. Needs python3 and msgcat (gettext). Reads only.
"""
import os
import re
import subprocess
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
LANGS = ("ur_Latn", "ur")
# Command lines inside a text are not prose: "nser-kiosk sync status",
# "--role clerk|supervisor", "Exit status". They stay in English.
CODE = re.compile(r"nser-kiosk(?: [a-z][\w-]*)*|--[\w-]+|\w+(?:\|\w+)+|Exit status")
DATA = ("data/questionnaire.txt", "data/scorecard-pk-2009.txt", "data/thresholds.txt")


def rows(path):
    """The non-comment, non-blank lines of a TSV file, split on tabs."""
    with open(os.path.join(ROOT, path), encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if line.strip() and not line.startswith("#"):
                yield n, line.split("\t")


def catalog(lang):
    """(msgid, msgstr) of every live entry of po/LANG.po, in PO notation."""
    out = subprocess.run(
        ["msgcat", "--no-wrap", "--no-location", os.path.join(ROOT, "po", lang + ".po")],
        capture_output=True, text=True, check=True).stdout
    entries, cur, field = [], None, None
    for line in out.split("\n") + [""]:
        if line.startswith("msgid "):
            cur, field = {"id": line[7:-1], "str": ""}, "id"
        elif line.startswith("msgstr ") and cur is not None:
            cur["str"], field = line[8:-1], "str"
        elif line.startswith('"') and cur is not None:
            cur[field] += line[1:-1]
        elif not line.strip() and cur is not None:
            if cur["id"]:
                entries.append((cur["id"], cur["str"]))
            cur = None
    return entries


def data_texts():
    """(where, {lang: text}) for every text of the data files."""
    texts = []
    for path in DATA:
        langs = None
        with open(os.path.join(ROOT, path), encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                s = line.strip()
                if s.startswith("languages "):
                    langs = s.split()[1:]
                if s.startswith("#") or "|" not in s or not langs:
                    continue
                parts = [p.strip() for p in s.split("|")[1:]]
                if len(parts) == len(langs):
                    texts.append(("%s:%d" % (path, n), dict(zip(langs, parts))))
    qlangs = questionnaire_languages()  # places.tsv has the questionnaire's
    for n, cols in rows("data/places.tsv"):
        names = cols[3:]
        if len(names) == len(qlangs):
            texts.append(("data/places.tsv:%d" % n, dict(zip(qlangs, names))))
    return texts


def questionnaire_languages():
    with open(os.path.join(ROOT, "data/questionnaire.txt"), encoding="utf-8") as f:
        for line in f:
            if line.startswith("languages "):
                return line.split()[1:]
    return []


def main():
    glossary = []
    for n, cols in rows("po/glossary.tsv"):
        if len(cols) != 3 or not all(c.strip() for c in cols):
            print("FAIL  po/glossary.tsv:%d: needs 3 tab-separated columns: en, ur_Latn, ur" % n)
            return 1
        glossary.append((cols[0], {"ur_Latn": cols[1].split("/"), "ur": cols[2].split("/")}))
    allow = set()
    for n, cols in rows("po/glossary-allow.tsv"):
        if len(cols) != 4:
            print("FAIL  po/glossary-allow.tsv:%d: needs 4 columns: term, language, text, why" % n)
            return 1
        allow.add((cols[0], cols[1], cols[2]))

    # (where, English, lang, translation)
    pairs = []
    for lang in LANGS:
        for msgid, msgstr in catalog(lang):
            pairs.append(("po/%s.po" % lang, msgid, lang, msgstr))
    for where, t in data_texts():
        for lang in LANGS:
            if "en" in t and lang in t:
                pairs.append((where, t["en"], lang, t[lang]))

    passed = failed = 0
    used = set()
    for term, want in glossary:
        # A whole word, not part of a name (nser-kiosk, kiosk.pub, ur_Latn)
        # nor an upper-case placeholder (--as SUPERVISOR) of a lower-case term.
        pattern = re.compile(r"(?<![\w/-])" + re.escape(term) + r"(?![\w-]|\.\w)", re.I)
        for where, en, lang, text in pairs:
            prose = CODE.sub(" ", en)
            if not any(term.isupper() or not m.group().isupper() for m in pattern.finditer(prose)):
                continue
            forms = want[lang]
            if any(f.lower() in text.lower() for f in forms):
                passed += 1
            elif (term, lang, en) in allow:
                used.add((term, lang, en))
                passed += 1
            else:
                failed += 1
                print('FAIL  %s: "%s" (%s) must say %s:\n        en: %s\n        %s: %s'
                      % (where, term, lang, " / ".join(forms), en, lang, text))
    for term, lang, en in sorted(allow - used):
        failed += 1
        print('FAIL  po/glossary-allow.tsv: no text needs the exception "%s" (%s): %s'
              % (term, lang, en))
    print("glossary: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

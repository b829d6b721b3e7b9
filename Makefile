# nser-kiosk - build, run, test and benchmark.
#
#   make            build build/nser-kiosk and the message catalogs
#   make run        install missing packages, build, start the kiosk on ./var/
#   make check      install test packages, build with ASan+UBSan, run every test
#   make bench      build optimised, print benchmark figures and ratios
#   make install    PREFIX=/usr/local DESTDIR=
#   make clean
#
# Sources are found by wildcard: a new file in kiosk/, screens/, db/ or
# drivers/ is built without touching this file; a new tests/unit/test_*.c
# becomes a test binary.

PREFIX   ?= /usr/local
DESTDIR  ?=
BINDIR    = $(PREFIX)/bin
LOCALEDIR = $(PREFIX)/share/locale
# udev reads /etc and /lib, never /usr/local: the rules go where it looks.
UDEVDIR  ?= /etc/udev/rules.d
# libfprint's list of supported readers (empty: the installed one, found by nser-kiosk).
FP_HWDB  ?=
# systemd reads units from /lib, not /usr/local: the kiosk's unit goes there.
SYSTEMDDIR ?= /lib/systemd/system
DATADIR   = $(PREFIX)/share/nser-kiosk
VERSION  := $(shell cat VERSION)

CC       ?= cc
PKGS      = ncursesw sqlite3 jansson libusb-1.0 libqrencode libsodium espeak-ng alsa fribidi \
            glib-2.0 libfprint-2
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)

WARN      = -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
            -Wformat=2 -Wno-format-nonliteral
CPPFLAGS += -D_GNU_SOURCE -DNSER_VERSION='"$(VERSION)"' -DNSER_LOCALEDIR='"$(LOCALEDIR)"' -DNSER_DATADIR='"$(DATADIR)"' \
            -I. $(PKG_CFLAGS)
CFLAGS   ?= -O2 -g
CFLAGS   += -std=c11 $(WARN)
LDLIBS   += $(PKG_LIBS) -lm -pthread

SAN_FLAGS = -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
            -fno-sanitize-recover=undefined

LIB_SRC  := $(filter-out kiosk/main.c,$(wildcard kiosk/*.c screens/*.c db/*.c drivers/*.c))
# nser-central (the registry side, PostgreSQL): its own files, plus the pure
# kiosk code it shares (the sync envelope and keys, the score tables).
CENTRAL_SRC := $(wildcard central/*.c)
CENTRAL_KIOSK = kiosk/envelope.c kiosk/keystore.c kiosk/answers.c kiosk/ascii.c kiosk/cnic.c \
            kiosk/expr.c kiosk/scorecard.c kiosk/thresholds.c kiosk/scoring.c kiosk/utf8.c \
            kiosk/i18n.c kiosk/log.c kiosk/status.c kiosk/tracking.c kiosk/damm.c \
             kiosk/atomic_file.c kiosk/datafiles.c kiosk/digits.c kiosk/finger_image.c \
             kiosk/fingerprint.c kiosk/errbuf.c
PQ_CFLAGS := $(shell pkg-config --cflags libpq 2>/dev/null)
PQ_LIBS   := $(shell pkg-config --libs libpq 2>/dev/null)
MAIN_SRC  = kiosk/main.c
TEST_SRC := $(wildcard tests/unit/test_*.c)
BENCH_SRC:= $(wildcard bench/bench_*.c)
FUZZ_SRC := $(wildcard tests/fuzz/fuzz_*.c)
# What the fuzz targets exercise: the parsers of outside input.
FUZZ_LIB  = kiosk/answers.c kiosk/answers_json.c kiosk/ascii.c kiosk/cnic.c kiosk/config.c \
            kiosk/digits.c \
            kiosk/damm.c kiosk/expr.c kiosk/i18n.c kiosk/questionnaire.c kiosk/scorecard.c \
            kiosk/status.c kiosk/thresholds.c kiosk/tracking.c kiosk/utf8.c screens/text.c \
            kiosk/card_profile.c kiosk/scan_payload.c drivers/apdu.c drivers/atr.c \
            drivers/card_app.c drivers/ccid_proto.c drivers/t1.c drivers/tlv.c \
            drivers/hid_keys.c drivers/scan_assembler.c drivers/escpos.c \
            kiosk/envelope.c kiosk/keystore.c kiosk/atomic_file.c kiosk/sync_ack.c kiosk/errbuf.c \
            central/batch_json.c kiosk/finger_image.c kiosk/fingerprint.c kiosk/bio_record.c \
            drivers/fp_stored.c \
            kiosk/wav.c
FUZZ_CC  ?= clang
FUZZ_FLAGS = -g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined \
             -fno-sanitize-recover=undefined
# The survey, the places list, the score table and the thresholds.
DATA_FILES = data/questionnaire.txt data/places.tsv data/scorecard-pk-2009.txt data/thresholds.txt
PO_FILES := $(wildcard po/*.po)
LANGS    := $(basename $(notdir $(PO_FILES)))

# Quiet by default (one line per file); `make V=1` shows full commands.
ifeq ($(V),1)
Q =
else
Q = @
endif

B  = build
BA = build/asan
BB = build/bench
BF = build/fuzz

OBJ       = $(LIB_SRC:%.c=$(B)/obj/%.o)
ASAN_OBJ  = $(LIB_SRC:%.c=$(BA)/obj/%.o)
BENCH_OBJ = $(LIB_SRC:%.c=$(BB)/obj/%.o)
MO        = $(LANGS:%=$(B)/locale/%/LC_MESSAGES/nser-kiosk.mo)
ASAN_MO   = $(LANGS:%=$(BA)/locale/%/LC_MESSAGES/nser-kiosk.mo)
TESTS     = $(TEST_SRC:tests/unit/%.c=$(BA)/tests/%)
BENCHES   = $(BENCH_SRC:bench/%.c=$(BB)/%)
FUZZ_OBJ  = $(FUZZ_LIB:%.c=$(BF)/obj/%.o)
FUZZERS   = $(FUZZ_SRC:tests/fuzz/%.c=$(BF)/%)

.PHONY: all run check test bench fuzz install install-unit uninstall clean deps deps-check deps-bench pot \
        format format-check lint

all: $(B)/nser-kiosk $(B)/nser-central $(MO)

$(B)/obj/%.o: %.c
	@mkdir -p $(@D)
	@echo "  CC      $<"
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -MMD -MP -c $< -o $@

$(BA)/obj/%.o: %.c
	@mkdir -p $(@D)
	@echo "  CC asan $<"
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) $(SAN_FLAGS) -MMD -MP -c $< -o $@

$(BB)/obj/%.o: %.c
	@mkdir -p $(@D)
	@echo "  CC opt  $<"
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -O2 -DNDEBUG -MMD -MP -c $< -o $@

# libFuzzer targets (clang): objects instrumented for coverage, then one
# binary per tests/fuzz/fuzz_*.c. make check runs each for a few seconds.
$(BF)/obj/%.o: %.c
	@mkdir -p $(@D)
	@echo "  CC fuzz $<"
	$(Q)$(FUZZ_CC) $(CPPFLAGS) -std=c11 $(WARN) $(FUZZ_FLAGS) -fsanitize=fuzzer-no-link -MMD -MP -c $< -o $@

$(BF)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_OBJ)
	@mkdir -p $(@D)
	@echo "  LD      $@"
	$(Q)$(FUZZ_CC) $(CPPFLAGS) -std=c11 $(WARN) $(FUZZ_FLAGS) -fsanitize=fuzzer -o $@ $^ $(LDFLAGS) $(LDLIBS)

$(B)/nser-kiosk: $(B)/obj/kiosk/main.o $(OBJ)
	@echo "  LD      $@"
	$(Q)$(CC) $(CFLAGS) -o $@ $^ $(LDFLAGS) $(LDLIBS)

$(BA)/nser-kiosk: $(BA)/obj/kiosk/main.o $(ASAN_OBJ)
	@echo "  LD      $@"
	$(Q)$(CC) $(CFLAGS) $(SAN_FLAGS) -o $@ $^ $(LDFLAGS) $(LDLIBS)

$(BB)/nser-kiosk: $(BB)/obj/kiosk/main.o $(BENCH_OBJ)
	@echo "  LD      $@"
	$(Q)$(CC) $(CFLAGS) -O2 -o $@ $^ $(LDFLAGS) $(LDLIBS)

CENTRAL_OBJ      = $(CENTRAL_SRC:%.c=$(B)/obj/%.o) $(CENTRAL_KIOSK:%.c=$(B)/obj/%.o)
CENTRAL_ASAN_OBJ = $(CENTRAL_SRC:%.c=$(BA)/obj/%.o) $(CENTRAL_KIOSK:%.c=$(BA)/obj/%.o)
CENTRAL_BENCH_OBJ = $(CENTRAL_SRC:%.c=$(BB)/obj/%.o) $(CENTRAL_KIOSK:%.c=$(BB)/obj/%.o)
$(B)/obj/central/%.o $(BA)/obj/central/%.o $(BB)/obj/central/%.o: CPPFLAGS += $(PQ_CFLAGS)

$(B)/nser-central: $(CENTRAL_OBJ)
	@echo "  LD      $@"
	$(Q)$(CC) $(CFLAGS) -o $@ $^ $(LDFLAGS) $(LDLIBS) $(PQ_LIBS)

$(BA)/nser-central: $(CENTRAL_ASAN_OBJ)
	@echo "  LD      $@"
	$(Q)$(CC) $(CFLAGS) $(SAN_FLAGS) -o $@ $^ $(LDFLAGS) $(LDLIBS) $(PQ_LIBS)

$(BB)/nser-central: $(CENTRAL_BENCH_OBJ)
	@echo "  LD      $@"
	$(Q)$(CC) $(CFLAGS) -O2 -o $@ $^ $(LDFLAGS) $(LDLIBS) $(PQ_LIBS)

# Test helpers shared by a unit test and a bench (the synthetic ridge images).
$(BA)/tests/test_fp_driver: $(BA)/obj/tests/fp/ridge.o
$(BB)/bench_fp_verify: $(BB)/obj/tests/fp/ridge.o

$(BA)/tests/%: tests/unit/%.c $(ASAN_OBJ)
	@mkdir -p $(@D)
	@echo "  LD      $@"
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) $(SAN_FLAGS) -o $@ $^ $(LDFLAGS) $(LDLIBS) -lcmocka

# tests/central/mkregs: registrations made through registry_confirm, for the
# end-to-end sync tests (ASan) and the sync bench (optimised).
$(BA)/tests/central/%: tests/central/%.c $(ASAN_OBJ)
	@mkdir -p $(@D)
	@echo "  LD      $@"
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) $(SAN_FLAGS) -o $@ $^ $(LDFLAGS) $(LDLIBS)

$(BB)/tests/central/%: tests/central/%.c $(BENCH_OBJ)
	@mkdir -p $(@D)
	@echo "  LD      $@"
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -O2 -o $@ $^ $(LDFLAGS) $(LDLIBS)

$(BB)/bench_%: bench/bench_%.c $(BENCH_OBJ)
	@mkdir -p $(@D)
	@echo "  LD      $@"
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -O2 -o $@ $^ $(LDFLAGS) $(LDLIBS) -lutil

# Message catalogs: English is the source language; every other language is
# a po/LANG.po compiled here. --check refuses a broken catalog.
$(B)/locale/%/LC_MESSAGES/nser-kiosk.mo: po/%.po
	@mkdir -p $(@D)
	@echo "  MSGFMT  $@"
	$(Q)msgfmt --check -o $@ $<

$(BA)/locale/%/LC_MESSAGES/nser-kiosk.mo: po/%.po
	@mkdir -p $(@D)
	@echo "  MSGFMT  $@"
	$(Q)msgfmt --check -o $@ $<

pot:
	xgettext --from-code=UTF-8 -k_ -kN_ --add-comments=TRANSLATORS -o po/nser-kiosk.pot \
	  --package-name=nser-kiosk --package-version=$(VERSION) \
	  $(sort $(wildcard kiosk/*.c screens/*.c db/*.c drivers/*.c))

deps:
	@scripts/install-deps.sh run

deps-check:
	@scripts/install-deps.sh check

deps-bench:
	@scripts/install-deps.sh bench

# The embedded default: the program itself creates ./var/ with a default
# configuration and an empty database when started without --db/--config.
run: deps
	@$(MAKE) --no-print-directory all
	./$(B)/nser-kiosk

check: deps-check
	@$(MAKE) --no-print-directory $(BA)/nser-kiosk $(BA)/nser-central $(ASAN_MO) $(TESTS) \
	  $(BA)/tests/central/mkregs $(BA)/tests/central/mkprint $(B)/nser-kiosk $(B)/nser-central $(MO) $(FUZZERS)
	@tests/run-all.sh

test: check

bench: deps-bench
	@$(MAKE) --no-print-directory $(BB)/nser-kiosk $(BENCHES) $(MO) \
	  $(if $(CENTRAL_SRC),$(BB)/nser-central $(BB)/tests/central/mkregs)
	@bench/run.sh

# Longer fuzzing by hand: make fuzz FUZZ_SECONDS=600
fuzz: $(FUZZERS)
	@FUZZ_SECONDS=$${FUZZ_SECONDS:-60} tests/run-fuzz.sh

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)
	install -m 0755 $(B)/nser-kiosk $(DESTDIR)$(BINDIR)/nser-kiosk
	install -m 0755 $(B)/nser-central $(DESTDIR)$(BINDIR)/nser-central
	install -m 0644 docs/nser-kiosk.conf.example $(DESTDIR)$(DATADIR)/nser-kiosk.conf.example
	install -m 0644 $(DATA_FILES) $(DESTDIR)$(DATADIR)/
	install -d $(DESTDIR)$(DATADIR)/voice
	install -m 0644 data/voice/README.md $(DESTDIR)$(DATADIR)/voice/README.md
	install -d $(DESTDIR)$(UDEVDIR)
	install -m 0644 data/udev/70-nser-kiosk.rules $(DESTDIR)$(UDEVDIR)/70-nser-kiosk.rules
	# Fingerprint readers: every VID:PID in the hwdb of the libfprint installed here.
	$(B)/nser-kiosk doctor --fingerprint-udev-rules $(FP_HWDB) \
	  >$(DESTDIR)$(UDEVDIR)/71-nser-kiosk-fingerprint.rules
	chmod 0644 $(DESTDIR)$(UDEVDIR)/71-nser-kiosk-fingerprint.rules
	@$(MAKE) --no-print-directory install-unit
	for l in $(LANGS); do \
	  install -d $(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES; \
	  install -m 0644 $(B)/locale/$$l/LC_MESSAGES/nser-kiosk.mo \
	    $(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES/nser-kiosk.mo; \
	done

# The systemd units (docs/deploy.md, docs/urdu.md), with the path of the
# installed binary: the tty kiosk, and the graphical one (cage + xterm)
# with its start script.
install-unit:
	install -d $(DESTDIR)$(SYSTEMDDIR) $(DESTDIR)$(BINDIR)
	sed 's|@BINDIR@|$(BINDIR)|g' data/systemd/nser-kiosk.service \
	  >$(DESTDIR)$(SYSTEMDDIR)/nser-kiosk.service
	chmod 0644 $(DESTDIR)$(SYSTEMDDIR)/nser-kiosk.service
	sed 's|@BINDIR@|$(BINDIR)|g' data/systemd/nser-kiosk-cage.service \
	  >$(DESTDIR)$(SYSTEMDDIR)/nser-kiosk-cage.service
	chmod 0644 $(DESTDIR)$(SYSTEMDDIR)/nser-kiosk-cage.service
	sed 's|@BINDIR@|$(BINDIR)|g' data/nser-kiosk-cage >$(DESTDIR)$(BINDIR)/nser-kiosk-cage
	chmod 0755 $(DESTDIR)$(BINDIR)/nser-kiosk-cage

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/nser-kiosk $(DESTDIR)$(BINDIR)/nser-central \
	  $(DESTDIR)$(DATADIR)/nser-kiosk.conf.example
	rm -f $(addprefix $(DESTDIR)$(DATADIR)/,$(notdir $(DATA_FILES)))
	rm -f $(DESTDIR)$(UDEVDIR)/70-nser-kiosk.rules $(DESTDIR)$(SYSTEMDDIR)/nser-kiosk.service \
	  $(DESTDIR)$(UDEVDIR)/71-nser-kiosk-fingerprint.rules
	rm -f $(DESTDIR)$(SYSTEMDDIR)/nser-kiosk-cage.service $(DESTDIR)$(BINDIR)/nser-kiosk-cage
	for l in $(LANGS); do rm -f $(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES/nser-kiosk.mo; done

format:
	clang-format -i $(wildcard kiosk/*.[ch] screens/*.[ch] db/*.[ch] drivers/*.[ch] central/*.[ch] tests/unit/*.[ch] tests/fuzz/*.[ch] bench/*.[ch])

format-check:
	clang-format --dry-run -Werror $(wildcard kiosk/*.[ch] screens/*.[ch] db/*.[ch] drivers/*.[ch] central/*.[ch] tests/unit/*.[ch] tests/fuzz/*.[ch] bench/*.[ch])

lint:
	cppcheck --quiet --error-exitcode=1 --enable=warning,portability --inline-suppr \
	  --suppress=missingIncludeSystem -I. kiosk screens db drivers $(wildcard central)

clean:
	rm -rf $(B)

# Objects built through pattern rules are kept, not deleted as intermediates.
.SECONDARY:

-include $(shell find $(B) -name '*.d' 2>/dev/null)

# SPDX-License-Identifier: GPL-2.0-or-later
# vmacore: the one Makefile.  `make help` lists the targets.

PREFIX ?= /usr/local
DESTDIR ?=
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
VERSION := 0.1
BUILD ?= build
CC ?= cc
# The crash whose defs.h the extension is built against (one .so per crash).
CRASH_INCLUDE ?= /usr/include/crash
CRASH_EXTDIR ?= $(PREFIX)/lib/crash/extensions

WARN := -Wall -Wextra -Wno-unused-parameter -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Wformat=2 -Wno-format-nonliteral
CFLAGS ?= -O2 -g
CFLAGS += -std=gnu11 $(WARN) -fPIC -fvisibility=hidden -D_GNU_SOURCE
SAN ?=
ifneq ($(SAN),)
CFLAGS += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
LDFLAGS += -fsanitize=address,undefined
endif

LIB_SRCS := $(wildcard lib/*.c)
LIB_OBJS := $(LIB_SRCS:%.c=$(BUILD)/%.o)
REPORT_SRCS := $(wildcard report/*.c)
REPORT_OBJS := $(REPORT_SRCS:%.c=$(BUILD)/%.o)
# Opening a dump (libkdumpfile, libelf, libbpf, libdw): lib/dump/.
DUMP_SRCS := $(wildcard lib/dump/*.c)
DUMP_OBJS := $(DUMP_SRCS:%.c=$(BUILD)/%.o)
CMD_SRCS := $(wildcard cmd/*.c)
CMD_OBJS := $(CMD_SRCS:%.c=$(BUILD)/%.o)
# The dump libraries' link flags (libvmacore.so, the command, test programs).
# lib/dump/diskdump.c: kdump-compressed pages (issue 14)
DISKDUMP_LIBS := -ldeflate -llzo2 -lsnappy -lzstd
CMD_LIBS := -lkdumpfile -laddrxlat -lbpf -ldw -lelf -lz $(DISKDUMP_LIBS)
# libvmacore (docs/design.md, "Library"): lib/, lib/dump/ and report/, in
# libvmacore.so.$(ABI) and libvmacore.a with only the vmacore_* symbols of
# vmacore.h global.  The unit tests, fuzzers and the crash extension use
# internal functions: they link libvmacore-internal.a (lib/ only, nothing
# localized) and the objects of lib/dump and report/ they need.
ABI := 0
SONAME := libvmacore.so.$(ABI)
LIBVMACORE_OBJS := $(LIB_OBJS) $(DUMP_OBJS) $(REPORT_OBJS)
LIBINT := $(BUILD)/libvmacore-internal.a
LD ?= ld
OBJCOPY ?= objcopy
UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)
UNIT_COMMON := $(filter-out $(UNIT_SRCS),$(wildcard tests/unit/*.c))
# The target without main(), for test programs that open dumps.
TARGET_OBJS := $(DUMP_OBJS)
TESTPROGS := $(BUILD)/tests/layouts $(BUILD)/tests/pagereader

.PHONY: all lib cmd ext deps vmcores check check-unit check-vmcore demo \
	install clean help bench fuzz unit testprogs

all: lib cmd

help:
	@echo "make            build libvmacore and the vmacore command"
	@echo "make deps       install the Debian 12 packages the project needs"
	@echo "make vmcores    build (or reuse) the reference dumps"
	@echo "make demo       everything above, then vmacore on a reference dump"
	@echo "make check      everything, then the whole test suite"
	@echo "make bench      time vmacore on every dump: docs/performance.md"
	@echo "make ext        the crash extension (CRASH_INCLUDE=dir of defs.h)"
	@echo "make fuzz       run each fuzzer FUZZ_SECONDS=$(FUZZ_SECONDS) seconds"
	@echo "make check-san  the test suite built with ASan and UBSan"
	@echo "make install    PREFIX=$(PREFIX) DESTDIR=$(DESTDIR)"

lib: $(BUILD)/libvmacore.a $(BUILD)/libvmacore.so $(LIBINT)
cmd: $(BUILD)/vmacore

$(BUILD)/%.o: %.c $(wildcard lib/*.h) $(wildcard lib/dump/*.h) $(wildcard report/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Ilib -Ilib/dump -Ireport -c -o $@ $<

$(LIBINT): $(LIB_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

# The version script exports vmacore_* (and the hidden visibility of
# everything else already keeps it in).
$(BUILD)/$(SONAME): $(LIBVMACORE_OBJS) lib/libvmacore.map
	$(CC) $(LDFLAGS) -shared -Wl,-soname,$(SONAME) \
		-Wl,--version-script=lib/libvmacore.map -Wl,-z,defs \
		-o $@ $(LIBVMACORE_OBJS) $(CMD_LIBS)

$(BUILD)/libvmacore.so: $(BUILD)/$(SONAME)
	ln -sf $(SONAME) $@

# The static library: one relocatable object whose hidden symbols are made
# local, so that a program linking it sees only the vmacore_* ones.
$(BUILD)/libvmacore.o: $(LIBVMACORE_OBJS)
	$(LD) -r -o $@.tmp $^
	$(OBJCOPY) --localize-hidden $@.tmp $@
	rm -f $@.tmp

$(BUILD)/libvmacore.a: $(BUILD)/libvmacore.o
	rm -f $@ && ar rcs $@ $^

# The command is a client of the public API: the static library.
$(BUILD)/vmacore: $(CMD_OBJS) $(BUILD)/libvmacore.a
	$(CC) $(LDFLAGS) -o $@ $(CMD_OBJS) $(BUILD)/libvmacore.a $(CMD_LIBS)

$(BUILD)/tests/%: tests/unit/%.c $(UNIT_COMMON) $(LIBINT) $(wildcard tests/unit/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -fvisibility=default -Ilib -Itests/unit $(LDFLAGS) -o $@ $< $(UNIT_COMMON) $(LIBINT)

unit: $(UNIT_BINS)

testprogs: $(TESTPROGS)

$(BUILD)/tests/layouts: tests/vmcore/layouts.c $(TARGET_OBJS) $(LIBINT) $(wildcard lib/dump/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Ilib -Ilib/dump $(LDFLAGS) -o $@ $< $(TARGET_OBJS) $(LIBINT) $(CMD_LIBS)

# lib/dump/diskdump.c against libkdumpfile (tests/vmcore/test-pagereader).
$(BUILD)/tests/pagereader: tests/vmcore/pagereader.c $(TARGET_OBJS) $(LIBINT) $(wildcard lib/dump/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Ilib -Ilib/dump $(LDFLAGS) -o $@ $< $(TARGET_OBJS) $(LIBINT) $(CMD_LIBS)

-include ext/ext.mk
-include python/python.mk

deps:
	@scripts/install-deps

vmcores: deps
	@vmcores/generate

demo: deps all vmcores
	@BUILD=$(BUILD) scripts/demo

# The whole suite, then the same suite built with ASan and UBSan (issue 5).
# Strict (VMACORE_STRICT=1): only the skips of tests/allowed-skips, and the
# whole dump matrix (tests/run).  sid's crash and drgn are fetched into the
# cache first; without them the suite fails unless VMACORE_OFFLINE=1.
check: deps all unit testprogs fuzz-bins fuzzers vmcores sid-tools
	@VMACORE_STRICT=1 BUILD=$(BUILD) tests/run
	@$(MAKE) --no-print-directory check-san

.PHONY: sid-tools
sid-tools:
	@[ "$(VMACORE_OFFLINE)" = 1 ] || tests/fetch-sid-tools >/dev/null || \
		echo "make: sid's tools could not be fetched: the tests that need them fail"

# Issue 6: time and max RSS over every dump `vmcores/list --all` prints
# (scaling dumps included), into docs/performance.md.  BENCH_RUNS=N runs
# per figure (default 5); BENCH_ARGS for bench/run (--only, --formats,
# --queries, --quick, --fifo: SCHED_FIFO so a busy machine does not inflate
# wall times).  VMACORE_CACHE picks the dumps, as for vmcores/list.
bench: all
	BUILD=$(BUILD) BENCH_RUNS=$(BENCH_RUNS) bench/run $(BENCH_ARGS)

install: all
	install -D -m 0755 $(BUILD)/vmacore $(DESTDIR)$(PREFIX)/bin/vmacore
	install -D -m 0644 docs/vmacore.1 $(DESTDIR)$(PREFIX)/share/man/man1/vmacore.1
	install -D -m 0755 $(BUILD)/$(SONAME) $(DESTDIR)$(LIBDIR)/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(LIBDIR)/libvmacore.so
	install -D -m 0644 $(BUILD)/libvmacore.a $(DESTDIR)$(LIBDIR)/libvmacore.a
	install -D -m 0644 lib/vmacore.h $(DESTDIR)$(INCLUDEDIR)/vmacore.h
	mkdir -p $(DESTDIR)$(LIBDIR)/pkgconfig
	sed -e 's|@PREFIX@|$(PREFIX)|; s|@LIBDIR@|$(LIBDIR)|' \
	    -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|; s|@VERSION@|$(VERSION)|' \
	    -e 's|@LIBS@|$(CMD_LIBS)|' lib/vmacore.pc.in \
		>$(DESTDIR)$(LIBDIR)/pkgconfig/vmacore.pc

clean:
	rm -rf $(BUILD)

# ---------------------------------------------------------------------------
# Hostile dumps (issue 5): fuzzing, sanitizers.  See fuzz/fuzz.h.
#
# $(BUILD)/fuzz/NAME is the harness fuzz/fuzz_NAME.c: with the plain build a
# replay program (fuzz/replay.c: runs each input file once, for the
# regression corpus); in $(FUZZ_BUILD), built by clang with libFuzzer,
# ASan and UBSan, the fuzzer itself.  `make fuzz FUZZ_SECONDS=N` runs each
# fuzzer N seconds (fuzz/run); `make check-san` runs the whole suite built
# with SAN=1 in $(SAN_BUILD).
FUZZ_NAMES := $(patsubst fuzz/fuzz_%.c,%,$(wildcard fuzz/fuzz_*.c))
FUZZ_BUILD ?= $(BUILD)/fuzzer
SAN_BUILD ?= $(BUILD)/san
FUZZ_SECONDS ?= 10
FUZZ_MAIN := $(if $(FUZZ_LIBFUZZER),-fsanitize=fuzzer,fuzz/replay.c)
FUZZ_EXTRA_btf := $(BUILD)/lib/dump/strhash.o $(BUILD)/lib/dump/designator.o -lbpf -lelf -lz
FUZZ_EXTRA_flat := $(BUILD)/lib/dump/flat.o
FUZZ_DISKDUMP := $(BUILD)/lib/dump/diskdump.o $(BUILD)/lib/dump/decoded_cache.o $(BUILD)/lib/dump/log.o
FUZZ_EXTRA_diskdump := $(FUZZ_DISKDUMP) $(DISKDUMP_LIBS)
FUZZ_EXTRA_kallsyms := $(BUILD)/lib/dump/strhash.o $(BUILD)/lib/dump/kdump.o $(BUILD)/lib/dump/flat.o $(FUZZ_DISKDUMP) -lkdumpfile -laddrxlat $(DISKDUMP_LIBS)
# the subcommands of report/ (fuzz/fuzz_report.c)
FUZZ_EXTRA_report := $(REPORT_OBJS) $(LIBINT)
$(BUILD)/fuzz/report: $(REPORT_OBJS)

.PHONY: fuzz fuzzers fuzz-bins check-san

$(BUILD)/fuzz/%: fuzz/fuzz_%.c fuzz/common.c fuzz/fuzz.h fuzz/replay.c $(UNIT_COMMON) \
		$(wildcard tests/unit/*.h) $(LIBINT) $(TARGET_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Wno-missing-prototypes -Ilib -Itests/unit -Ilib/dump -Ireport \
		$(LDFLAGS) -o $@ $< fuzz/common.c $(UNIT_COMMON) $(FUZZ_MAIN) \
		$(LIBINT) $(FUZZ_EXTRA_$*)

fuzz-bins: $(FUZZ_NAMES:%=$(BUILD)/fuzz/%) $(BUILD)/tests/corrupt-info

# Finds what tests/vmcore/test-corruption damages in a dump.
$(BUILD)/tests/corrupt-info: tests/corrupt/corrupt-info.c $(TARGET_OBJS) \
		$(LIBINT) $(wildcard lib/dump/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Ilib -Ilib/dump $(LDFLAGS) -o $@ $< $(TARGET_OBJS) \
		$(LIBINT) $(CMD_LIBS)

# Seed corpus makers (fuzz/make-corpus).
$(BUILD)/fuzz/seed: fuzz/seed.c fuzz/common.c fuzz/fuzz.h $(UNIT_COMMON) \
		$(LIBINT)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Ilib -Itests/unit $(LDFLAGS) -o $@ $< fuzz/common.c \
		$(UNIT_COMMON) $(LIBINT)
$(BUILD)/fuzz/extract: fuzz/extract.c fuzz/fuzz.h $(UNIT_COMMON) $(TARGET_OBJS) \
		$(LIBINT)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Ilib -Itests/unit -Ilib/dump $(LDFLAGS) -o $@ $< $(UNIT_COMMON) \
		$(TARGET_OBJS) $(LIBINT) $(CMD_LIBS)

# clang's libFuzzer (Debian: clang, libclang-rt-14-dev).
fuzzers:
	CFLAGS='-O1 -g -fsanitize=fuzzer-no-link' $(MAKE) --no-print-directory \
		BUILD=$(FUZZ_BUILD) CC=clang SAN=1 FUZZ_LIBFUZZER=1 fuzz-bins

fuzz: fuzzers
	FUZZ_BUILD=$(FUZZ_BUILD) fuzz/run $(FUZZ_SECONDS) $(FUZZ_NAMES)

check-san: deps vmcores sid-tools
	$(MAKE) --no-print-directory BUILD=$(SAN_BUILD) SAN=1 all unit testprogs fuzz-bins
	BUILD=$(SAN_BUILD) FUZZ_SMOKE_SECONDS=0 \
		ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:fast_unwind_on_malloc=0 \
		LSAN_OPTIONS=suppressions=$(CURDIR)/tests/vmcore/lsan.supp:print_suppressions=0 \
		UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 VMACORE_STRICT=1 tests/run

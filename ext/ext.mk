# SPDX-License-Identifier: GPL-2.0-or-later
# ext/ext.mk - the crash extension, included by the top Makefile.
#
#   make ext                         $(BUILD)/vmacore.so for the system crash
#   make ext CRASH_INCLUDE=DIR EXT_OUT=FILE
#                                    one .so per crash: DIR holds its defs.h
#   make install-ext                 where `extend vmacore.so` finds it
#
# An extension must be built against the defs.h of the crash that loads
# it.  Its objects go to a directory named after EXT_OUT, so several
# builds (one per crash) can live side by side.  libvmacore and the report
# objects are linked in statically, and a version script keeps every
# symbol of the .so local, so two loaded copies cannot bind to each other.

EXT_OUT ?= $(BUILD)/vmacore.so
EXT_OBJDIR := $(basename $(EXT_OUT)).objs
EXT_SRCS := $(wildcard ext/*.c)
EXT_OBJS := $(EXT_SRCS:ext/%.c=$(EXT_OBJDIR)/%.o)
# defs.h selects a few declarations by gdb version; crash 9 uses gdb 16.
EXT_GDB := $(shell grep -q GDB_16_3 $(CRASH_INCLUDE)/defs.h 2>/dev/null && \
	echo -DGDB_16_3 || echo -DGDB_10_2)
# -isystem: crash's header is not held to our warning flags.
EXT_CFLAGS := -DX86_64 $(EXT_GDB) -isystem $(CRASH_INCLUDE) -Ilib -Ireport

# crash looks in $CRASH_EXTENSIONS, /usr/lib64/crash/extensions,
# /usr/lib/crash/extensions and ./extensions (extensions.c,
# in_extensions_library()).  The top Makefile's default, $(PREFIX)/lib/...,
# is only searched for PREFIX=/usr; for /usr/local use crash's directory.
ifeq ($(origin CRASH_EXTDIR),file)
ifneq ($(filter /usr /usr/local,$(PREFIX)),)
CRASH_EXTDIR := /usr/lib/crash/extensions
endif
endif

.PHONY: ext install-ext

ext: $(EXT_OUT)

$(EXT_OBJDIR)/%.o: ext/%.c $(wildcard ext/*.h) $(wildcard lib/*.h) \
		$(wildcard report/*.h) $(CRASH_INCLUDE)/defs.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(EXT_CFLAGS) -c -o $@ $<

$(EXT_OBJDIR)/ext.map:
	@mkdir -p $(dir $@)
	printf '{ local: *; };\n' >$@

$(EXT_OUT): $(EXT_OBJS) $(REPORT_OBJS) $(LIBINT) $(EXT_OBJDIR)/ext.map
	$(CC) $(LDFLAGS) -shared -Wl,--version-script=$(EXT_OBJDIR)/ext.map \
		-o $@ $(EXT_OBJS) $(REPORT_OBJS) $(LIBINT)

$(CRASH_INCLUDE)/defs.h:
	@echo "ext: no $@ (install crash, or set CRASH_INCLUDE)" >&2; exit 1

install-ext: $(EXT_OUT)
	install -D -m 0644 $(EXT_OUT) $(DESTDIR)$(CRASH_EXTDIR)/vmacore.so

# make install includes the extension when crash's defs.h is there.
ifneq ($(wildcard $(CRASH_INCLUDE)/defs.h),)
install: install-ext
endif

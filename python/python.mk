# SPDX-License-Identifier: GPL-2.0-or-later
# python/python.mk - the vmacore Python package (python/vmacore), included
# by the top Makefile.  Pure Python over libvmacore.so.0 (ctypes): nothing
# to build; installed where Debian's python3 (any version) looks.
PY_PKG_SRCS := $(wildcard python/vmacore/*.py)
PY_PKG_DIR ?= $(PREFIX)/lib/python3/dist-packages
# drgn finds the plugin (vmacore.drgn_commands) through this entry point.
PY_DIST_INFO := vmacore-0.1.dist-info
PYTHON3 ?= $(firstword $(wildcard /usr/bin/python3) python3)

.PHONY: install-python
install: install-python
install-python:
	install -d $(DESTDIR)$(PY_PKG_DIR)/vmacore $(DESTDIR)$(PY_PKG_DIR)/$(PY_DIST_INFO)
	install -m 0644 $(PY_PKG_SRCS) $(DESTDIR)$(PY_PKG_DIR)/vmacore/
	printf 'Metadata-Version: 2.1\nName: vmacore\nVersion: 0.1\n' \
		>$(DESTDIR)$(PY_PKG_DIR)/$(PY_DIST_INFO)/METADATA
	printf '[drgn.plugins]\nvmacore = vmacore.drgn_commands\n' \
		>$(DESTDIR)$(PY_PKG_DIR)/$(PY_DIST_INFO)/entry_points.txt
	# byte-compiled as Debian's py3compile does, so that an import does
	# not compile the package again where users cannot write
	$(PYTHON3) -m compileall -q -s '$(DESTDIR)' -p / \
		$(DESTDIR)$(PY_PKG_DIR)/vmacore

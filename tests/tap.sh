# SPDX-License-Identifier: GPL-2.0-or-later
# tests/tap.sh - TAP helpers for shell tests: source it, then use
# ok/not_ok/skip and finish with done_testing.
_tap_n=0
_tap_fail=0
ok() { _tap_n=$((_tap_n + 1)); echo "ok $_tap_n - $*"; }
not_ok() { _tap_n=$((_tap_n + 1)); _tap_fail=1; echo "not ok $_tap_n - $*"; }
skip() { _tap_n=$((_tap_n + 1)); echo "ok $_tap_n # SKIP $*"; }
check() { local what=$1; shift; if "$@"; then ok "$what"; else not_ok "$what"; fi; }
done_testing() { echo "1..$_tap_n"; exit $_tap_fail; }

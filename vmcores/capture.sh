#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# vmcores/capture.sh - /init of the kdump capture kernel (busybox sh).
#
# The first kernel loaded us with "kexec -p" and panicked; /proc/vmcore is
# its memory.  Write it as is to /dev/vda and through makedumpfile (-F,
# flattened, to stdout) to one virtio disk each, as /outputs says:
#   DEV TOOL OPTIONS...    (TOOL: m8 sid's makedumpfile, m2 Debian 12's)
# Console (ttyS0, read by vmcores/generate after QEMU exits):
#   VMACORE-VMCORE-SIZE bytes       length of /proc/vmcore (dd says none)
#   VMACORE-MSG DEV: line           what makedumpfile printed
#   VMACORE-OUT DEV status          one per output
#   VMACORE-CAPTURE-DONE | VMACORE-FAIL reason
# then power off (QEMU runs with -no-reboot and exits).

export PATH=/bin
/bin/busybox mkdir -p /proc /sys /dev /tmp
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
dmesg -n 1

fail() {
	echo "VMACORE-FAIL capture: $*"
	poweroff -f
	sleep 1000
}

echo "VMACORE-CAPTURE-START (uptime $(cut -d' ' -f1 /proc/uptime))"
[ -r /proc/vmcore ] || fail "no /proc/vmcore"
# virtio modules in load order (the built-in ones are not listed)
while read -r m; do
	insmod "/lib/$m" || fail "insmod $m"
done < /modules
last=$(tail -n 1 /outputs | cut -d' ' -f1)
i=0
while [ ! -b "/dev/$last" ]; do
	i=$((i + 1))
	[ $i -gt 100 ] && fail "no /dev/$last after 10 s"
	sleep 0.1
done

size=$(stat -c %s /proc/vmcore)
echo "VMACORE-VMCORE-SIZE $size"
dd if=/proc/vmcore of=/dev/vda bs=1M 2>/dev/null
echo "VMACORE-OUT vda $?"

while read -r dev tool opts; do
	[ "$dev" = vda ] && continue
	# shellcheck disable=SC2086
	/$tool/ld.so --library-path /$tool /$tool/makedumpfile -F $opts \
		/proc/vmcore > /dev/$dev 2> /tmp/msg
	rc=$?
	tr '\r' '\n' < /tmp/msg | grep -v '^ *$' | grep -v '\[ *[0-9.]* %\]' |
		sed "s|^|VMACORE-MSG $dev: |"
	echo "VMACORE-OUT $dev $rc"
done < /outputs
sync
echo "VMACORE-CAPTURE-DONE (uptime $(cut -d' ' -f1 /proc/uptime))"
poweroff -f

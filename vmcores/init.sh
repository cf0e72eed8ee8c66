#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# vmcores/init.sh - /init of the reference-dump guest (busybox sh).
#
# Console (ttyS0): progress and failures ("VMACORE-FAIL step").
# Bulk port (ttyS1, raw): files as
#   VMACORE-BEGIN name size md5 / base64 lines / VMACORE-END name
# then VMACORE-READY; the host dumps the guest, resumes it and writes
# "cores" to ttyS1; the guest sends the core files and VMACORE-DONE.
# Kernel command line: VMAS=N (VMAs of the "many" process), KEXEC=1 (a
# kdump run: /kx holds kexec, the capture kernel and its initramfs).

export PATH=/bin:/sbin:/usr/bin:/usr/sbin
/bin/busybox mkdir -p /proc /sys /dev /tmp /sbin /usr/bin /usr/sbin
/bin/busybox --install -s
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mount -t tmpfs tmpfs /tmp
dmesg -n 1
BULK=/dev/ttyS1

fail() {
	echo "VMACORE-FAIL $*"
	echo "VMACORE-FAIL $*" > $BULK
	poweroff -f
	sleep 1000
}

# send NAME FILE
send() {
	echo "VMACORE-BEGIN $1 $(wc -c < "$2") $(md5sum < "$2" | cut -d' ' -f1)" > $BULK
	base64 < "$2" > $BULK
	echo "VMACORE-END $1" > $BULK
}

step() {
	echo "VMACORE-STEP $* (uptime $(cut -d' ' -f1 /proc/uptime))"
}

stty -F $BULK raw -echo || fail stty
step insmod
insmod /lib/qemu_fw_cfg.ko || fail "insmod qemu_fw_cfg"
[ -e /sys/firmware/qemu_fw_cfg ] || fail "no /sys/firmware/qemu_fw_cfg"

# kdump run (KEXEC=1 on the command line, vmcores/generate make_kexec_dump):
# load the capture kernel before the workload starts, so kexec is gone from
# the truth; the host later says "panic" instead of "cores".
if [ -n "${KEXEC:-}" ]; then
	step kexec-load
	/kx/ld.so --library-path /kx /kx/kexec -p /kx/vmlinuz \
		--initrd=/kx/capture.gz --append="$(cat /kx/append)" ||
		fail "kexec -p"
	[ "$(cat /sys/kernel/kexec_crash_loaded)" = 1 ] ||
		fail "kexec -p: kexec_crash_loaded is not 1"
	rm -f /kx/vmlinuz /kx/capture.gz
fi

step sysctl
THP=/sys/kernel/mm/transparent_hugepage
echo madvise > $THP/enabled || fail "thp enabled"
echo 3600000 > $THP/khugepaged/scan_sleep_millisecs
echo 3600000 > $THP/khugepaged/alloc_sleep_millisecs
echo 0 > /proc/sys/vm/compaction_proactiveness
echo 0 > /proc/sys/kernel/numa_balancing 2>/dev/null
# DAMON_STAT (7.x) ages pages in the background: its kdamond clears PTE
# young bits and sets PG_young/PG_idle after the truth is read
echo N > /sys/module/damon_stat/parameters/enabled 2>/dev/null
echo "/tmp/cores/core.%p" > /proc/sys/kernel/core_pattern
mkdir -p /tmp/cores /tmp/truth
VMAS=${VMAS:-20000}
export VMAS
echo $((VMAS + 65530)) > /proc/sys/vm/max_map_count

step setup
/workload setup /tmp/truth || fail "workload setup"
step collect
# a copy: the collector must not map the workload's own page-cache pages
# (their mapcounts, refcounts and PG_referenced are in the truth)
cp /workload /tmp/collector || fail "copy collector"
/tmp/collector collect /tmp/truth || fail "workload collect"

T=/tmp/truth/meta
{
	echo "release=$(uname -r)"
	echo "version=$(uname -v)"
	echo "cmdline=$(cat /proc/cmdline)"
	for f in pages_shared pages_sharing pages_unshared pages_volatile full_scans; do
		echo "ksm_$f=$(cat /sys/kernel/mm/ksm/$f)"
	done
	echo "thp_enabled=$(cat $THP/enabled)"
	echo "thp_defrag=$(cat $THP/defrag)"
	echo "nr_hugepages=$(cat /proc/sys/vm/nr_hugepages)"
	echo "free_hugepages=$(cat /sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages)"
	echo "max_map_count=$(cat /proc/sys/vm/max_map_count)"
	echo "vmas=$VMAS"
	echo "page_size=$(getconf PAGESIZE 2>/dev/null || echo 4096)"
	echo "anon_huge_kb=$(grep AnonHugePages /proc/meminfo | tr -s ' ' | cut -d' ' -f2)"
	echo "mem_total_kb=$(grep MemTotal /proc/meminfo | tr -s ' ' | cut -d' ' -f2)"
	echo "core_pattern=$(cat /proc/sys/kernel/core_pattern)"
	# what the workload could build (anon names, heap/stack edges)
	cat /tmp/truth/meta.workload 2>/dev/null
	echo "collector=/tmp/collector"
	echo "damon_stat=$(cat /sys/module/damon_stat/parameters/enabled 2>/dev/null || echo none)"
} > $T
rm -f /tmp/truth/meta.workload
grep -wE 'init_task|init_mm|_stext|_text|page_offset_base|vmemmap_base' \
	/proc/kallsyms > /tmp/truth/kallsyms
ps -o pid,ppid,comm,args > /tmp/truth/ps.txt 2>/dev/null || ps > /tmp/truth/ps.txt
/tmp/collector tasks /tmp/truth/tasks.tsv || fail "workload tasks"

step send-truth
tar -C /tmp -cf - truth | gzip -1 > /tmp/truth.tar.gz || fail "tar truth"
send truth.tar.gz /tmp/truth.tar.gz
rm -f /tmp/truth.tar.gz
sync
echo "VMACORE-READY" > $BULK
echo "VMACORE-READY"

# Wait for the host: it dumps the stopped guest, resumes it, says "cores";
# or, in a kdump run, says "panic": the capture kernel takes over.
while read -r cmd < $BULK; do
	[ "$cmd" = cores ] && break
	if [ "$cmd" = panic ]; then
		step panic
		echo c > /proc/sysrq-trigger
		fail "still alive after sysrq-trigger c"
	fi
done
step cores
if [ "$VMAS" -le 100000 ]; then
	PIDS=$(cut -f1 /tmp/truth/procs.tsv)
else
	PIDS=$(grep -v '	many$' /tmp/truth/procs.tsv | cut -f1)
fi
/workload cores /tmp/cores $PIDS || fail "workload cores"
for p in $PIDS; do
	[ -s /tmp/cores/core.$p ] || fail "no core file for $p"
	/workload sparse /tmp/cores/core.$p | gzip -1 > /tmp/core.gz || fail "pack core $p"
	rm -f /tmp/cores/core.$p
	send core.$p.sparse.gz /tmp/core.gz
done
echo "VMACORE-DONE" > $BULK
echo "VMACORE-DONE"
poweroff -f

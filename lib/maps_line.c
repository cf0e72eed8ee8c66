// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * maps_line.c - the /proc/PID/maps line of a VMA, as show_map_vma()
 * (fs/proc/task_mmu.c) prints it: one implementation for every front end
 * (report/, the Python package).  The fields come from
 * vmacore_vma_maps_line() (vma.c).
 */
#include <stdio.h>
#include <string.h>

#include "internal.h"

/* 25 + sizeof(void *) * 6 - 1: show_vma_header_prefix()'s seq_setwidth() */
#define MAPS_NAME_COLUMN 72

/* "00".."ff": two digits a step (put_hex() was 11% of maps --all, issue 14) */
static const char hex_pairs[512] =
#define P(x) #x "0" #x "1" #x "2" #x "3" #x "4" #x "5" #x "6" #x "7" \
	     #x "8" #x "9" #x "a" #x "b" #x "c" #x "d" #x "e" #x "f"
	P(0) P(1) P(2) P(3) P(4) P(5) P(6) P(7)
	P(8) P(9) P(a) P(b) P(c) P(d) P(e) P(f);
#undef P

/*
 * Lower-case hex of @v, at least @width digits: snprintf()'s "%0*" PRIx64
 * without its parsing, which was 15% of a whole-dump walk (issue 6).
 */
static char *put_hex(char *p, uint64_t v, int width)
{
	int n = v ? (67 - __builtin_clzll(v)) / 4 : 1;
	char *end;

	if (n < width) {	/* width is 8 or 2, tmp has room */
		memcpy(p, "00000000", 8);
		p += width - n;
	}
	end = p + n;
	for (p = end; n >= 2; n -= 2, v >>= 8) {
		p -= 2;
		memcpy(p, &hex_pairs[(v & 0xff) * 2], 2);
	}
	if (n)
		*--p = "0123456789abcdef"[v & 0xf];
	return end;
}

static char *put_dec(char *p, uint64_t v)
{
	char tmp[20];
	int n = 0;

	do {
		tmp[n++] = '0' + v % 10;
		v /= 10;
	} while (v);
	while (n)
		*p++ = tmp[--n];
	return p;
}

size_t vmacore_maps_line_format(const struct vmacore_vma *vma,
				const struct vmacore_maps_line *ml,
				char *buf, size_t size)
{
	/* 3 * 16 hex digits, 2 * 8 device digits, 20 inode digits, 11
	 * separators: the widest prefix is 95 bytes */
	char tmp[128], *p = tmp;
	size_t n, len, name_len;

	/* show_vma_header_prefix(), fs/proc/task_mmu.c: "%08lx-%08lx
	 * %c%c%c%c %08llx %02x:%02x %lu " (formatted by hand, issue 6) */
	p = put_hex(p, vma->vm_start, 8);
	*p++ = '-';
	p = put_hex(p, vma->vm_end, 8);
	*p++ = ' ';
	memcpy(p, ml->perms, 4);
	p += 4;
	*p++ = ' ';
	p = put_hex(p, ml->pgoff, 8);
	*p++ = ' ';
	p = put_hex(p, ml->dev_major, 2);
	*p++ = ':';
	p = put_hex(p, ml->dev_minor, 2);
	*p++ = ' ';
	p = put_dec(p, ml->ino);
	*p++ = ' ';
	n = p - tmp;
	name_len = strnlen(ml->name, sizeof(ml->name));
	len = n;
	if (name_len)	/* seq_pad(m, ' ') then ' ' and the name */
		len = (n < MAPS_NAME_COLUMN ? MAPS_NAME_COLUMN : n) + 1 +
		      name_len;
	if (!size)
		return len;
	if (n >= size) {
		/* what snprintf() would have left */
		memcpy(buf, tmp, size - 1);
		buf[size - 1] = '\0';
		return len;
	}
	memcpy(buf, tmp, n);
	buf[n] = '\0';
	if (!name_len)
		return len;
	while (n < MAPS_NAME_COLUMN && n + 1 < size)
		buf[n++] = ' ';
	snprintf(buf + n, size - n, " %.*s", (int)name_len, ml->name);
	return len;
}

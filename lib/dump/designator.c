// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * designator.c - split a member designator ("shared.rb", "pivot[3]") into
 * its components, for both type backends.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dump.h"

bool designator_next(const char **desig, char *buf, size_t size,
		     long *index_ret, bool *bad_ret)
{
	const char *p = *desig;
	size_t n = 0;

	*bad_ret = false;
	*index_ret = -1;
	if (!*p)
		return false;
	while (*p && *p != '.' && *p != '[') {
		if (n + 1 >= size || !(isalnum((unsigned char)*p) || *p == '_'))
			goto bad;
		buf[n++] = *p++;
	}
	if (!n)
		goto bad;
	buf[n] = '\0';
	if (*p == '[') {
		char *end;

		errno = 0;
		*index_ret = strtol(p + 1, &end, 0);
		if (end == p + 1 || *end != ']' || *index_ret < 0 ||
		    *index_ret > (1L << 30))
			goto bad;
		p = end + 1;
	}
	if (*p == '.') {
		p++;
		if (!*p)
			goto bad;
	} else if (*p) {
		goto bad;
	}
	*desig = p;
	return true;
bad:
	*bad_ret = true;
	return false;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * crash_ext.h - the crash extension's internal interface (ext/ only).
 * Include after crash's defs.h.
 */
#ifndef VMACORE_CRASH_EXT_H
#define VMACORE_CRASH_EXT_H

#include "vmacore.h"

/* crash_target.c: libvmacore's target on crash's services; priv unused. */
extern const struct vmacore_target_ops crash_target_ops;
/* An error if crash's symbol addresses disagree with the dump's. */
struct vmacore_error *crash_target_check(void);
/* The session's context, for the target's own page-table walks. */
void crash_target_set_ctx(struct vmacore_ctx *ctx);
/* Forget cached dump pages when they may change (live systems). */
void crash_target_reset(void);
/* Release what the target cached (the vmlinux symbol table mapping). */
void crash_target_cleanup(void);

#endif /* VMACORE_CRASH_EXT_H */

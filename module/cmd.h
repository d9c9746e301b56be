/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mmlab layer 3, the commands: one handler per verb (include/mmlab_lists.h
 * names them), each formatting its own reply from the core's helpers.
 *
 *   inspect.c  inspect          migrate.c  migrate        rmap.c  rmap
 *   charge.c   move_charge      pin.c      pin, unpin, lock, unlock,
 *   scan.c     scan                        isolate, putback
 *   copy.c     copy             admin.c    selftest, reset
 *   stress.c   stress (runs migrate, rmap or move_charge over and over)
 *   split.c    split (a large folio, to an order)
 *   fault.c    inject, uninject (fault and delay injection: inject.c)
 */
#ifndef MMLAB_CMD_LAYER_H
#define MMLAB_CMD_LAYER_H

#include "base.h"

/* ---- commands ------------------------------------------------------------ */
int mmlab_cmd_selftest(struct mmlab_ctx *ctx);
int mmlab_cmd_inspect(struct mmlab_ctx *ctx);
int mmlab_cmd_migrate(struct mmlab_ctx *ctx);
int mmlab_cmd_rmap(struct mmlab_ctx *ctx);
int mmlab_cmd_move_charge(struct mmlab_ctx *ctx);
int mmlab_cmd_pin(struct mmlab_ctx *ctx);
int mmlab_cmd_unpin(struct mmlab_ctx *ctx);
int mmlab_cmd_scan(struct mmlab_ctx *ctx);
int mmlab_cmd_copy(struct mmlab_ctx *ctx);
int mmlab_cmd_stress(struct mmlab_ctx *ctx);
int mmlab_cmd_split(struct mmlab_ctx *ctx);
int mmlab_cmd_reset(struct mmlab_ctx *ctx);
int mmlab_cmd_inject(struct mmlab_ctx *ctx);
int mmlab_cmd_uninject(struct mmlab_ctx *ctx);

/* ---- migrate's reason= (migrate.c), for stress too ------------------------ */
int mmlab_migrate_check_reason(struct mmlab_ctx *ctx, int reason);
const char *mmlab_migrate_reason_name(int reason);

/* ---- pins (pin.c) --------------------------------------------------------- */
void mmlab_pins_release(struct mmlab_fd *fd);

/* ---- migrate trace=1 (migtrace.c) ------------------------------------------ */
struct mmlab_timeline;
enum mmlab_tl_what;
struct mmlab_timeline *mmlab_migtrace_begin(struct mmlab_ctx *ctx);	/* NULL: not asked */
void mmlab_migtrace_list(struct mmlab_timeline *tl, struct list_head *list,
			 enum mmlab_tl_what what);
void mmlab_migtrace_end(struct mmlab_ctx *ctx, struct mmlab_timeline *tl, bool reply);
void mmlab_injections_release(struct mmlab_fd *fd);	/* fault.c */

#endif /* MMLAB_CMD_LAYER_H */

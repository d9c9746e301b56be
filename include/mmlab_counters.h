/* SPDX-License-Identifier: GPL-2.0 */
/* mmlab counter ids, from the one list in mmlab_lists.h. */
#ifndef MMLAB_COUNTERS_H
#define MMLAB_COUNTERS_H

enum mmlab_counter {
#define MMLAB_COUNTER(name, ...) MMLAB_CTR_##name,
#include "mmlab_lists.h"
	MMLAB_NR_COUNTERS
};

#endif /* MMLAB_COUNTERS_H */

// SPDX-License-Identifier: GPL-2.0
/*
 * mmlab counters: per-CPU, incremented lock-free by mmlab_count(), summed
 * on read.  The stats file (stats.c) prints them; the reset command and a
 * "0" written to stats clear them.
 */
#include <linux/percpu.h>
#include <linux/string.h>
#include "base.h"

DEFINE_PER_CPU(struct mmlab_counters, mmlab_pcpu);

u64 mmlab_counter_read(enum mmlab_counter id)
{
	u64 sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += per_cpu(mmlab_pcpu, cpu).v[id];
	return sum;
}

/* Increments racing with a reset on another CPU may survive it: fine. */
void mmlab_counters_reset(void)
{
	int cpu;

	for_each_possible_cpu(cpu)
		memset(per_cpu_ptr(&mmlab_pcpu, cpu), 0, sizeof(struct mmlab_counters));
}

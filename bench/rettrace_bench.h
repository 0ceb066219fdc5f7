/* SPDX-License-Identifier: GPL-2.0 */
#ifndef RETTRACE_BENCH_H
#define RETTRACE_BENCH_H

/* The function `make bench` probes: adds x to a per-CPU sum, returns 0. */
int rettrace_bench_target(int x);

#endif /* RETTRACE_BENCH_H */

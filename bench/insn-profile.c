// SPDX-License-Identifier: GPL-2.0
/*
 * insn-profile: a QEMU TCG plugin for bench/profile.sh (host side, not a
 * kernel module). Counts how often each translation block runs and, when
 * QEMU exits, writes one line per block that ran in the upper (kernel) half
 * of the address space to the file named by its out= argument:
 *
 *   VADDR INSNS EXECUTIONS      (16 hex digits, decimal, decimal)
 *
 * Built against the plugin API of QEMU 7.2 (version 1), declared in
 * insn-profile.h so that no QEMU headers are needed.
 */

#include <inttypes.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "insn-profile.h"

__attribute__((visibility("default"))) int qemu_plugin_version = 1;

struct block {
	uint64_t count;
	uint64_t vaddr;
	size_t insns;
	struct block *next;
};

static struct block *blocks;
static pthread_mutex_t blocks_lock = PTHREAD_MUTEX_INITIALIZER;
static char *out_path;

static void on_translate(uint64_t id, struct qemu_plugin_tb *tb)
{
	uint64_t vaddr = qemu_plugin_tb_vaddr(tb);
	struct block *b;

	if (vaddr < 0xffff800000000000ULL)
		return;
	b = calloc(1, sizeof(*b));
	if (!b)
		abort();
	b->vaddr = vaddr;
	b->insns = qemu_plugin_tb_n_insns(tb);
	pthread_mutex_lock(&blocks_lock);
	b->next = blocks;
	blocks = b;
	pthread_mutex_unlock(&blocks_lock);
	qemu_plugin_register_vcpu_tb_exec_inline(tb, QEMU_PLUGIN_INLINE_ADD_U64,
						 &b->count, 1);
}

static void write_profile(uint64_t id, void *userdata)
{
	FILE *f = fopen(out_path, "w");
	struct block *b;

	if (!f)
		return;
	for (b = blocks; b; b = b->next)
		if (b->count)
			fprintf(f, "%016" PRIx64 " %zu %" PRIu64 "\n", b->vaddr,
				b->insns, b->count);
	fclose(f);
}

__attribute__((visibility("default")))
int qemu_plugin_install(uint64_t id, const struct qemu_info_t *info,
			int argc, char **argv)
{
	int i;

	for (i = 0; i < argc; i++)
		if (!strncmp(argv[i], "out=", 4))
			out_path = strdup(argv[i] + 4);
	if (!out_path) {
		fprintf(stderr, "insn-profile: needs out=PATH\n");
		return -1;
	}
	qemu_plugin_register_vcpu_tb_trans_cb(id, on_translate);
	qemu_plugin_register_atexit_cb(id, write_profile, NULL);
	return 0;
}

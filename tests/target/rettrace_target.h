/* SPDX-License-Identifier: GPL-2.0 */
/* The functions of rettrace_target_main.c that the tests probe. */
#ifndef RETTRACE_TARGET_H
#define RETTRACE_TARGET_H

#include <linux/types.h>

int rettrace_target_zero(void);
int rettrace_target_positive(void);
int rettrace_target_enoent(void);
int rettrace_target_enotsupp(void);
long rettrace_target_negative(void);
void *rettrace_target_errptr(void);
void *rettrace_target_null(void);
void *rettrace_target_ptr(void);
int rettrace_target_number(unsigned int i);
void *rettrace_target_alloc(unsigned int i);
bool rettrace_target_bool(bool value);
int rettrace_target_sleep(unsigned int ms);
int rettrace_target_inner(void);
int rettrace_target_middle(void);
int rettrace_target_outer(void);
int rettrace_target_recurse(unsigned int depth);
int rettrace_target_other(void);
int rettrace_target_pass_c(void);
int rettrace_target_pass_b(void);
int rettrace_target_pass_a(void);
int rettrace_target_change_inner(void);
int rettrace_target_change_outer(void);
int rettrace_target_handled_inner(void);
int rettrace_target_handled_outer(void);
void *rettrace_target_ptr_outer(void);
int rettrace_target_slow_inner(unsigned int ms);
int rettrace_target_slow_outer(unsigned int ms);
int rettrace_target_irq(void);
int rettrace_target_softirq(void);
/* rettrace_target_many.c */
void rettrace_target_call_many(unsigned int count);
void rettrace_target_call_nest(unsigned int count);
extern int (*const rettrace_target_nest[20])(void);

#endif /* RETTRACE_TARGET_H */

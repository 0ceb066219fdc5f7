// SPDX-License-Identifier: GPL-2.0
/*
 * 512 small functions for the pattern tests: rettrace_target_many_000 to
 * rettrace_target_many_777 (three octal digits: the function's number is
 * the octal literal 0NNN). Each returns -ENOENT when its number is 7
 * modulo 8 (64 of them) and 0 otherwise. "many N" calls each of them N
 * times, in order.
 *
 * And a chain of 20 nested calls, rettrace_target_nest_01 (the innermost,
 * -EHOSTDOWN) to rettrace_target_nest_20, each returning its callee's
 * error: "nest N" calls the outermost N times (the origin depth tests).
 */

#include <linux/compiler.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/sched.h>

#include "rettrace_target.h"

static unsigned int rettrace_target_many_last;

#define RT_MANY(n)							\
	static noinline int rettrace_target_many_##n(void)			\
	{								\
		WRITE_ONCE(rettrace_target_many_last, 0##n);		\
		return (0##n % 8 == 7) ? -ENOENT : 0;			\
	}
#define RT_MANY8(p)							\
	RT_MANY(p##0) RT_MANY(p##1) RT_MANY(p##2) RT_MANY(p##3)	\
	RT_MANY(p##4) RT_MANY(p##5) RT_MANY(p##6) RT_MANY(p##7)
#define RT_MANY64(p)							\
	RT_MANY8(p##0) RT_MANY8(p##1) RT_MANY8(p##2) RT_MANY8(p##3)	\
	RT_MANY8(p##4) RT_MANY8(p##5) RT_MANY8(p##6) RT_MANY8(p##7)

RT_MANY64(0)
RT_MANY64(1)
RT_MANY64(2)
RT_MANY64(3)
RT_MANY64(4)
RT_MANY64(5)
RT_MANY64(6)
RT_MANY64(7)

#define RT_PTR(n) rettrace_target_many_##n,
#define RT_PTR8(p)							\
	RT_PTR(p##0) RT_PTR(p##1) RT_PTR(p##2) RT_PTR(p##3)		\
	RT_PTR(p##4) RT_PTR(p##5) RT_PTR(p##6) RT_PTR(p##7)
#define RT_PTR64(p)							\
	RT_PTR8(p##0) RT_PTR8(p##1) RT_PTR8(p##2) RT_PTR8(p##3)	\
	RT_PTR8(p##4) RT_PTR8(p##5) RT_PTR8(p##6) RT_PTR8(p##7)

static int (*const rettrace_target_many[])(void) = {
	RT_PTR64(0) RT_PTR64(1) RT_PTR64(2) RT_PTR64(3)
	RT_PTR64(4) RT_PTR64(5) RT_PTR64(6) RT_PTR64(7)
};

void rettrace_target_call_many(unsigned int count)
{
	unsigned int i, j;

	for (j = 0; j < count; j++) {
		for (i = 0; i < ARRAY_SIZE(rettrace_target_many); i++)
			rettrace_target_many[i]();
		cond_resched();
	}
}

static noinline int rettrace_target_nest_01(void)
{
	WRITE_ONCE(rettrace_target_many_last, 1);
	return -EHOSTDOWN;
}

#define RT_NEST(n, inner)							static noinline int rettrace_target_nest_##n(void)			{										int ret = rettrace_target_nest_##inner();													WRITE_ONCE(rettrace_target_many_last, 1##n);				return ret;							}

RT_NEST(02, 01) RT_NEST(03, 02) RT_NEST(04, 03) RT_NEST(05, 04)
RT_NEST(06, 05) RT_NEST(07, 06) RT_NEST(08, 07) RT_NEST(09, 08)
RT_NEST(10, 09) RT_NEST(11, 10) RT_NEST(12, 11) RT_NEST(13, 12)
RT_NEST(14, 13) RT_NEST(15, 14) RT_NEST(16, 15) RT_NEST(17, 16)
RT_NEST(18, 17) RT_NEST(19, 18) RT_NEST(20, 19)

/*
 * Their addresses escape: clang may then not change what these static
 * functions return (it would otherwise see that each returns -EHOSTDOWN,
 * fold that into the callers and leave the probes another value).
 */
int (*const rettrace_target_nest[])(void) = {
	rettrace_target_nest_01, rettrace_target_nest_02, rettrace_target_nest_03,
	rettrace_target_nest_04, rettrace_target_nest_05, rettrace_target_nest_06,
	rettrace_target_nest_07, rettrace_target_nest_08, rettrace_target_nest_09,
	rettrace_target_nest_10, rettrace_target_nest_11, rettrace_target_nest_12,
	rettrace_target_nest_13, rettrace_target_nest_14, rettrace_target_nest_15,
	rettrace_target_nest_16, rettrace_target_nest_17, rettrace_target_nest_18,
	rettrace_target_nest_19, rettrace_target_nest_20,
};

void rettrace_target_call_nest(unsigned int count)
{
	unsigned int j;

	for (j = 0; j < count; j++)
		rettrace_target_nest[ARRAY_SIZE(rettrace_target_nest) - 1]();
}

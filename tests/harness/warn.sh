# SPDX-License-Identifier: GPL-2.0
# Harness self-test: a kernel WARNING must fail the run although this
# script exits 0.
insmod /modules/rettrace_target.ko && echo warn >/proc/rettrace_target
exit 0

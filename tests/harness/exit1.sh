# SPDX-License-Identifier: GPL-2.0
# Harness self-test: a guest script that fails must fail the run.
echo "this guest script exits 1 on purpose"
exit 1

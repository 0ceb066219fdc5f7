# SPDX-License-Identifier: GPL-2.0
#
# Sourced by scripts/build-modules.sh and scripts/bench.sh, which build the
# modules from a copy of their sources (one per kernel): the generated Rust
# files must sit beside the sources that include!() them, and builds for
# different kernels must not share objects.

# list_src DIR: DIR's source files, sorted. A copy never takes the build
# products (or generated files) of an in-tree build, nor cargo's target/.
list_src() {
	(cd "$1" && find . -name target -prune -o -type f ! -name '*.o' ! -name '*.ko' ! -name '*.mod' \
		! -name '*.mod.c' ! -name '.*.cmd' ! -name '.*.d' ! -name '*.a' \
		! -name '*.rmeta' ! -name modules.order ! -name Module.symvers \
		! -name errno_names.rs ! -name glue_bindings.rs -print | LC_ALL=C sort)
}

# sync_dir SRC DST: DST gets SRC's source files (modification times kept, so
# Kbuild rebuilds only what changed) and loses those SRC no longer has.
sync_dir() {
	mkdir -p "$2"
	list_src "$1" | (cd "$1" && tar -cf - -T -) | (cd "$2" && tar -xf -)
	LC_ALL=C comm -13 <(list_src "$1") <(list_src "$2") | (cd "$2" && xargs -r rm -f --)
}

# sync_module TOP DST: DST becomes a tree that `make -C KDIR M=DST` builds
# rettrace.ko in, as TOP itself: Kbuild, src/ (with src/core/) and the
# generator script Kbuild runs.
sync_module() {
	mkdir -p "$2/scripts"
	cp -p "$1/Kbuild" "$2/Kbuild"
	sync_dir "$1/src" "$2/src"
	cp -p "$1/scripts/gen-errno-names.sh" "$2/scripts/"
}

# SPDX-License-Identifier: GPL-2.0
#
# rettrace: `make demo` shows it at work, `make test` runs every test.
# Both install what they need (scripts/setup.sh) and build the test kernel
# into the cache ($(RETTRACE_CACHE)) first. See README.md.

RETTRACE_CACHE ?= $(HOME)/.cache/rettrace
export RETTRACE_CACHE
export PATH := $(HOME)/.cargo/bin:$(PATH)
export LIBCLANG_PATH ?= /usr/lib/llvm-19/lib
# ARCH: x86_64 (default) or arm64, for everything but `make test`, which runs
# on every architecture in ARCHES: both unless ARCH= or ARCHES= is given
# (`make test ARCH=arm64` tests arm64 only).
ifeq ($(origin ARCH),undefined)
ARCHES ?= x86_64 arm64
endif
ARCH ?= x86_64
ARCHES ?= $(ARCH)
export ARCH ARCHES

# The cached test kernel when it has been built, else the running kernel's.
KDIR ?= $(shell cat $(RETTRACE_CACHE)/kernels/$(ARCH).current 2>/dev/null || \
	echo /lib/modules/$$(uname -r)/build)
# The kernel's own compiler: LLVM=-19 for the test kernels, gcc for most
# distributions' (scripts/kbuild-args.sh reads it from the config).
KMAKE = $(MAKE) -C $(KDIR) $(shell scripts/kbuild-args.sh $(KDIR)) ARCH=$(ARCH)
# Where the modules for KDIR are built: build/<kernel>/ (scripts/build-modules.sh).
MODDIR = $(shell scripts/build-modules.sh --print-dir $(KDIR))

.PHONY: debian-kdir all modules rettrace target report setup kernel test demo demo-story bench check fmt clean install sign

all: modules

# rettrace.ko and the test-only rettrace_target.ko (never installed), in a
# directory of their own for each kernel, so that builds for x86_64 and arm64
# (or for the test and the debug kernel) never overwrite each other.
modules rettrace target:
	@scripts/check-kdir.sh $(KDIR)
	@d=$$(scripts/build-modules.sh $(KDIR)) && echo "modules: $${d#$(CURDIR)/}/rettrace.ko $${d#$(CURDIR)/}/tests/target/rettrace_target.ko"

# Signs build/<kernel>/rettrace.ko for a Secure Boot machine, with a Machine
# Owner Key: MOK_KEY (private, PEM) and MOK_CERT (its certificate, enrolled
# with mokutil), by default the pair Debian's DKMS makes and signs with.
# Uses $(KDIR)/scripts/sign-file sha256 (docs/install.md).
MOK_KEY ?= /var/lib/dkms/mok.key
MOK_CERT ?= /var/lib/dkms/mok.pub
sign: modules
	@scripts/sign-module.sh $(KDIR) $(MOK_KEY) $(MOK_CERT) $(MODDIR)/rettrace.ko

# The host tool that turns a saved /proc/rettrace into pictures.
report:
	cargo build --quiet --release --manifest-path tools/rettrace-report/Cargo.toml

setup:
	scripts/setup.sh

# A KDIR for Debian's stock kernel: its headers plus the rust/ they lack,
# rebuilt with its own toolchain in a Debian 13 root (scripts/debian-kernel.sh).
# DEBIAN= a release (7.3.4+deb13-cloud-amd64) or a flavour (its newest
# release); default: cloud-amd64, or cloud-arm64 with ARCH=arm64. Then
# `make KDIR=<the directory it prints>` builds rettrace.ko for that kernel.
DEBIAN_DEFAULT = $(if $(filter arm64,$(ARCH)),cloud-arm64,cloud-amd64)
debian-kdir:
	scripts/debian-kernel.sh $(if $(filter-out 1,$(DEBIAN)),$(DEBIAN),$(DEBIAN_DEFAULT))

kernel: setup
	scripts/build-kernel.sh >/dev/null

test:
	scripts/run-tests.sh

# DEBIAN=1: on Debian's stock kernel instead of the test kernel (see
# scripts/demo.sh).
demo:
	DEBIAN=$(DEBIAN) scripts/demo.sh

# The story replayed: the kernel's CIFS client against a private Samba
# server, the connection killed, and what rettrace says about it. x86_64
# only: its test kernel is the one with networking and CIFS.
# DEBIAN=1 (or a release or flavour, as for make demo): on Debian's stock
# kernel and its own cifs.ko.
demo-story:
	ARCH=x86_64 ARCHES=x86_64 scripts/setup.sh
	$(if $(DEBIAN),d=$$(scripts/debian-kernel.sh $(if $(filter-out 1,$(DEBIAN)),$(DEBIAN),cloud-amd64)) && \
	ARCH=x86_64 tests/story/run.sh --kernel "$$d",ARCH=x86_64 tests/story/run.sh)

bench:
	scripts/bench.sh

# Formatting and lints, as in the kernel tree. (Clippy's output goes to
# stderr through awk: `tee /dev/stderr` would reopen, and so truncate, a log
# file that stderr is redirected to.)
check:
	@scripts/check-kdir.sh $(KDIR)
	scripts/build-modules.sh $(KDIR) >/dev/null
	touch $(MODDIR)/src/rettrace_main.rs
	$(KMAKE) M=$(MODDIR) CLIPPY=1 modules 2>&1 | awk '{ print >"/dev/stderr" } /warning|error/ { bad = 1 } END { exit bad }'
	rustfmt --check --config-path $(KDIR)/source/.rustfmt.toml $(filter-out src/errno_names.rs src/glue_bindings.rs,$(wildcard src/*.rs))
	cd src/core && cargo fmt --check && cargo clippy --quiet --all-targets -- -D warnings
	cd tools/rettrace-report && cargo fmt --check && cargo clippy --quiet --all-targets -- -D warnings
	$(KDIR)/source/scripts/checkpatch.pl --no-tree --terse -f src/rettrace_glue.c src/rettrace_glue.h tests/target/rettrace_target_main.c tests/target/rettrace_target_many.c

# Formats the Rust sources (the module with the kernel's rustfmt config).
fmt:
	rustfmt --config-path $(KDIR)/source/.rustfmt.toml $(filter-out src/errno_names.rs src/glue_bindings.rs,$(wildcard src/*.rs))
	cd src/core && cargo fmt
	cd tools/rettrace-report && cargo fmt

install:
	@scripts/check-kdir.sh $(KDIR)
	scripts/build-modules.sh $(KDIR) >/dev/null
	$(KMAKE) M=$(MODDIR) modules_install

clean:
	rm -rf build
	-$(KMAKE) M=$(CURDIR) clean
	-$(KMAKE) M=$(CURDIR)/tests/target clean
	rm -f src/errno_names.rs src/glue_bindings.rs
	cd src/core && cargo clean
	cd tools/rettrace-report && cargo clean

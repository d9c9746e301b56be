# SPDX-License-Identifier: GPL-2.0
#
# make                    build mmlab.ko here against KDIR (default: running kernel)
# make KERNEL=6.1|6.12    build against that Debian kernel's headers into build/<release>/
# make modules            both kernels
# make install            modules_install into /lib/modules/<release>/extra + depmod,
#                         the command line into /usr/local/sbin/mmlab and its bash
#                         completion (KERNEL=/KDIR= pick the kernel, INSTALL_MOD_PATH=
#                         stages both, PREFIX= moves the command line)
# make cli                the command line, build/mmlab (make helpers builds it too)
# make lab-kernel         build the debug lab kernel (KSRC=tree; default Debian's 6.12 source)
# make unit               host unit tests (parser)
# make check              everything: setup, both builds, unit tests, VM suites
# make experiments       the experiment library on both kernels -> EXPERIMENTS.md
# make experiment E=E11  one experiment
# make replay FILE=F KERNEL=6.1|6.12|lab   a reproducer (mmlab repro) replayed in a guest
# make bench [KERNEL=]   migration, rmap, probe and control-plane ratios -> results/
# make compare A=K B=K [E=E02,E11|FAST=1|ALL=1] [RUNS=N]   the experiments on two
#                         kernels (6.1, 6.12, lab, a release, BZIMAGE:BUILDDIR) and
#                         what differs -> build/compare/ (scripts/compare)
# make lint              checkpatch --strict, W=1 + sparse builds, shellcheck (make check runs it)
# make sparse            sparse only (C=2 W=1)
# W=1, C=1 pass through to Kbuild.

KERNEL ?=
ifeq ($(KERNEL),)
KDIR ?= /lib/modules/$(shell uname -r)/build
OUT := $(CURDIR)
# The release to install for: KDIR's /lib/modules/<release>/build, else uname -r.
REL := $(or $(patsubst /lib/modules/%/build,%,$(filter /lib/modules/%/build,$(KDIR))),$(shell uname -r))
else
REL := $(shell $(CURDIR)/scripts/kver $(KERNEL))
KDIR := /lib/modules/$(REL)/build
OUT := $(CURDIR)/build/$(REL)
endif
KERNELS := 6.1 6.12
SRCS := Kbuild module include

.PHONY: compare
.PHONY: lab-kernel lab-proof all module modules unit helpers cli check demo sparse lint clean experiments experiment bench install
.PHONY: replay

all: module

# The debug lab kernel from source (KSRC=tree), cached outside the checkout.
lab-kernel:
	scripts/lab-kernel
# The user's path proven on a second tree (a full build more: not in check).
lab-proof:
	scripts/lab-proof

module:
ifneq ($(KERNEL),)
	@test -n "$(REL)" || { echo "kernel $(KERNEL) not installed: run scripts/setup" >&2; exit 1; }
	@mkdir -p $(OUT)
	@cp -rsf $(addprefix $(CURDIR)/,$(SRCS)) $(OUT)/
endif
	$(MAKE) -C $(KDIR) M=$(OUT) modules

modules:
	@for k in $(KERNELS); do $(MAKE) --no-print-directory KERNEL=$$k module || exit 1; done

build/unit/test_parse: tests/unit/test_parse.c module/parse.c include/mmlab_cmd.h include/mmlab_counters.h include/mmlab_lists.h
	@mkdir -p build/unit
	$(CC) -O2 -g -Wall -Wextra -Werror -o $@ tests/unit/test_parse.c module/parse.c

build/unit/counters_doc: tests/unit/counters_doc.c module/parse.c include/mmlab_cmd.h include/mmlab_lists.h
	@mkdir -p build/unit
	$(CC) -O2 -g -Wall -Wextra -Werror -o $@ tests/unit/counters_doc.c module/parse.c

build/unit/grammar_doc: tests/unit/grammar_doc.c module/parse.c include/mmlab_cmd.h include/mmlab_lists.h
	@mkdir -p build/unit
	$(CC) -O2 -g -Wall -Wextra -Werror -o $@ tests/unit/grammar_doc.c module/parse.c

unit: build/unit/test_parse build/unit/counters_doc build/unit/grammar_doc
	build/unit/test_parse
	tests/unit/host.sh

# The command line: one C program linking the module's parser, built as
# build/unit/test_parse is, so its options and checks are the grammar's.
CLI_SRCS := $(wildcard scripts/cli/*.c)
build/mmlab: $(CLI_SRCS) scripts/cli/cli.h module/parse.c include/mmlab_cmd.h include/mmlab_counters.h include/mmlab_lists.h
	@mkdir -p build
	$(CC) -O2 -g -Wall -Wextra -Werror -o $@ $(CLI_SRCS) module/parse.c

cli: build/mmlab

EXP_HELPERS := $(patsubst tests/experiments/helpers/%.c,build/tests/%,$(wildcard tests/experiments/helpers/*.c))

helpers: build/mmlab build/tests/pages build/tests/nodeof build/tests/peek build/tests/vma build/tests/churn build/tests/fuzz build/tests/bench $(EXP_HELPERS)

build/tests/%: tests/helpers/%.c tests/helpers/pageout.h
	@mkdir -p build/tests
	$(CC) -O2 -g -Wall -Wextra -Werror -o $@ $<

build/tests/%: tests/experiments/helpers/%.c tests/helpers/pageout.h
	@mkdir -p build/tests
	$(CC) -O2 -g -Wall -Wextra -Werror -o $@ $< -lpthread

# modules_install into /lib/modules/<release>/extra/ (INSTALL_MOD_PATH
# stages it elsewhere), then depmod so that `modprobe mmlab` finds it; the
# command line into $(PREFIX)/sbin and its completion into bash-completion's
# directory, under INSTALL_MOD_PATH too.  Installs what `make` built, as
# the kernel's modules_install does; builds only when nothing is built yet.
PREFIX ?= /usr/local
install:
	@test -f $(OUT)/mmlab.ko || $(MAKE) --no-print-directory module
	$(MAKE) -C $(KDIR) M=$(OUT) INSTALL_MOD_DIR=extra modules_install
	depmod $(if $(INSTALL_MOD_PATH),-b $(INSTALL_MOD_PATH)) -a $(REL)
	@test -x build/mmlab || $(MAKE) --no-print-directory cli
	install -D -m 0755 build/mmlab $(INSTALL_MOD_PATH)$(PREFIX)/sbin/mmlab
	install -D -m 0644 scripts/mmlab-completion.bash \
		$(INSTALL_MOD_PATH)$(PREFIX)/share/bash-completion/completions/mmlab

demo:
	scripts/demo $(KERNEL)

# The experiment library (tests/experiments/): all, or one with E=E11.
experiments:
	scripts/experiments

# Performance, side by side in one boot per kernel (results/).
bench:
	$(if $(KERNEL),MMLAB_KERNELS="$(KERNEL)") scripts/bench

# Two kernels, the same experiments, what changed (issue 23).
compare:
	scripts/compare A="$(A)" B="$(B)" E="$(E)" FAST="$(FAST)" ALL="$(ALL)" RUNS="$(RUNS)"

experiment:
	@test -n "$(E)" || { echo 'make experiment E=E11' >&2; exit 2; }
	scripts/experiments $(E)

# A reproducer of mmlab repro, replayed in a guest of KERNEL (mmlab replay).
replay:
	@test -n "$(FILE)" && test -n "$(KERNEL)" || { echo 'make replay FILE=F KERNEL=6.1|6.12|lab' >&2; exit 2; }
	@test -r "$(FILE)" || { echo "make replay: cannot read $(FILE)" >&2; exit 2; }
	@$(MAKE) --no-print-directory KERNEL=$(KERNEL) module >/dev/null
	@$(MAKE) --no-print-directory helpers >/dev/null
	@mkdir -p build/logs
	scripts/vm --kernel $(KERNEL) --timeout 1200 --log build/logs/replay-$(KERNEL).dmesg -- \
		build/mmlab replay $(abspath $(FILE))

check:
	$(if $(KERNEL),MMLAB_KERNELS="$(KERNEL)") scripts/check

sparse:
	@for k in $(KERNELS); do $(MAKE) --no-print-directory KERNEL=$$k C=2 W=1 module || exit 1; done

lint:
	scripts/lint

clean:
	rm -rf build
	@test ! -d $(KDIR) || $(MAKE) -C $(KDIR) M=$(CURDIR) clean

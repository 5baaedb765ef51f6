# cordon: build, test, sanitizer build, demo and benchmarks.
#   make            build/cordonc and build/cordon
#   make test       install missing Debian packages (as root), build, build the
#                   sanitizer variant, run every test as root and unprivileged
#   make asan       the sanitizer build (build-asan/) and its tests
#   make test-vm    boot Debian's 6.1 and 6.12 cloud kernels under qemu (TCG)
#                   and run the runtime's tests in them (tests/vm/)
#   make demo       run an "AI-generated" script under cordon (examples/)
#   make bench      compile and launch benchmarks (bench/)
#   make install    cordon and cordonc to $(PREFIX)/bin, the profiles to $(DATADIR)
#   make uninstall  removes what make install put there
#   make clean

B        ?= build
SAN      ?=
PREFIX   ?= /usr/local
DATADIR  ?= $(PREFIX)/share/cordon/policies
VERSION  := 0.1

CC       ?= cc
WARN     := -Wall -Wextra -Werror
CFLAGS   ?= -O2 -g
SANOPTS  := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
SANFLAGS := $(if $(SAN),$(SANOPTS))
ALLCFLAGS = -std=gnu11 $(WARN) $(CFLAGS) $(SANFLAGS) -D_GNU_SOURCE \
            -DCORDON_DATADIR='"$(DATADIR)"' -DCORDON_VERSION='"$(VERSION)"' $(CGFLAGS) \
            -Iinclude -Icompiler -Iruntime -Itests -I$(B)/grammar -MMD -MP
# cordonc needs libseccomp only for syscall names (compiler/syscalls.c and
# lower.c); compiler/seccomp_gen.c emits the seccomp program itself.
LDLIBS_C := -lseccomp
# The libcgroup backend (--cgroup-backend=libcgroup) is built in when
# Debian's libcgroup-dev is installed (mk/deps.sh installs it); LIBCGROUP=0
# leaves it out.
LIBCGROUP ?= $(shell pkg-config --exists libcgroup 2>/dev/null && echo 1 || echo 0)
CGFLAGS  := $(if $(filter 1,$(LIBCGROUP)),-DCORDON_WITH_LIBCGROUP)
# (libcgroup.a's user and group lookups make the static link warn that
# glibc's NSS needs shared libraries at run time; cordon never looks users
# up through it, so those link warnings are silenced)
comma    := ,
LDLIBS_R := $(if $(filter 1,$(LIBCGROUP)),-lcgroup -Wl$(comma)--no-warnings)

# Generated scanner and parser: flex's and bison's own code, with the
# warnings they are known to trip turned off for those two files only.
GENWARN  := -Wno-unused-parameter -Wno-sign-compare -Wno-unused-function \
            -Wno-missing-field-initializers

COMPILER_SRCS := compiler/ast.c compiler/diag.c compiler/source.c compiler/lower.c compiler/lower_protect.c compiler/source_open.c \
                 compiler/syscalls.c compiler/syscall_table.c compiler/seccomp_gen.c compiler/writer.c \
                 compiler/dump.c compiler/bpf_disasm.c compiler/xalloc.c compiler/arena.c
RUNTIME_SRCS  := runtime/policy_load.c runtime/bpf_check.c runtime/crc32c.c
GRAMMAR_OBJS  := $(B)/grammar/parser.o $(B)/grammar/lexer.o
CORDON_SRCS   := runtime/cordon.c runtime/launch.c runtime/supervisor.c runtime/landlock.c runtime/env.c \
                 runtime/report.c runtime/probe.c runtime/policy_source.c runtime/sha256.c \
                 runtime/cgroup.c runtime/cgroup_libcgroup.c runtime/clone3.c runtime/private_tmp.c runtime/ns_layer.c runtime/fileio.c \
                 runtime/watch.c runtime/deny_links.c runtime/std_fds.c runtime/exec_hint.c \
                 runtime/cg_advice.c runtime/options.c runtime/gaps.c \
                 runtime/writable.c runtime/own_state.c runtime/command.c runtime/run_limits.c \
                 runtime/home.c runtime/discover.c runtime/cordonc_exec.c runtime/safe_open.c runtime/layers.c \
                 runtime/notify.c runtime/nons.c \
                 runtime/nons_filter.c runtime/meta_guard.c runtime/write_trees.c runtime/shm_sweep.c

COMPILER_OBJS := $(COMPILER_SRCS:%.c=$(B)/%.o) $(GRAMMAR_OBJS)
RUNTIME_OBJS  := $(RUNTIME_SRCS:%.c=$(B)/%.o)
CORDON_OBJS   := $(CORDON_SRCS:%.c=$(B)/%.o) $(RUNTIME_OBJS)
# cordon links statically against musl when musl-gcc is there (Debian's
# musl-tools; mk/deps.sh installs it): glibc's static start-up asks the CPU
# about itself with some 60 CPUID instructions, each a trap to the
# hypervisor in a VM (about 7 us here), 440 us per launch that musl's
# start-up does not spend.  libcgroup is built for glibc, so with musl the
# libcgroup backend is a second binary, cordon-libcgroup (the same runtime
# on glibc), which `cordon run --cgroup-backend=libcgroup` execs.  MUSL=0:
# one glibc binary, as in the sanitizer build.
MUSL     ?= $(if $(SAN),0,$(shell command -v musl-gcc >/dev/null 2>&1 && echo 1 || echo 0))
MUSLCC   := musl-gcc
MUSLINC  := $(B)/musl-include
MUSL_OBJS := $(CORDON_SRCS:%.c=$(B)/musl/%.o) $(RUNTIME_SRCS:%.c=$(B)/musl/%.o)
MUSLCFLAGS = -std=gnu11 $(WARN) $(CFLAGS) -D_GNU_SOURCE -DCORDON_DATADIR='"$(DATADIR)"' \
             -DCORDON_VERSION='"$(VERSION)"' -Iinclude -Iruntime -isystem $(MUSLINC) -MMD -MP
# cordon links statically (no loader, no libseccomp: it only reads the
# compiled policy); the sanitizers need the dynamic runtime.
STATIC   := $(if $(SAN),,-static)

TEST_BINS := $(B)/tests/test_landlock $(B)/tests/test_ns_layer $(B)/tests/test_arena $(B)/tests/test_hashes $(B)/tests/test_bpf $(B)/tests/test_policy \
             $(B)/tests/test_seccomp $(B)/tests/test_fuzz $(B)/tests/test_advice $(B)/tests/no_ns \
             $(B)/tests/test_nons_filter

.PHONY: all test test-vm asan demo bench clean deps check-tests golden-update install uninstall
CORDON_BINS := $(B)/cordon $(if $(filter 1,$(MUSL)),$(if $(filter 1,$(LIBCGROUP)),$(B)/cordon-libcgroup))
all: $(B)/cordonc $(CORDON_BINS)

ifeq ($(MUSL),1)
$(B)/cordon: $(MUSL_OBJS)
	$(MUSLCC) $(MUSLCFLAGS) -static -o $@ $^
$(B)/cordon-libcgroup: $(CORDON_OBJS)
	$(CC) $(ALLCFLAGS) $(STATIC) -o $@ $^ $(LDLIBS_R)
else
$(B)/cordon: $(CORDON_OBJS)
	$(CC) $(ALLCFLAGS) $(STATIC) -o $@ $^ $(LDLIBS_R)
endif

# musl's headers with the kernel's (linux/, asm/), which musl-gcc leaves out
$(MUSLINC)/.done:
	@mkdir -p $(MUSLINC)
	ln -sfn /usr/include/linux $(MUSLINC)/linux
	ln -sfn /usr/include/asm-generic $(MUSLINC)/asm-generic
	ln -sfn /usr/include/$(shell $(CC) -dumpmachine)/asm $(MUSLINC)/asm
	@touch $@

$(B)/musl/%.o: %.c $(MUSLINC)/.done
	@mkdir -p $(dir $@)
	$(MUSLCC) $(MUSLCFLAGS) -c -o $@ $<

$(B)/cordonc: $(B)/compiler/cordonc.o $(COMPILER_OBJS) $(RUNTIME_OBJS)
	$(CC) $(ALLCFLAGS) -o $@ $^ $(LDLIBS_C)

$(B)/grammar/parser.c $(B)/grammar/parser.h: grammar/parser.y
	@mkdir -p $(dir $@)
	bison -Wall -Werror --defines=$(B)/grammar/parser.h -o $(B)/grammar/parser.c $<

$(B)/grammar/lexer.c: grammar/lexer.l $(B)/grammar/parser.h
	@mkdir -p $(dir $@)
	flex -o $@ $<

$(B)/grammar/%.o: $(B)/grammar/%.c $(B)/grammar/parser.h
	$(CC) $(ALLCFLAGS) $(GENWARN) -c -o $@ $<

$(B)/%.o: %.c $(B)/grammar/parser.h
	@mkdir -p $(dir $@)
	$(CC) $(ALLCFLAGS) -c -o $@ $<

# ---- tests -------------------------------------------------------------
$(B)/tests/test_hashes: $(B)/tests/test_hashes.o $(B)/runtime/sha256.o $(B)/runtime/crc32c.o
	$(CC) $(ALLCFLAGS) -o $@ $^
$(B)/tests/test_landlock: $(B)/tests/test_landlock.o $(B)/runtime/landlock.o $(B)/runtime/std_fds.o
	$(CC) $(ALLCFLAGS) -o $@ $^
$(B)/tests/test_ns_layer: $(B)/tests/test_ns_layer.o $(B)/runtime/ns_layer.o \
                          $(B)/runtime/landlock.o $(B)/runtime/std_fds.o $(B)/runtime/fileio.o \
                          $(B)/runtime/safe_open.o
	$(CC) $(ALLCFLAGS) -o $@ $^
$(B)/tests/test_advice: $(B)/tests/test_advice.o $(B)/runtime/cg_advice.o $(B)/runtime/cgroup.o \
                        $(B)/runtime/cgroup_libcgroup.o $(B)/runtime/fileio.o
	$(CC) $(ALLCFLAGS) -o $@ $^ $(LDLIBS_R)
$(B)/tests/test_arena: $(B)/tests/test_arena.o $(B)/compiler/arena.o $(B)/compiler/xalloc.o
	$(CC) $(ALLCFLAGS) -o $@ $^
$(B)/tests/test_bpf: $(B)/tests/test_bpf.o $(B)/tests/bpf_interp.o \
                     $(B)/runtime/bpf_check.o $(B)/compiler/bpf_disasm.o
	$(CC) $(ALLCFLAGS) -o $@ $^
$(B)/tests/test_policy: $(B)/tests/test_policy.o $(RUNTIME_OBJS)
	$(CC) $(ALLCFLAGS) -o $@ $^
# test_seccomp compiles in-process too, and links the former libseccomp
# generator (tests/seccomp_ref.c) to check compiler/seccomp_gen.c against it.
$(B)/tests/test_seccomp: $(B)/tests/test_seccomp.o $(B)/tests/bpf_interp.o \
                         $(B)/tests/seccomp_ref.o $(COMPILER_OBJS) $(RUNTIME_OBJS)
	$(CC) $(ALLCFLAGS) -o $@ $^ -lseccomp
$(B)/tests/test_fuzz: $(B)/tests/test_fuzz.o $(COMPILER_OBJS) $(RUNTIME_OBJS)
	$(CC) $(ALLCFLAGS) -o $@ $^ $(LDLIBS_C)

# the runtime's own seccomp program for runs without namespaces
$(B)/tests/test_nons_filter: $(B)/tests/test_nons_filter.o $(B)/tests/bpf_interp.o \
                             $(B)/runtime/bpf_check.o $(B)/runtime/nons_filter.o \
                             $(B)/runtime/meta_guard.o $(B)/runtime/notify.o \
                             $(B)/runtime/write_trees.o $(B)/runtime/fileio.o $(B)/runtime/landlock.o \
                             $(B)/runtime/std_fds.o
	$(CC) $(ALLCFLAGS) -o $@ $^
# tests/no_ns: the wrapper of the no-namespace lane (tests/run-tests)
$(B)/tests/no_ns: $(B)/tests/no_ns.o
	$(CC) $(ALLCFLAGS) -o $@ $^

check-tests: all $(TEST_BINS)

# `make test` first makes sure the Debian packages are there, then builds
# in a fresh make so that the tools it installed are found.
deps:
	@sh mk/deps.sh

test:
	@sh mk/deps.sh vm
	$(MAKE) --no-print-directory check-tests
	$(MAKE) --no-print-directory B=build-asan SAN=1 check-tests
	perl tests/run-tests build build-asan

# The VM lane: older Landlock ABIs (6.1: ABI 2; 6.12: ABI 6; 6.1 with
# Landlock left out of lsm=) and pure cgroup v2, which this machine's kernel
# cannot show.  Downloads the kernels (never installs them) into
# ~/.cache/cordon-vm; needs qemu-system-x86 and busybox-static.
test-vm:
	@sh mk/deps.sh vm
	$(MAKE) --no-print-directory all
	prove -v --exec sh tests/vm/run.sh :: $(B)

asan: deps
	$(MAKE) --no-print-directory B=build-asan SAN=1 check-tests
	CORDON_SKIP_VM=1 perl tests/run-tests build-asan

demo: deps
	$(MAKE) --no-print-directory all
	sh examples/run-demo.sh $(B)

bench: deps
	$(MAKE) --no-print-directory all $(B)/tests/no_ns
	sh bench/compile.sh
	sh bench/launch.sh
	sh bench/cgroup.sh
	sh bench/notify.sh

# Regenerates the golden dumps after an intended change of the output;
# review the diff before committing it.
golden-update: all
	sh tests/golden.sh --update $(B)

# The installed cordonc finds the profiles in ../share/cordon/policies from
# its own directory before the DATADIR it was built with, so that a `make`
# with one PREFIX and a `make install PREFIX=...` with another (or into a
# DESTDIR) still give binaries that find their profiles.
install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(DATADIR)
	install -m 755 $(B)/cordonc $(DESTDIR)$(PREFIX)/bin/cordonc
	install -m 755 $(CORDON_BINS) $(DESTDIR)$(PREFIX)/bin/
	install -m 644 stdlib-policies/*.cordon $(DESTDIR)$(DATADIR)/

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/cordonc $(DESTDIR)$(PREFIX)/bin/cordon \
	      $(DESTDIR)$(PREFIX)/bin/cordon-libcgroup
	rm -f $(addprefix $(DESTDIR)$(DATADIR)/,$(notdir $(wildcard stdlib-policies/*.cordon)))
	-rmdir $(DESTDIR)$(DATADIR) $(dir $(DESTDIR)$(DATADIR)) 2>/dev/null

clean:
	rm -rf build build-asan

-include $(shell find build build-asan -name '*.d' 2>/dev/null)

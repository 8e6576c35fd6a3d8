# From Bellman to DDPO — the one build file.
#
#   make test                 maintainers: every suite on solutions/, drift and bite checks
#                             (its drift check fails as soon as a student edits exercises/)
#   make check CH=01          students: grade your exercises/ of one chapter (CH=1 works too)
#   make next                 students: the next exercise to do, as file:line name and its goal
#   make hint EX=dp_q_from_v  students: the hint of an exercise (without EX: of the next one)
#   make watch CH=01          students: make check again on every save of exercises/01_*/
#   make progress             students: every chapter on one screen, the current one in detail
#   make run CH=01            run a chapter, ARGS="--seed 7"; IMPL=exercises runs it on your
#                             code and writes its figures to plots/01_dp-exercises/
#   make plots [FORMAT=pdf]   every chapter's default run, figures under plots/
#   make readme-figures       the figures the chapter READMEs show (-check: which are stale)
#   make bench                benchmark figures
#   make fuzz [FUZZ_S=60]     fuzz the loaders and the flag parser (maintainers; clang)
#   make bench-torch          the MLP and tiny-diffusion benchmarks in C and in PyTorch, side by side
#   make SAN=1 test           the suites under AddressSanitizer + UBSan
#   make DEBUG=1 check CH=01  a build for gdb and valgrind (-O0, no AVX) under build/debug/
#   make deps                 install the Debian packages (the README's apt-get line)
#
# Chapters are discovered: chapters/NN_topic/ with main.c, its header(s), given
# code (*.c without exercises) and an optional `deps` file naming earlier chapters whose *solutions* it links.
# Flags: -O3 -march=native because the MLP chapters live on matmul speed (a
# plain i-k-j loop reaches ~45 GFLOP/s with them, ~7 at -O2); -fno-math-errno so
# sqrtf vectorises (libm then never sets errno; results are unchanged);
# -fno-trapping-math so that loops with float compares and selects (vmath.h's
# erf, exp, sin, the activations) vectorise on AVX2 too: without AVX-512's mask
# registers GCC keeps them scalar, ~8x slower, to preserve the FP exception
# flags, which the course never reads (results are unchanged); no -ffast-math,
# which would break NaN checks.

APT_PACKAGES := build-essential make pkg-config check gnuplot-nox libstb-dev zlib1g-dev dataset-fashion-mnist

CC      ?= cc
SAN     ?= 0
DEBUG   ?= 0
V       ?= 0
IMPL    ?= solutions
FORMAT  ?= png
ARGS    ?=

ifeq ($(SAN),1)
  BUILD   := build/san
  OPT     := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined
  SANLINK := -fsanitize=address,undefined
else ifeq ($(DEBUG),1)
  # For gdb and valgrind: no optimisation, and the baseline instruction set
  # (on x86-64, SSE4.2 and no AVX), which valgrind and any x86-64 CPU can run.
  BUILD   := build/debug
  OPT     := -O0 -g3 -fno-omit-frame-pointer -fno-math-errno $(if $(findstring x86_64,$(shell $(CC) -dumpmachine)),-march=x86-64-v2)
  SANLINK :=
else
  BUILD   := build
  OPT     := -O3 -march=native -fno-math-errno -fno-trapping-math -g
  SANLINK :=
endif

# make fuzz: clang's libFuzzer with ASan and UBSan, in build/fuzz (see "fuzzing" below).
ifeq ($(FUZZ),1)
  BUILD   := build/fuzz
  CC      := $(or $(FUZZ_CC),clang-14)
  OPT     := -O1 -g -fno-omit-frame-pointer -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined
  SANLINK := -fsanitize=address,undefined
endif

WARN    := -std=c11 -Wall -Wextra -pedantic -Wshadow -Wno-unused-parameter
CFLAGS  ?=
CPPFLAGS_ALL := -D_XOPEN_SOURCE=700 -Icommon $(shell pkg-config --cflags stb 2>/dev/null)
CHECK_CFLAGS := $(shell pkg-config --cflags check 2>/dev/null)
CHECK_LIBS   := $(shell pkg-config --libs check 2>/dev/null)
LDLIBS  := $(shell pkg-config --libs stb 2>/dev/null || echo -lstb) -lz -lm -lpthread

# Quiet by default: one short line per step ("  CC      common/rng.c"); V=1
# prints the full commands. Parallel by default, one job per core.
ifeq ($(V),1)
  say =
else
  say = @printf '  %-7s %s\n' '$(1)' '$(2)';
endif
# (only in the top make: sub-makes share its jobs, and forcing -j there
# would print "warning: -jN forced in makefile: resetting jobserver mode")
ifeq ($(MAKELEVEL),0)
ifeq (,$(findstring j,$(filter-out --%,$(MAKEFLAGS))))
  MAKEFLAGS += -j$(shell nproc 2>/dev/null || echo 2)
endif
endif

# SERIAL=1 (make test's second stage): one target after another, in order.
ifeq ($(SERIAL),1)
.NOTPARALLEL:
endif

CHAPTERS := $(notdir $(patsubst %/,%,$(wildcard chapters/[0-9][0-9]_*/)))
chapter   = $(filter $(1)_%,$(CHAPTERS))
deps_of   = $(strip $(if $(wildcard chapters/$(1)/deps),$(file <chapters/$(1)/deps)))
srcs_of   = $(wildcard $(2)/$(1)/*.c)
obj       = $(patsubst %.c,$(BUILD)/obj/%.o,$(1))

COMMON_SRC := $(wildcard common/*.c)
COMMON_LIB := $(BUILD)/libcommon.a

.PHONY: all test test-common test-chapters drift bite drivers run check progress plots bench clean deps help exercises
.PHONY: next hint watch
.PHONY: readme-figures readme-figures-check
.PHONY: bench-torch
.DEFAULT_GOAL := all
.DELETE_ON_ERROR:
.SECONDARY:

all: $(COMMON_LIB) $(foreach c,$(CHAPTERS),$(BUILD)/bin/$(c) $(BUILD)/bin/test_$(c)-solutions)

help:
	@sed -n '3,/^#$$/p' Makefile | sed -e '$$d' -e 's/^#   //'

# ---------------------------------------------------------------- compiling
# Every object depends on a stamp holding the compile flags, rewritten only
# when they change: editing OPT or passing CFLAGS=... rebuilds what it affects.
FLAGS_STAMP := $(BUILD)/.flags
FLAGS_NOW   := $(CC) $(WARN) $(OPT) $(CFLAGS) $(CPPFLAGS_ALL)
$(shell mkdir -p $(BUILD) && echo '$(FLAGS_NOW)' | cmp -s - $(FLAGS_STAMP) || echo '$(FLAGS_NOW)' > $(FLAGS_STAMP))

# Include path per source: its chapter's directory and those of its deps.
chof = $(word 2,$(subst /, ,$(1)))
incs = -Ichapters/$(1) $(foreach d,$(call deps_of,$(1)),-Ichapters/$(d))

$(BUILD)/obj/common/%.o: common/%.c $(FLAGS_STAMP)
	@mkdir -p $(@D)
	$(call say,CC,$<)$(CC) $(WARN) -Werror $(OPT) $(CFLAGS) $(CPPFLAGS_ALL) -MMD -MP -c $< -o $@

$(BUILD)/obj/chapters/%.o: chapters/%.c $(FLAGS_STAMP)
	@mkdir -p $(@D)
	$(call say,CC,$<)$(CC) $(WARN) -Werror $(OPT) $(CFLAGS) $(CPPFLAGS_ALL) $(call incs,$(call chof,$<)) -MMD -MP -c $< -o $@

$(BUILD)/obj/solutions/%.o: solutions/%.c $(FLAGS_STAMP)
	@mkdir -p $(@D)
	$(call say,CC,$<)$(CC) $(WARN) -Werror $(OPT) $(CFLAGS) $(CPPFLAGS_ALL) $(call incs,$(call chof,$<)) -MMD -MP -c $< -o $@

# Student code: warnings are shown, never fatal.
$(BUILD)/obj/exercises/%.o: exercises/%.c $(FLAGS_STAMP)
	@mkdir -p $(@D)
	$(call say,CC,$<)$(CC) $(WARN) $(OPT) $(CFLAGS) $(CPPFLAGS_ALL) $(call incs,$(call chof,$<)) -MMD -MP -c $< -o $@

# The untouched stubs, generated from solutions/: they must compile without a warning.
$(BUILD)/gen/stubs/%.c: solutions/%.c tools/exercise.awk
	@mkdir -p $(@D)
	$(call say,STUB,$@)awk -f tools/exercise.awk $< > $@

$(BUILD)/obj/stubs/%.o: $(BUILD)/gen/stubs/%.c $(FLAGS_STAMP)
	@mkdir -p $(@D)
	$(call say,CC,$<)$(CC) $(WARN) -Werror $(OPT) $(CFLAGS) $(CPPFLAGS_ALL) $(call incs,$(call chof,$(patsubst $(BUILD)/gen/%,%,$<))) -MMD -MP -c $< -o $@

$(BUILD)/obj/tests/test_%.o: tests/test_%.c $(FLAGS_STAMP)
	@mkdir -p $(@D)
	$(call say,CC,$<)$(CC) $(WARN) -Werror $(OPT) $(CFLAGS) $(CPPFLAGS_ALL) $(CHECK_CFLAGS) -Itests $(call incs,$*) -MMD -MP -c $< -o $@

$(BUILD)/obj/tests/%.o: tests/%.c $(FLAGS_STAMP)
	@mkdir -p $(@D)
	$(call say,CC,$<)$(CC) $(WARN) -Werror $(OPT) $(CFLAGS) $(CPPFLAGS_ALL) $(CHECK_CFLAGS) -Itests -MMD -MP -c $< -o $@

$(COMMON_LIB): $(call obj,$(COMMON_SRC))
	@mkdir -p $(@D)
	$(call say,AR,$@)rm -f $@ && ar rcs $@ $^

# ---------------------------------------------------------------- linking
# Objects of chapter $(1) built from implementation $(2) (solutions|exercises|stubs),
# plus the solutions of the chapters it depends on.
impl_objs = $(if $(filter stubs,$(2)),\
              $(patsubst solutions/%.c,$(BUILD)/obj/stubs/%.o,$(call srcs_of,$(1),solutions)),\
              $(call obj,$(call srcs_of,$(1),$(2))))
# Given code (no exercises in it) lives beside the driver in chapters/NN_topic/
# and is built once into every build of the chapter and of chapters using it.
# The driver is main.c and, when it grows long, its sections in main_*.c: only
# the chapter's own program links those.
given_of  = $(filter-out chapters/$(1)/main.c chapters/$(1)/main_%.c,$(wildcard chapters/$(1)/*.c))
dep_objs  = $(foreach d,$(call deps_of,$(1)),$(call obj,$(call srcs_of,$(d),solutions) $(call given_of,$(d))))

TEST_SUPPORT := $(call obj,tests/runner.c tests/ckx.c)

# The programs built on exercises/ write their figures to plots/NN_topic-exercises/:
# this object defines cli_out_suffix as "-exercises" and, linked before
# libcommon.a, takes the place of the library's "" (see common/cli_suffix.c).
EXERCISES_OUT := $(BUILD)/obj/common/cli_suffix-exercises.o
$(EXERCISES_OUT): common/cli_suffix.c $(FLAGS_STAMP)
	@mkdir -p $(@D)
	$(call say,CC,$< -exercises)$(CC) $(WARN) -Werror $(OPT) $(CFLAGS) $(CPPFLAGS_ALL) -DCLI_OUT_SUFFIX='"-exercises"' -MMD -MP -c $< -o $@

define chapter_rules
$(BUILD)/bin/$(1): $(call obj,$(wildcard chapters/$(1)/*.c)) $(call impl_objs,$(1),solutions) $(call dep_objs,$(1)) $(COMMON_LIB)
	@mkdir -p $$(@D)
	$$(call say,LD,$$@)$$(CC) $(SANLINK) $$^ $(LDLIBS) -o $$@
$(BUILD)/bin/$(1)-exercises: $(call obj,$(wildcard chapters/$(1)/*.c)) $(call impl_objs,$(1),exercises) $(call dep_objs,$(1)) $(EXERCISES_OUT) $(COMMON_LIB)
	@mkdir -p $$(@D)
	$$(call say,LD,$$@)$$(CC) $(SANLINK) $$^ $(LDLIBS) -o $$@
$(foreach impl,solutions exercises stubs,
$(BUILD)/bin/test_$(1)-$(impl): $(call obj,tests/test_$(1).c tests/main_chapter.c $(call given_of,$(1))) $(TEST_SUPPORT) $(call impl_objs,$(1),$(impl)) $(call dep_objs,$(1)) $(COMMON_LIB)
	@mkdir -p $$(@D)
	$$(call say,LD,$$@)$$(CC) $(SANLINK) $$^ $(CHECK_LIBS) $(LDLIBS) -o $$@
)
endef
$(foreach c,$(CHAPTERS),$(eval $(call chapter_rules,$(c))))

# Each chapter program built on the untouched stubs: `make drivers` checks that
# it stops naming an unfinished exercise (exit 3) instead of drawing garbage.
define stub_driver_rule
$(BUILD)/bin/$(1)-stubs: $(call obj,$(wildcard chapters/$(1)/*.c)) $(call impl_objs,$(1),stubs) $(call dep_objs,$(1)) $(COMMON_LIB)
	@mkdir -p $$(@D)
	$$(call say,LD,$$@)$$(CC) $(SANLINK) $$^ $(LDLIBS) -o $$@
endef
$(foreach c,$(CHAPTERS),$(eval $(call stub_driver_rule,$(c))))

# Every kernel path of the fast products: common/linalg_fast.c compiled once
# more per path, with that path's instruction-set flags and its external names
# suffixed (mat_mul_ab -> mat_mul_ab_avx2, ...), so that test_common checks
# every path this CPU can run against the naive references, not only the one
# the build picks (tests/test_linalg.c skips, with a note, a path the CPU lacks).
ifneq (,$(findstring x86_64,$(shell $(CC) -dumpmachine)))
  LINALG_PATHS := portable sse avx2 avx512
else
  LINALG_PATHS := portable
endif
LINALG_PATH_FLAGS_portable := -DLINALG_PORTABLE
LINALG_PATH_FLAGS_sse      := -mno-avx
LINALG_PATH_FLAGS_avx2     := -mno-avx512f -mavx2 -mfma
LINALG_PATH_FLAGS_avx512   := -mavx512f -mavx2 -mfma
linalg_rename = $(foreach f,mat_mul_ab mat_mul_abt mat_mul_atb vec_dot mat_kernel_path mat_vector_floats,-D$(f)=$(f)_$(1))
LINALG_PATH_OBJS := $(foreach p,$(LINALG_PATHS),$(BUILD)/obj/paths/linalg_fast_$(p).o)
$(LINALG_PATH_OBJS): $(BUILD)/obj/paths/linalg_fast_%.o: common/linalg_fast.c $(FLAGS_STAMP)
	@mkdir -p $(@D)
	$(call say,CC,$< [$*])$(CC) $(WARN) -Werror $(OPT) $(CFLAGS) $(LINALG_PATH_FLAGS_$*) $(CPPFLAGS_ALL) $(call linalg_rename,$*) -MMD -MP -c $< -o $@

COMMON_TESTS := $(filter-out $(wildcard tests/test_[0-9][0-9]_*.c),$(wildcard tests/test_*.c))
# The runner's list of common suites, one SUITE(module) per tests/test_<module>.c:
# a new module's suite is picked up without editing tests/main_common.c.
COMMON_SUITES_H := $(BUILD)/gen/common_suites.h
$(COMMON_SUITES_H): $(FLAGS_STAMP) $(COMMON_TESTS)
	@mkdir -p $(@D)
	@printf 'SUITE(%s)\n' $(patsubst tests/test_%.c,%,$(COMMON_TESTS)) > $@
$(BUILD)/obj/tests/main_common.o: $(COMMON_SUITES_H)
$(BUILD)/obj/tests/main_common.o: CPPFLAGS_ALL += -I$(BUILD)/gen
$(BUILD)/bin/test_common: $(call obj,$(COMMON_TESTS) tests/main_common.c) $(TEST_SUPPORT) $(LINALG_PATH_OBJS) $(COMMON_LIB)
	@mkdir -p $(@D)
	$(call say,LD,$@)$(CC) $(SANLINK) $^ $(CHECK_LIBS) $(LDLIBS) -o $@

# The chapters whose solution code the benchmark times.
BENCH_CHAPTERS := 01_dp 04_nn 05_dqn 06_pg 07_ac
BENCH_CHAPTERS += 16_arch
BENCH_CHAPTERS += 10_ddpm
BENCH_CHAPTERS += 11_ddim
BENCH_SRC := $(wildcard bench/*.c)
# OpenBLAS, for the benchmark's comparison column only, when Debian's
# libopenblas-dev is installed (the course never links it).
BENCH_BLAS_CFLAGS := $(shell pkg-config --exists openblas 2>/dev/null && echo -DBENCH_OPENBLAS `pkg-config --cflags openblas`)
BENCH_BLAS_LIBS   := $(if $(BENCH_BLAS_CFLAGS),$(shell pkg-config --libs openblas))
$(BUILD)/bin/bench: $(call obj,$(BENCH_SRC)) $(foreach c,$(BENCH_CHAPTERS),$(call impl_objs,$(c),solutions) $(call obj,$(call given_of,$(c)))) $(COMMON_LIB)
	@mkdir -p $(@D)
	$(call say,LD,$@)$(CC) $(SANLINK) $^ $(LDLIBS) $(BENCH_BLAS_LIBS) -o $@
$(BUILD)/obj/bench/%.o: bench/%.c $(FLAGS_STAMP)
	@mkdir -p $(@D)
	$(call say,CC,$<)$(CC) $(WARN) -Werror $(OPT) $(CFLAGS) $(CPPFLAGS_ALL) $(BENCH_BLAS_CFLAGS) $(foreach c,$(BENCH_CHAPTERS),-Ichapters/$(c)) -MMD -MP -c $< -o $@

# ---------------------------------------------------------------- testing
# Sanitizers slow the suites down; give each test proportionally more time.
ifeq ($(SAN),1)
  TEST_ENV := CK_TIMEOUT_MULTIPLIER=10 ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1
else
  TEST_ENV :=
endif

# Everything is built first, in parallel; then the suites run one after
# another so that their reports do not interleave.
TEST_BINS := $(BUILD)/bin/test_common $(foreach c,$(CHAPTERS),$(BUILD)/bin/test_$(c)-solutions $(BUILD)/bin/test_$(c)-stubs)
DRIVER_BINS := $(foreach c,$(CHAPTERS),$(BUILD)/bin/$(c) $(BUILD)/bin/$(c)-stubs)
test: $(TEST_BINS) $(DRIVER_BINS)
	@$(MAKE) --no-print-directory SERIAL=1 test-common test-chapters drift bite drivers bad-input
	@echo "make test: all suites pass, exercises match solutions, every exercise's tests fail on its stub, every program runs at its smallest settings and refuses bad input."

test-common: $(BUILD)/bin/test_common
	@echo "== common"; $(TEST_ENV) $<

test-chapters: $(foreach c,$(CHAPTERS),$(BUILD)/bin/test_$(c)-solutions)
	@set -e; for c in $(CHAPTERS); do echo "== chapter $$c (solutions)"; $(TEST_ENV) $(BUILD)/bin/test_$$c-solutions; done

# Bad command lines, unwritable folders, full disks, failing gnuplots, Ctrl-C:
# a clear message, a non-zero status, and no half-written file (tests/bad_input.table).
test: $(foreach c,$(CHAPTERS),$(BUILD)/bin/$(c))
bad-input: $(foreach c,$(CHAPTERS),$(BUILD)/bin/$(c))
	@echo "== bad input"; sh tests/bad_input.sh $(BUILD) $(CHAPTERS)

# Each numeric option of every chapter alone at its smallest value (all of them
# together: `drivers`); for maintainers, e.g. make SAN=1 min-values.
min-values: $(foreach c,$(CHAPTERS),$(BUILD)/bin/$(c))
	@echo "== minimum values"; sh tests/min_values.sh $(BUILD) $(CHAPTERS)

# exercises/ must be exactly what tools/exercise.awk makes of solutions/.
drift:
	@sh tools/drift.sh $(CHAPTERS)

# Every chapter program runs with --quick and each of its options at its
# smallest value (under SAN=1: with the sanitizers watching); built on the
# stubs, it names an unfinished exercise and points to make check.
drivers: $(DRIVER_BINS)
	@$(TEST_ENV) sh tests/drivers.sh $(BUILD) $(CHAPTERS)

# Every exercise function has a test case of its own name that fails on the stub.
bite: $(foreach c,$(CHAPTERS),$(BUILD)/bin/test_$(c)-stubs)
	@sh tools/bite.sh $(BUILD) $(CHAPTERS)

# ---------------------------------------------------------------- fuzzing
# For maintainers, not in CI. `make fuzz [FUZZ_S=60]` runs every harness
# fuzz/NAME.c for FUZZ_S seconds (default 10) under libFuzzer with ASan and
# UBSan (Debian: clang-14, libclang-rt-14-dev), from the seed corpus
# fuzz/corpus/NAME/ with the dictionary fuzz/NAME.dict. New inputs collect in
# build/fuzz/corpus/NAME/, a crashing input in build/fuzz/crashes/NAME/; the
# logs in build/fuzz/NAME.log. FUZZ_LINKS_NAME: chapters whose code NAME links.
FUZZ_S ?= 10
FUZZ_HARNESSES := $(patsubst fuzz/%.c,%,$(wildcard fuzz/*.c))
FUZZ_LINKS_mlp_load := 04_nn
fuzz_links = $(foreach c,$(FUZZ_LINKS_$(1)),$(call obj,$(call srcs_of,$(c),solutions) $(call given_of,$(c))))

$(BUILD)/obj/fuzz/%.o: fuzz/%.c $(FLAGS_STAMP)
	@mkdir -p $(@D)
	$(call say,CC,$<)$(CC) $(WARN) -Werror $(OPT) $(CFLAGS) $(CPPFLAGS_ALL) $(foreach c,$(FUZZ_LINKS_$*),-Ichapters/$(c)) -MMD -MP -c $< -o $@

define fuzz_rule
$(BUILD)/bin/fuzz_$(1): $(BUILD)/obj/fuzz/$(1).o $(call fuzz_links,$(1)) $(COMMON_LIB)
	@mkdir -p $$(@D)
	$$(call say,LD,$$@)$$(CC) -fsanitize=fuzzer,address,undefined $$^ $(LDLIBS) -o $$@
endef
$(foreach h,$(FUZZ_HARNESSES),$(eval $(call fuzz_rule,$(h))))
fuzz-bins: $(foreach h,$(FUZZ_HARNESSES),$(BUILD)/bin/fuzz_$(h))
	@:

.PHONY: fuzz fuzz-bins bad-input min-values
fuzz:
	@$(MAKE) --no-print-directory FUZZ=1 fuzz-bins
	@sh fuzz/run.sh build/fuzz $(FUZZ_S) $(FUZZ_HARNESSES)

# ---------------------------------------------------------------- student and instructor
# CH=1, CH=01 and CH=01_dp all name chapter 01_dp.
CH_NUM = $(if $(filter 1 2 3 4 5 6 7 8 9,$(CH)),0$(CH),$(CH))
CH_DIR = $(or $(filter $(CH),$(CHAPTERS)),$(call chapter,$(CH_NUM)))
need_ch = $(if $(CH),$(if $(CH_DIR),,$(error no chapter $(CH); chapters: $(CHAPTERS))),$(error give a chapter: CH=01))
BIN_SUFFIX = $(if $(filter exercises,$(IMPL)),-exercises,$(if $(filter solutions,$(IMPL)),,$(error IMPL must be solutions or exercises)))

# The student tools (tools/*.sh, sharing tools/grading.sh) say what failed and
# what to do next. When they fail, make then stops without adding its own
# "make: *** [Makefile:NN: check] Error 1": SIGPIPE is the one signal that
# shells do not announce, and make's exit status stays non-zero (141). V=1
# keeps make's usual report.
student_fail = $(if $(filter 1,$(V)),exit 1,kill -PIPE $$PPID)
TOOL_ENV = MAKE="$(MAKE)" V=$(V) $(TEST_ENV)

run:
	$(need_ch)
	@$(MAKE) --no-print-directory $(if $(filter 1,$(V)),,-s) $(BUILD)/bin/$(CH_DIR)$(BIN_SUFFIX)
	@echo "$(BUILD)/bin/$(CH_DIR)$(BIN_SUFFIX) $(ARGS)"; $(BUILD)/bin/$(CH_DIR)$(BIN_SUFFIX) $(ARGS) || $(student_fail)
	@if [ "$(IMPL)" = exercises ] && [ -z "$(findstring --out,$(ARGS))$(findstring none,$(ARGS))" ] && [ -d plots/$(CH_DIR)-exercises ]; then \
	   echo "Your code's figures:   plots/$(CH_DIR)-exercises/"; \
	   if [ -d plots/$(CH_DIR) ]; then echo "The reference figures: plots/$(CH_DIR)/ (compare them)"; \
	   else echo "The reference figures: none yet (make run CH=$(CH_NUM) draws them into plots/$(CH_DIR)/)"; fi; fi

check:
	$(need_ch)
	+@$(TOOL_ENV) sh tools/check.sh $(BUILD) $(CH_DIR) || $(student_fail)

next:
	+@$(TOOL_ENV) sh tools/next.sh $(BUILD) $(CHAPTERS)

hint:
	+@$(TOOL_ENV) sh tools/hint.sh $(BUILD) "$(EX)" $(CHAPTERS) || $(student_fail)

watch:
	$(need_ch)
	+@$(TOOL_ENV) sh tools/watch.sh $(BUILD) $(CH_DIR)

progress:
	+@$(TOOL_ENV) sh tools/progress.sh $(BUILD) $(CHAPTERS)

plots: $(foreach c,$(CHAPTERS),$(BUILD)/bin/$(c))
	@set -e; for c in $(CHAPTERS); do echo "== chapter $$c"; $(BUILD)/bin/$$c --plot $(FORMAT) --out plots/$$c; done
	@echo "Figures, with the .gp script and data beside each, are under plots/."

# The figures chapter READMEs show inline (chapters/NN_topic/figures/, listed in
# figures.txt there): regenerate them with the default seed (CH=NN for one
# chapter), or say which committed ones are stale (not part of make test).
README_FIG_CHAPTERS = $(if $(CH),$(CH_DIR),$(CHAPTERS))
readme-figures: $(foreach c,$(README_FIG_CHAPTERS),$(BUILD)/bin/$(c))
	@sh tools/readme_figures.sh write $(BUILD) $(README_FIG_CHAPTERS)
readme-figures-check: $(foreach c,$(README_FIG_CHAPTERS),$(BUILD)/bin/$(c))
	@sh tools/readme_figures.sh check $(BUILD) $(README_FIG_CHAPTERS)

# One thread everywhere, and OpenBLAS at its best. Debian 12's OpenBLAS 0.3.21
# detects AVX-512 AMD CPUs as Cooperlake (or Haswell, 256-bit); on the course's
# machine its SkylakeX kernels make PyTorch's denoiser step 1.4x faster than
# Cooperlake's and 2x faster than Haswell's (its sgemm alone: equal, and 1.8x),
# so both comparisons use them on any CPU with AVX-512 F/BW/DQ/VL, whatever
# OPENBLAS_CORETYPE the environment holds. BLAS_CORETYPE=Haswell (say)
# chooses others, BLAS_CORETYPE= lets OpenBLAS pick. The bench prints which ran.
AVX512_CPU    := $(shell grep -qw avx512bw /proc/cpuinfo 2>/dev/null && grep -qw avx512vl /proc/cpuinfo && grep -qw avx512dq /proc/cpuinfo && echo y)
BLAS_CORETYPE ?= $(if $(AVX512_CPU),SkylakeX)
BENCH_ENV     := env -u OPENBLAS_CORETYPE OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 \
  $(if $(BLAS_CORETYPE),OPENBLAS_CORETYPE=$(BLAS_CORETYPE))

bench: $(BUILD)/bin/bench
	$(BENCH_ENV) $(BUILD)/bin/bench $(ARGS)

# The MLP and tiny-diffusion workloads in C and in PyTorch, alternately (bench/torch/). PyTorch is
# Debian's python3-torch (run by /usr/bin/python3, whatever python3 is first on
# PATH) on the single-threaded OpenBLAS of libopenblas0-serial, which
# LD_LIBRARY_PATH puts before the default BLAS. Nothing else needs Python.
TORCH_PYTHON    := /usr/bin/python3
OPENBLAS_SERIAL := $(firstword $(wildcard /usr/lib/*/openblas-serial/libblas.so.3))
bench-torch: $(BUILD)/bin/bench
	@if ! $(TORCH_PYTHON) -c 'import torch' 2>/dev/null || [ -z "$(OPENBLAS_SERIAL)" ]; then \
	   echo "make bench-torch needs PyTorch and the single-threaded OpenBLAS from Debian:"; \
	   echo "  sudo apt-get install python3-torch libopenblas0-serial"; exit 2; fi
	$(BENCH_ENV) LD_LIBRARY_PATH=$(dir $(OPENBLAS_SERIAL)) $(TORCH_PYTHON) bench/torch/bench_torch.py --bench $(BUILD)/bin/bench $(ARGS)

# ---------------------------------------------------------------- mutants
# make mutants [CH=NN]: apply each plausible-mistake mutant of tests/mutants/NN/ to a
# scratch copy of solutions/ (build/mutants/, never the real tree), rebuild the
# chapter's suite and report caught/total and every survivor. Slow; not in CI.
.PHONY: mutants
mutants:
	$(if $(CH),$(need_ch))
	@sh tools/mutants.sh $(if $(CH),$(CH_DIR),)

# Regenerate exercises/ from solutions/ (overwrites student work: asks first).
exercises:
	@sh tools/drift.sh --write $(CHAPTERS)

deps:
	@if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	 $$SUDO apt-get update && $$SUDO apt-get install -y --no-install-recommends $(APT_PACKAGES)

clean:
	rm -rf build plots

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)

# kensa - cloud configuration compliance scanner.
#
#   make            build build/kensa (optimised)
#   make demo       bootstrap, build, scan the bundled demo tenant against ismap-moderate
#   make check      bootstrap, build, run every test under ASan+UBSan (Criterion)
#   make install PREFIX=/usr/local
#   make valgrind   the demo scan, every format, under valgrind memcheck (zero errors, no leaks)
#   make bench      benchmarks against peers, printed as ratios (bench/, docs/performance.md)
#   make fuzz       build the libFuzzer targets (clang) into build/fuzz/
#   make fuzz-smoke run each fuzz target for FUZZ_SECONDS (default 60) from seeds
#   make docs       regenerate docs/controls/ (controls per baseline, en and ja) from baselines/
#
# Sources are discovered: a new .c under src/ or providers/ joins the library,
# a new .c under tests/unit/ joins the test binary. No registration step.

VERSION  := 0.1.0
PREFIX   ?= /usr/local
DESTDIR  ?=
CC       ?= cc
PKGS     := libcurl libcjson openssl libpcre2-8 expat sqlite3

PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CRIT_CFLAGS := $(shell pkg-config --cflags criterion 2>/dev/null)
CRIT_LIBS   := $(shell pkg-config --libs criterion 2>/dev/null)

WARN     := -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wstrict-prototypes -Wmissing-prototypes
BASEFLAGS := -std=c11 -D_GNU_SOURCE -DKENSA_VERSION=\"$(VERSION)\" -Iinclude -pthread $(WARN) $(PKG_CFLAGS)
CFLAGS   ?= -O2 -g
SANFLAGS := -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

LIB_SRC  := $(shell find src providers -name '*.c' ! -path 'src/cli/main.c' 2>/dev/null | sort)
MAIN_SRC := src/cli/main.c
TEST_SRC := $(shell find tests/unit -name '*.c' 2>/dev/null | sort)

OBJ      := $(LIB_SRC:%.c=build/obj/%.o)
SAN_OBJ  := $(LIB_SRC:%.c=build/asan/obj/%.o)
TEST_OBJ := $(TEST_SRC:%.c=build/asan/obj/%.o)

.PHONY: all deps demo check test install uninstall clean lint fuzz fuzz-smoke bench valgrind
all: build/kensa

deps:
	@scripts/bootstrap

build/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(BASEFLAGS) $(CFLAGS) -MMD -MP -c $< -o $@

build/asan/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(BASEFLAGS) $(SANFLAGS) $(CRIT_CFLAGS) -MMD -MP -c $< -o $@

build/libkensa.a: $(OBJ)
	@rm -f $@
	ar rcs $@ $^

build/asan/libkensa.a: $(SAN_OBJ)
	@rm -f $@
	ar rcs $@ $^

build/kensa: build/obj/src/cli/main.o build/libkensa.a
	$(CC) $(CFLAGS) -pthread -o $@ $^ $(PKG_LIBS) -lm

build/asan/kensa: build/asan/obj/src/cli/main.o build/asan/libkensa.a
	$(CC) $(SANFLAGS) -pthread -o $@ $^ $(PKG_LIBS) -lm

build/asan/kensa-tests: $(TEST_OBJ) build/asan/libkensa.a
	$(CC) $(SANFLAGS) -pthread -o $@ $^ $(CRIT_LIBS) $(PKG_LIBS) -lm

DEMO_NOW := 2026-11-01T00:00:00Z
demo: deps
	@$(MAKE) --no-print-directory build/kensa
	@mkdir -p build/demo
	@rc=0; build/kensa scan --snapshot fixtures/demo/tenant.jsonl --baseline ismap-moderate \
	    --now $(DEMO_NOW) --output build/demo --format json,html,md,sarif,junit,csv,ocsf || rc=$$?; \
	  echo "kensa exited $$rc (0 clean, 1 failing findings, 2 usage/rule error, 3 partial scan)"; \
	  echo "reports: build/demo/ (findings.json, report.html, summary.md, ...)"; \
	  [ $$rc -ne 2 ]

# Unit, rule-data and end-to-end tests, all in one Criterion binary under ASan+UBSan.
# ASan's exit code is moved off kensa's own codes so a sanitizer report can never
# pass for an expected exit status.
check: deps
	@$(MAKE) --no-print-directory build/asan/kensa build/asan/kensa-tests build/kensa
	@scripts/check-banned
	@ASAN_OPTIONS=detect_leaks=1:exitcode=99:abort_on_error=0 \
	 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	 KENSA_BIN=$(CURDIR)/build/asan/kensa KENSA_SRC=$(CURDIR) KENSA_HOME=$(CURDIR) \
	 scripts/run-tests build/asan/kensa-tests --jobs 2 $(TEST_ARGS)

test: check

# docs/controls/ is generated from the baselines and rules, never edited by hand;
# tests/unit/cli/test_docs_sync.c fails when it is out of date. Written to a
# scratch directory first, so a failing run leaves the committed files alone.
DOC_BASELINES := ismap-low ismap-moderate ismap-high ismap-moderate+govcloud
.PHONY: docs
docs: build/kensa
	@rm -rf build/docs-controls && mkdir -p build/docs-controls docs/controls
	@for b in $(DOC_BASELINES); do for l in en ja; do \
	  build/kensa controls --baselines-dir baselines --baseline $$b --lang $$l \
	    > build/docs-controls/$$b.$$l.md || exit 1; done; done
	@build/kensa controls --baselines-dir baselines --index $(DOC_BASELINES) \
	  > build/docs-controls/README.md
	@rm -f docs/controls/*.md && cp build/docs-controls/*.md docs/controls/
	@echo "docs/controls/: $$(ls build/docs-controls | wc -l) files from baselines/"

install: build/kensa
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/kensa
	install -m 0755 build/kensa $(DESTDIR)$(PREFIX)/bin/kensa
	rm -rf $(DESTDIR)$(PREFIX)/share/kensa/baselines
	cp -R baselines $(DESTDIR)$(PREFIX)/share/kensa/baselines
	find $(DESTDIR)$(PREFIX)/share/kensa/baselines -type d -exec chmod 0755 {} +
	find $(DESTDIR)$(PREFIX)/share/kensa/baselines -type f -exec chmod 0644 {} +

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/kensa
	rm -rf $(DESTDIR)$(PREFIX)/share/kensa

lint:
	cppcheck --quiet --error-exitcode=1 --enable=warning,performance,portability \
	  --suppress=missingIncludeSystem -Iinclude src providers

clean:
	rm -rf build

# The optimised binary (what users run), not the sanitized one: memcheck and
# ASan cannot share a process.
valgrind: deps
	@$(MAKE) --no-print-directory build/kensa
	@command -v valgrind >/dev/null || { echo "valgrind is not installed" >&2; exit 1; }
	@rm -rf build/valgrind && mkdir -p build/valgrind
	@rc=0; valgrind --quiet --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
	    --show-leak-kinds=definite build/kensa scan --snapshot fixtures/demo/tenant.jsonl \
	    --baseline ismap-high+govcloud --now $(DEMO_NOW) --waivers fixtures/waivers/demo.jsonl \
	    --format json,html,md,sarif,junit,csv,ocsf --output build/valgrind -q --threads 2 || rc=$$?; \
	  if [ $$rc -eq 99 ]; then echo "valgrind: memcheck reported errors" >&2; exit 1; fi; \
	  [ $$rc -le 3 ] && [ $$rc -ne 2 ] || { echo "valgrind: kensa exited $$rc" >&2; exit 1; }; \
	  echo "valgrind: demo scan (7 formats, waivers, 2 threads) clean: no memcheck errors, no definite leaks"

build/bench/parse_floor: bench/parse_floor.c
	@mkdir -p $(dir $@)
	$(CC) $(BASEFLAGS) -O2 -o $@ $< $(PKG_LIBS)

bench:
	@scripts/bootstrap bench
	@bench/run-eval $(BENCH_SIZES)

# libFuzzer targets: the library rebuilt with clang and fuzzer instrumentation.
FUZZ_CC      := clang
FUZZ_FLAGS   := -g -O1 -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all
FUZZ_SRC     := $(wildcard fuzz/fuzz_*.c)
FUZZ_BINS    := $(FUZZ_SRC:fuzz/%.c=build/fuzz/%)
FUZZ_OBJ     := $(LIB_SRC:%.c=build/fuzz/obj/%.o)
FUZZ_SECONDS ?= 60

build/fuzz/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(BASEFLAGS) $(FUZZ_FLAGS) -MMD -MP -c $< -o $@

build/fuzz/libkensa.a: $(FUZZ_OBJ)
	@rm -f $@
	ar rcs $@ $^

build/fuzz/%: fuzz/%.c build/fuzz/libkensa.a
	$(FUZZ_CC) $(BASEFLAGS) -g -O1 -fsanitize=fuzzer,address,undefined -o $@ $< build/fuzz/libkensa.a $(PKG_LIBS) -lm

fuzz:
	@scripts/bootstrap fuzz
	@$(MAKE) --no-print-directory $(FUZZ_BINS)

fuzz-smoke: fuzz
	@scripts/fuzz-smoke $(FUZZ_SECONDS) $(FUZZ_BINS)

-include $(OBJ:.o=.d) $(SAN_OBJ:.o=.d) $(TEST_OBJ:.o=.d) $(FUZZ_OBJ:.o=.d) build/obj/src/cli/main.d build/asan/obj/src/cli/main.d

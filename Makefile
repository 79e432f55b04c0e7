# modeldeck: one plain Makefile (Redis mould).
#   make            build/modeldeck and build/modeldeck-hostd
#   make run        demo fleet + console          make test    every test tier
#   make bench      benchmarks (ratios)           make asan    tests under ASan+UBSan
#   make fuzz       libFuzzer harnesses           make install PREFIX/DESTDIR/SYSCONFDIR/LOCALSTATEDIR
#   make deps       install missing Debian packages (as root), else print the apt-get line
# V=1 shows the commands.  SANITIZER=address,undefined builds with sanitizers.

PREFIX        ?= /usr/local
SYSCONFDIR    ?= /etc
LOCALSTATEDIR ?= /var/lib
BINDIR        ?= $(PREFIX)/bin
DATADIR       ?= $(PREFIX)/share
MANDIR        ?= $(DATADIR)/man
DESTDIR       ?=

BUILD     ?= build
CC        ?= cc
WARN      ?= -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wno-format-nonliteral
OPT       ?= -O2
DEBUG     ?= -g
STD        = -std=c11 -D_GNU_SOURCE
SANITIZER ?=
PKGS       = ncursesw sqlite3 libcurl libpcre2-8 libcjson libcrypto
HOSTD_PKGS = libmicrohttpd libcjson gnutls

ifneq ($(SANITIZER),)
SANFLAGS = -fsanitize=$(SANITIZER) -fno-omit-frame-pointer -fno-sanitize-recover=all
OPT      = -O1
endif

PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
HOSTD_CFLAGS := $(shell pkg-config --cflags $(HOSTD_PKGS) 2>/dev/null)
HOSTD_LIBS   := $(shell pkg-config --libs $(HOSTD_PKGS) 2>/dev/null)
FINAL_CFLAGS  = $(STD) $(WARN) $(OPT) $(DEBUG) $(SANFLAGS) -Isrc -I. $(PKG_CFLAGS) $(CFLAGS) -MMD -MP
FINAL_LDFLAGS = $(SANFLAGS) $(LDFLAGS)
FINAL_LIBS    = $(PKG_LIBS) -lm $(LIBS)

# The core library: everything under src/ except the console shell (term, ui),
# the reference host and main.  paths.c is compiled twice (personal/installed).
CORE_SRC  := $(filter-out src/term/% src/ui/% src/hostd/% src/config/paths.c,$(wildcard src/*/*.c))
UI_SRC    := $(wildcard src/term/*.c src/ui/*.c screens/*.c)
HOSTD_SRC := $(wildcard src/hostd/*.c)
CORE_OBJ  := $(CORE_SRC:%.c=$(BUILD)/obj/%.o)
UI_OBJ    := $(UI_SRC:%.c=$(BUILD)/obj/%.o)
HOSTD_OBJ := $(HOSTD_SRC:%.c=$(BUILD)/obj/%.o)
UNIT_SRC  := $(wildcard tests/unit/test_*.c)
UNIT_BIN  := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
BENCH_SRC := $(wildcard tests/bench/bench_*.c)
BENCH_BIN := $(BENCH_SRC:tests/bench/%.c=$(BUILD)/bench/%)
FUZZ_SRC  := $(wildcard tests/fuzz/fuzz_*.c)

LIB        = $(BUILD)/libmodeldeck.a
UI_LIB     = $(BUILD)/libmodeldeck-ui.a
PATHS_DEV  = $(BUILD)/obj/paths-personal.o
PATHS_INST = $(BUILD)/obj/paths-installed.o

ifeq ($(V),1)
Q =
else
Q = @
endif
cmd = @printf '  %-6s %s\n' '$(1)' '$(2)';

.PHONY: FORCE all deps run test test-only bench asan fuzz install clean check-layers
all: $(BUILD)/modeldeck $(if $(HOSTD_SRC),$(BUILD)/modeldeck-hostd) $(UNIT_BIN)

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(call cmd,CC,$<)$(CC) $(FINAL_CFLAGS) $(if $(filter src/hostd/%,$<),$(HOSTD_CFLAGS)) -c $< -o $@

$(PATHS_DEV): src/config/paths.c
	@mkdir -p $(dir $@)
	$(call cmd,CC,$< [personal])$(CC) $(FINAL_CFLAGS) -DMD_INSTALLED=0 -c $< -o $@

# The installed paths are compiled in: rebuild when they change.
INSTALL_DIRS = $(SYSCONFDIR)|$(LOCALSTATEDIR)|$(DATADIR)
$(BUILD)/installdirs.stamp: FORCE
	@mkdir -p $(dir $@)
	@echo '$(INSTALL_DIRS)' | cmp -s - $@ || echo '$(INSTALL_DIRS)' > $@
FORCE:

# Keep the test and bench objects (make would delete them as intermediates).
.SECONDARY:

$(PATHS_INST): src/config/paths.c $(BUILD)/installdirs.stamp
	@mkdir -p $(dir $@)
	$(call cmd,CC,$< [installed])$(CC) $(FINAL_CFLAGS) -DMD_INSTALLED=1 \
	  -DMD_SYSCONFDIR='"$(SYSCONFDIR)"' -DMD_LOCALSTATEDIR='"$(LOCALSTATEDIR)"' \
	  -DMD_DATADIR='"$(DATADIR)"' -c $< -o $@

$(LIB): $(CORE_OBJ)
	$(call cmd,AR,$@)rm -f $@ && ar rcs $@ $^

# The console's layers as a library too, so unit tests can draw screens on
# the text canvas (an archive: a test links only what it uses).
$(UI_LIB): $(UI_OBJ)
	$(call cmd,AR,$@)rm -f $@ && ar rcs $@ $^

$(BUILD)/modeldeck: $(BUILD)/obj/src/main.o $(UI_OBJ) $(PATHS_DEV) $(LIB)
	$(call cmd,LINK,$@)$(CC) $(FINAL_LDFLAGS) -o $@ $^ $(FINAL_LIBS)

$(BUILD)/modeldeck-installed: $(BUILD)/obj/src/main.o $(UI_OBJ) $(PATHS_INST) $(LIB)
	$(call cmd,LINK,$@)$(CC) $(FINAL_LDFLAGS) -o $@ $^ $(FINAL_LIBS)

$(BUILD)/modeldeck-hostd: $(HOSTD_OBJ) $(LIB)
	$(call cmd,LINK,$@)$(CC) $(FINAL_LDFLAGS) -o $@ $^ $(HOSTD_LIBS) $(FINAL_LIBS)

# Tests and benches: compile to an object first, so -MMD records the
# headers each includes and a changed header rebuilds them.
$(BUILD)/tests/%: $(BUILD)/obj/tests/unit/%.o $(PATHS_DEV) $(UI_LIB) $(LIB)
	@mkdir -p $(dir $@)
	$(call cmd,LINK,$@)$(CC) $(FINAL_LDFLAGS) -o $@ $^ $(FINAL_LIBS)

$(BUILD)/bench/%: $(BUILD)/obj/tests/bench/%.o $(PATHS_DEV) $(LIB)
	@mkdir -p $(dir $@)
	$(call cmd,LINK,$@)$(CC) $(FINAL_LDFLAGS) -o $@ $^ $(FINAL_LIBS)

# Debian packages: build, run, tests (tmux, sqlite3 shell, prometheus, openssl,
# python reference implementations) and benchmarks (pandas, curl).
DEB_PKGS = gcc make pkg-config libncurses-dev libsqlite3-dev libcurl4-openssl-dev \
  libpcre2-dev libcjson-dev libssl-dev libmicrohttpd-dev libgnutls28-dev \
  sqlite3 tmux curl openssl prometheus procps passwd util-linux \
  python3 python3-numpy python3-scipy python3-sklearn python3-pandas clang valgrind

deps:
	@missing=$$(for p in $(DEB_PKGS); do \
	  dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; done); \
	[ -z "$$missing" ] && exit 0; \
	missing=$$(echo $$missing); \
	if [ "$$(id -u)" != 0 ]; then \
	  echo "modeldeck: missing Debian packages; run:"; \
	  echo "  sudo apt-get install -y $$missing"; exit 1; fi; \
	echo "  DEPS   apt-get install $$missing"; \
	export DEBIAN_FRONTEND=noninteractive; \
	if [ -z "$$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' 2>/dev/null | head -1)" ]; then \
	  apt-get update -qq || exit 1; fi; \
	apt-get install -y -qq --no-install-recommends $$missing >/dev/null || \
	  { apt-get update -qq && apt-get install -y -qq --no-install-recommends $$missing >/dev/null; }

run: deps
	@$(MAKE) --no-print-directory all
	@sh src/scripts/demo.sh $(BUILD)

check-layers:
	@sh tests/check-layers.sh

test: deps
	@$(MAKE) --no-print-directory all
	@sh tests/run.sh $(BUILD)

# test-only: what asan runs after building into its own directory.
test-only: all
	@sh tests/run.sh $(BUILD)

asan: deps
	@$(MAKE) --no-print-directory BUILD=build/asan SANITIZER=address,undefined test-only

bench: deps
	@$(MAKE) --no-print-directory all $(BENCH_BIN)
	@sh tests/bench/run.sh $(BUILD)

fuzz: deps
	@sh tests/fuzz/run.sh $(BUILD)

install: $(BUILD)/modeldeck-installed $(BUILD)/modeldeck-hostd
	@PREFIX='$(PREFIX)' BINDIR='$(BINDIR)' DATADIR='$(DATADIR)' MANDIR='$(MANDIR)' \
	  SYSCONFDIR='$(SYSCONFDIR)' LOCALSTATEDIR='$(LOCALSTATEDIR)' DESTDIR='$(DESTDIR)' \
	  BUILD='$(BUILD)' sh src/scripts/install.sh

clean:
	rm -rf build

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

# handout: patient answers to personalised PDF handouts. Plain make; see README.md.
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
DATADIR ?= $(PREFIX)/share/handout
MANDIR ?= $(PREFIX)/share/man
DESTDIR ?=

CC ?= cc
PKG_CONFIG ?= pkg-config
CFLAGS ?= -O2 -g
WARN = -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wno-missing-field-initializers
XML_CFLAGS := $(shell $(PKG_CONFIG) --cflags libxml-2.0 2>/dev/null)
XML_LIBS := $(shell $(PKG_CONFIG) --libs libxml-2.0 2>/dev/null)
CHECK_CFLAGS := $(shell $(PKG_CONFIG) --cflags check 2>/dev/null)
CHECK_LIBS := $(shell $(PKG_CONFIG) --libs check 2>/dev/null)
# libharu ships no .pc file in Debian bookworm.
HPDF_LIBS = -lhpdf
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE $(WARN) $(XML_CFLAGS) $(PNG_CFLAGS) $(YAJL_CFLAGS) $(CFLAGS)
PNG_CFLAGS := $(shell $(PKG_CONFIG) --cflags libpng 2>/dev/null)
PNG_LIBS := $(shell $(PKG_CONFIG) --libs libpng 2>/dev/null)
ZLIB_LIBS := $(shell $(PKG_CONFIG) --libs zlib 2>/dev/null)
JSON_LIBS := $(shell $(PKG_CONFIG) --libs jansson 2>/dev/null)
# yajl: FHIR JSON read as a stream (a Bundle of any size in bounded memory, line numbers).
YAJL_CFLAGS := $(shell $(PKG_CONFIG) --cflags yajl 2>/dev/null)
YAJL_LIBS := $(shell $(PKG_CONFIG) --libs yajl 2>/dev/null)
# nettle: SHA-256 for the manifest, SHA-1 and base64 for the DocumentReference's hash.
NETTLE_LIBS := $(shell $(PKG_CONFIG) --libs nettle 2>/dev/null)
# libdeflate: page contents and font programs deflated faster and smaller than zlib (issue 14).
DEFLATE_LIBS := $(shell $(PKG_CONFIG) --libs libdeflate 2>/dev/null)
LIBS = $(XML_LIBS) $(PNG_LIBS) $(ZLIB_LIBS) $(JSON_LIBS) $(YAJL_LIBS) $(NETTLE_LIBS) -lcsv $(DEFLATE_LIBS) $(HPDF_LIBS) -lm -lpthread

LIB_SRC = src/image.c src/util.c src/diag.c src/xml.c src/questionnaire.c src/locale.c src/content.c src/condition.c src/content_claims.c src/patient.c src/fhir.c src/fhir_write.c \
	src/read_native.c src/read_fhir_xml.c src/read_fhir_json.c src/text_lines.c src/read_csv.c src/reader.c \
	src/selection.c src/json.c src/settings.c src/template.c src/document.c src/breaks.c src/fonts.c src/layout.c src/layout_page.c src/layout_dump.c src/layout_tags.c \
	src/pdf.c src/pdf_font.c src/pdf_stream.c src/pdf_page.c src/pdf_image.c src/pdf_tags.c src/pdf_record.c src/fingerprint.c src/logo.c src/output.c src/mail.c src/out_mailing.c src/out_report.c src/out_docref.c src/out_pdf.c src/out_list.c src/pipeline.c src/ask.c src/svgpath.c src/svg.c src/digest.c src/manifest.c src/batch.c
LIB_OBJ = $(LIB_SRC:src/%.c=build/%.o)
TEST_SRC = $(filter-out tests/gen_patients.c tests/bench_floor.c tests/bench_cpu.c,$(wildcard tests/*.c))
# The fuzz harnesses, built into the test binary to replay their corpus (check_fuzz.c).
FUZZ_NAMES = answers settings template content svg svgpath fhir_xml fhir_json csv batch
FUZZ_REPLAY_OBJ = $(FUZZ_NAMES:%=build/tests/fuzz/fuzz_%.o) build/tests/fuzz/fuzz_common.o
TEST_OBJ = $(TEST_SRC:tests/%.c=build/tests/%.o) $(FUZZ_REPLAY_OBJ)

.PHONY: all check demo deps clean install uninstall sanitize valgrind fonts fonts-cjk golden bench pages fuzz validators format format-check FORCE
TEMPLATES = a4 letter a4-large letter-large

all: handout

build/%.o: src/%.c src/*.h | build
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

build/tests/%.o: tests/%.c tests/*.h src/*.h | build
	$(CC) $(ALL_CFLAGS) $(CHECK_CFLAGS) -Isrc -c -o $@ $<

build/tests/fuzz/%.o: tests/fuzz/%.c tests/fuzz/fuzz.h src/*.h | build
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -DFUZZ_REPLAY -Isrc -c -o $@ $<

build:
	mkdir -p build/tests/fuzz

# The data folder the program looks in, rewritten only when DATADIR (PREFIX) differs from
# the one main.o was built with: `make install PREFIX=...` after any earlier build then
# rebuilds main.o for the folder it installs into.
build/datadir.h: FORCE | build
	@printf '#define HANDOUT_DATADIR "%s"\n' '$(DATADIR)' > $@.new
	@if cmp -s $@.new $@; then rm -f $@.new; else mv $@.new $@; fi

build/main.o: src/main.c src/*.h build/datadir.h | build
	$(CC) $(ALL_CFLAGS) -Ibuild -c -o $@ $<

handout: build/main.o $(LIB_OBJ)
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(LIBS)

build/gen_patients: tests/gen_patients.c | build
	$(CC) $(ALL_CFLAGS) -o $@ $<

build/bench_cpu: tests/bench_cpu.c | build
	$(CC) $(ALL_CFLAGS) -o $@ $<

build/bench_floor: tests/bench_floor.c $(LIB_OBJ) | build
	$(CC) $(ALL_CFLAGS) -Isrc -o $@ $^ $(LIBS)

# The batch tests generate their patients with build/gen_patients.
build/check_handout: $(TEST_OBJ) $(LIB_OBJ) | build/gen_patients
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(CHECK_LIBS) $(LIBS)

# Installs the Debian packages the build, the demo and the tests need (sudo when not root).
deps:
	@sh scripts/install-deps.sh

# The first command of README.md: set up, build, and make handouts for the example patients.
demo: deps
	$(MAKE) handout
	rm -rf out/demo && mkdir -p out/demo
	./handout build --settings examples/clinic.xml --date 2026-11-24 examples/patients.xml -o out/demo
	./handout batch -q --mailing din5008 --report --fhir-documents --settings examples/clinic.xml \
		--date 2026-11-24 examples/patients.xml -o out/demo/mailing
	@echo "Handouts for the example patients are in $(CURDIR)/out/demo; letters for window envelopes,"
	@echo "their print-ready bundle, the run report and DocumentReference.ndjson in $(CURDIR)/out/demo/mailing"

# FHIR validators nobody here wrote (Medplum's, FHIR.js's, HL7's JSON schema through Ajv), for
# the tests only: npm installs the versions tests/validators/package-lock.json pins into
# tests/validators/node_modules (ignored by git). handout never runs them.
VALIDATORS = tests/validators/node_modules/.installed
$(VALIDATORS): tests/validators/package.json tests/validators/package-lock.json
	cd tests/validators && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	touch $@

validators: $(VALIDATORS)

# The second command of README.md: set up, check the modules' includes and the C's layout,
# build and run every test.
check: deps
	@sh scripts/include-cycles.sh
	@$(MAKE) -s format-check
	$(MAKE) handout build/check_handout $(VALIDATORS)
	@T=$$(mktemp -d) && HANDOUT_DATA=$(CURDIR) HANDOUT_TEST_CFLAGS='$(CFLAGS)' TMPDIR=$$T ./build/check_handout; \
	rc=$$?; left=$$(ls -A $$T); rm -rf $$T; \
	if [ -n "$$left" ]; then echo "make check left $$left in its temporary folder" >&2; exit 1; fi; exit $$rc

# Pages over a generated population per template (PAGES_N patients, default 300): page
# counts, fill, what the breaks split; prints numbers, asserts nothing.
pages: deps
	$(MAKE) handout build/gen_patients
	sh scripts/pages.sh $(PAGES_N)

# Speed, size and memory on generated patients; prints numbers, asserts nothing.
bench: deps
	$(MAKE) handout build/gen_patients build/bench_floor build/bench_cpu
	sh scripts/bench.sh

# libFuzzer harnesses (clang) for every parser a user can feed: build/fuzz/NAME. Run one
# with `make fuzz` then `build/fuzz/answers tests/fuzz/corpus/answers` (see README.md);
# FUZZ_SECONDS=N runs each for N seconds over a scratch copy of its corpus.
FUZZ_CFLAGS = -std=c11 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined -fno-omit-frame-pointer \
	$(XML_CFLAGS) $(PNG_CFLAGS) $(YAJL_CFLAGS) -DFUZZ_DATA='"$(CURDIR)"' -Isrc -Itests/fuzz
fuzz:
	@sh scripts/install-deps.sh fuzz
	mkdir -p build/fuzz
	for n in $(FUZZ_NAMES); do \
		clang $(FUZZ_CFLAGS) -o build/fuzz/$$n tests/fuzz/fuzz_$$n.c tests/fuzz/fuzz_common.c $(LIB_SRC) $(LIBS) || exit 1; \
	done
	@if [ -n "$(FUZZ_SECONDS)" ]; then for n in $(FUZZ_NAMES); do \
		rm -rf build/fuzz/work-$$n && mkdir -p build/fuzz/work-$$n tests/fuzz/crashes/$$n && \
		cp tests/fuzz/corpus/$$n/* build/fuzz/work-$$n/ && \
		UBSAN_OPTIONS=halt_on_error=1 LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp build/fuzz/$$n -max_total_time=$(FUZZ_SECONDS) -rss_limit_mb=2048 -timeout=20 \
			-artifact_prefix=tests/fuzz/crashes/$$n/ -print_final_stats=1 build/fuzz/work-$$n 2>&1 | \
			grep -E 'stat::number_of_executed_units|ERROR|SUMMARY' | sed "s/^/$$n: /"; \
	done; fi

# gcc's -fsanitize=undefined leaves out float-cast-overflow (a double too large for the
# integer it is cast to): named here so that such a cast fails the tests too.
SANITIZE_CFLAGS = -O1 -g -fsanitize=address,undefined,float-cast-overflow -fno-omit-frame-pointer
sanitize: deps
	$(MAKE) clean
	$(MAKE) handout build/check_handout $(VALIDATORS) CFLAGS="$(SANITIZE_CFLAGS)"
	# ASan and UBSan make the tests two to three times slower: Check's timeouts are stretched
	# to match (the 4 s default of a case was overrun on a loaded machine).
	LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp UBSAN_OPTIONS=halt_on_error=1 CK_TIMEOUT_MULTIPLIER=4 \
		HANDOUT_DATA=$(CURDIR) HANDOUT_TEST_CFLAGS='$(SANITIZE_CFLAGS)' ./build/check_handout

valgrind: handout build/check_handout
	CK_FORK=no HANDOUT_DATA=$(CURDIR) valgrind --error-exitcode=1 --leak-check=full ./build/check_handout

# The C is laid out by the checked-in .clang-format (clang-format 14, Debian bookworm's):
# `make format` rewrites every file so; `make format-check` (part of `make check`) names any
# file that differs and fails.
CLANG_FORMAT ?= clang-format
FORMAT_FILES = $(wildcard src/*.c src/*.h tests/*.c tests/*.h tests/fuzz/*.c tests/fuzz/*.h)
format:
	$(CLANG_FORMAT) -i --style=file $(FORMAT_FILES)

format-check:
	@bad=0; for f in $(FORMAT_FILES); do $(CLANG_FORMAT) --style=file "$$f" | cmp -s - "$$f" || \
		{ echo "$$f: not as .clang-format lays it out (make format rewrites it)" >&2; bad=1; }; done; exit $$bad

# Rewrites the goldens that tests compare with (look at the diff before committing): the four
# large layout dumps, then every small golden of check_golden.c (tests/golden/blocks, diag and
# documents) and the examples' page renders of check_libharu.c (tests/golden/render.md5),
# written by those tests themselves from what they get.
golden: handout build/check_handout
	for t in $(TEMPLATES); do \
		./handout build --dump layout -t $$t --settings examples/clinic.xml --date 2026-11-24 \
			examples/patients.xml > tests/golden/$$t.layout || exit 1; \
	done
	@for s in golden libharu; do T=$$(mktemp -d) && HANDOUT_GOLDEN_WRITE=1 CK_RUN_SUITE=$$s \
		HANDOUT_DATA=$(CURDIR) TMPDIR=$$T ./build/check_handout; rc=$$?; rm -rf $$T; \
		[ $$rc -eq 0 ] || exit $$rc; done

# Rebuilds the subset fonts (needs python3-fonttools, fonts-noto-core and fonts-wqy-microhei;
# not part of the build). fonts-cjk rebuilds only fonts/WQYMicroHei-CJK.ttf (half a minute).
fonts:
	/usr/bin/python3 scripts/subset-fonts.py fonts

fonts-cjk:
	/usr/bin/python3 scripts/subset-fonts.py --only cjk fonts

install: handout
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR) $(DESTDIR)$(MANDIR)/man1
	install -m 755 handout $(DESTDIR)$(BINDIR)/handout
	cp -R content templates fonts $(DESTDIR)$(DATADIR)/
	install -m 644 man/handout.1 $(DESTDIR)$(MANDIR)/man1/handout.1

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/handout $(DESTDIR)$(MANDIR)/man1/handout.1
	rm -rf $(DESTDIR)$(DATADIR)

clean:
	rm -rf build handout out

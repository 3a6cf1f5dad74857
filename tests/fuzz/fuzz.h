/* fuzz.h: what the fuzz harnesses share. Each harness is one FUZZ_TARGET(name): built by
 * `make fuzz` with clang's libFuzzer as LLVMFuzzerTestOneInput, and into the test binary
 * (FUZZ_REPLAY) as fuzz_<name>, which replays tests/fuzz/corpus/<name>/ in `make check`. */
#ifndef HANDOUT_FUZZ_H
#define HANDOUT_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#ifdef FUZZ_REPLAY
#define FUZZ_TARGET(name) int fuzz_##name(const uint8_t *data, size_t size)
#else
#define FUZZ_TARGET(name)                                                                                    \
	int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);                                        \
	int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
#endif

/* The repository root: HANDOUT_DATA, else the folder `make fuzz` was run from. */
const char *fuzz_data_dir(void);
/* A private temporary folder for this process, made once, in $TMPDIR (else /tmp). */
const char *fuzz_temp_dir(void);
/* Writes data to fuzz_temp_dir()/name and returns the path (static). */
const char *fuzz_write(const char *name, const uint8_t *data, size_t size);
/* Diagnostics go nowhere (a fuzzer feeds broken input by the million). */
void fuzz_quiet(void);
/* Content, the a4 template and the fonts, loaded once (aborts when they cannot be). */
struct resources;
const struct resources *fuzz_resources(void);
/* The same with examples/clinic.xml (a clinic to send letters from, its logo) and the
 * fingerprint a batch needs; the logo cache is not used. */
const struct resources *fuzz_letter_resources(void);
/* Aborts (so the fuzzer keeps the input) when v is not a number a page can hold. */
void fuzz_assert_sane(double v, const char *what);

/* The patients of an input file (in any format handout reads, written as name), each
 * checked and selected for, the first valid one made into a whole handout. */
int fuzz_patients(const char *name, const uint8_t *data, size_t size);

int fuzz_fhir_xml(const uint8_t *data, size_t size);
int fuzz_fhir_json(const uint8_t *data, size_t size);
int fuzz_csv(const uint8_t *data, size_t size);
int fuzz_batch(const uint8_t *data, size_t size);
int fuzz_answers(const uint8_t *data, size_t size);
int fuzz_settings(const uint8_t *data, size_t size);
int fuzz_template(const uint8_t *data, size_t size);
int fuzz_content(const uint8_t *data, size_t size);
int fuzz_svg(const uint8_t *data, size_t size);
int fuzz_svgpath(const uint8_t *data, size_t size);

#endif

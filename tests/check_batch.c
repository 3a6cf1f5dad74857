/* check_batch.c: batch runs at scale: streaming 20,000 patients, -j1 and -j2 alike,
 * shards, a run killed with SIGKILL and resumed, unwritable folders, a write that fails
 * part-way, file modes, exit statuses. */
#include "digest.h"
#include "helpers.h"
#include "manifest.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Generates N patients (seed) into a file in a fresh folder; returns its path (static). */
static const char *generated(long n, int seed)
{
	static char path[4096];
	format_into(path, sizeof path, "%s/patients.xml", temp_dir());
	char cmd[4096];
	format_into(cmd, sizeof cmd, "'%s/build/gen_patients' %ld %d > '%s'", data_dir(), n, seed, path);
	ck_assert_int_eq(system(cmd), 0);
	return path;
}

/* Runs handout with args (a shell fragment) from the data folder; returns stderr+stdout. */
static char *handout(const char *args, int *status)
{
	char cmd[4096];
	format_into(cmd, sizeof cmd, "cd '%s' && ./handout %s 2>&1", data_dir(), args);
	return run_command(cmd, status);
}

typedef struct rows {
	manifest_row *v;
	size_t n, cap;
} rows;

static rows read_manifest(const char *dir)
{
	char *path = path_join(dir, "manifest.csv");
	manifest_reader *r = manifest_open(path);
	ck_assert_msg(r != NULL, "no manifest in %s", dir);
	rows out = {0};
	manifest_row row;
	while (manifest_next(r, &row)) {
		manifest_row copy;
		for (int i = 0; i < MANIFEST_COLUMNS; i++)
			copy.field[i] = xstrdup(row.field[i] ? row.field[i] : "");
		ARRAY_PUSH(out.v, out.n, out.cap, copy);
	}
	manifest_close(r);
	free(path);
	return out;
}

static void free_rows(rows *r)
{
	for (size_t i = 0; i < r->n; i++)
		for (int k = 0; k < MANIFEST_COLUMNS; k++)
			free(r->v[i].field[k]);
	free(r->v);
}

/* Every ok row names a file that exists, has the recorded size and checksum, mode 0600. */
static void assert_rows_true(const char *dir, const rows *r)
{
	for (size_t i = 0; i < r->n; i++) {
		const manifest_row *row = &r->v[i];
		if (strcmp(row->field[M_STATUS], "ok") != 0)
			continue;
		char *path = path_join(dir, row->field[M_FILE]);
		size_t len;
		char *data = file_read_all(path, &len);
		ck_assert_msg(data != NULL, "%s: listed but missing", path);
		ck_assert_msg(len == strtoul(row->field[M_BYTES], NULL, 10),
		              "%s: %zu bytes, manifest says %s", path, len, row->field[M_BYTES]);
		char sha[65];
		digest_sha256_hex(data, len, sha);
		ck_assert_msg(strcmp(sha, row->field[M_SHA256]) == 0,
		              "%s: checksum differs from the manifest", path);
		struct stat st;
		ck_assert_int_eq(stat(path, &st), 0);
		ck_assert_msg((st.st_mode & 0777) == 0600, "%s: mode %o", path, st.st_mode & 0777);
		free(data);
		free(path);
	}
}

START_TEST(sha256_known_answers)
{
	char hex[65];
	digest_sha256_hex("", 0, hex);
	ck_assert_str_eq(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	digest_sha256_hex("abc", 3, hex);
	ck_assert_str_eq(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	digest_sha256_hex(two, strlen(two), hex);
	ck_assert_str_eq(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}
END_TEST

START_TEST(stream_of_20000_patients)
{
	const char *in = generated(20000, 11);
	char out[4096], args[800];
	format_into(out, sizeof out, "%s/out", temp_dir());
	format_into(args, sizeof args,
	            "batch -q -j2 --settings examples/clinic.xml --date 2026-11-24 '%s' -o '%s'", in, out);
	int status;
	char *log = handout(args, &status);
	ck_assert_msg(status == 0, "%s", log);
	free(log);
	rows r = read_manifest(out);
	ck_assert_uint_eq(r.n, 20000);
	for (size_t i = 0; i < r.n; i++) {
		char id[16];
		format_into(id, sizeof id, "G%07zu", i);
		ck_assert_msg(strcmp(r.v[i].field[M_PATIENT], id) == 0, "row %zu is %s", i,
		              r.v[i].field[M_PATIENT]);
		ck_assert_str_eq(r.v[i].field[M_STATUS], "ok");
		ck_assert_str_eq(r.v[i].field[M_DATE], "2026-11-24");
		ck_assert(atoi(r.v[i].field[M_PAGES]) >= 1);
		ck_assert(*r.v[i].field[M_NOTICE]);
	}
	assert_rows_true(out, &r);
	free_rows(&r);
	char cmd[4096];
	format_into(cmd, sizeof cmd, "rm -rf '%s'", out);
	ck_assert_int_eq(system(cmd), 0);
}
END_TEST

START_TEST(same_output_whatever_the_workers)
{
	const char *in = generated(300, 5);
	const char *dir = temp_dir();
	char args[4096];
	int status;
	for (int j = 1; j <= 2; j++) {
		format_into(args, sizeof args,
		            "batch -q -j%d --settings examples/clinic.xml --date 2026-11-24 '%s' -o '%s/j%d'",
		            j, in, dir, j);
		free(handout(args, &status));
		ck_assert_int_eq(status, 0);
	}
	char cmd[4096];
	format_into(cmd, sizeof cmd, "cd '%s' && diff -r j1 j2 && echo SAME", dir);
	char *out = run_command(cmd, &status);
	ck_assert_msg(strstr(out, "SAME") != NULL, "-j1 and -j2 differ: %.400s", out);
	free(out);
}
END_TEST

START_TEST(shards_cover_every_patient_once)
{
	const char *in = generated(1000, 9);
	const char *dir = temp_dir();
	char args[4096];
	int status;
	size_t total = 0;
	char *seen = xcalloc(1000, 1);
	for (int k = 1; k <= 3; k++) {
		format_into(args, sizeof args,
		            "batch -q --no-write --shard %d/3 --date 2026-11-24 '%s' -o '%s/s%d'", k, in, dir,
		            k);
		free(handout(args, &status));
		ck_assert_int_eq(status, 0);
		char sub[4096];
		format_into(sub, sizeof sub, "%s/s%d", dir, k);
		rows r = read_manifest(sub);
		ck_assert_uint_gt(r.n, 200); /* a fair share */
		long last = -1;
		for (size_t i = 0; i < r.n; i++) {
			long idx = strtol(r.v[i].field[M_PATIENT] + 1, NULL, 10);
			ck_assert(idx >= 0 && idx < 1000);
			ck_assert_msg(!seen[idx], "patient %ld in two shards", idx);
			ck_assert_msg(idx > last, "shard %d is not in input order", k);
			seen[idx] = 1;
			last = idx;
		}
		total += r.n;
		free_rows(&r);
	}
	ck_assert_uint_eq(total, 1000);
	free(seen);
	free(handout("batch --shard 4/3 x.xml -o /tmp/x", &status));
	ck_assert_int_eq(status, 2);
}
END_TEST

START_TEST(killed_run_leaves_whole_files_and_resume_finishes)
{
	const char *in = generated(3000, 3);
	const char *dir = temp_dir();
	char cmd[4096];
	/* Kill -9 once a few hundred PDFs are there. */
	format_into(cmd, sizeof cmd,
	            "cd '%1$s' && (./handout batch -q -j2 --settings examples/clinic.xml --date 2026-11-24 "
	            "'%2$s' -o '%3$s/run' "
	            "& pid=$!; n=0; while [ $n -lt 400 ]; do sleep 0.05; n=$(ls '%3$s/run' 2>/dev/null | "
	            "grep -c '\\.pdf$'); done; "
	            "kill -9 $pid; wait $pid 2>/dev/null; echo killed=$?) 2>/dev/null",
	            data_dir(), in, dir);
	int status;
	char *out = run_command(cmd, &status);
	ck_assert_msg(strstr(out, "killed=137"), "the run was not killed part-way: %s", out);
	free(out);
	char run[4096];
	format_into(run, sizeof run, "%s/run", dir);
	/* Every PDF under its final name is whole; the manifest is true for every row it has. */
	format_into(cmd, sizeof cmd,
	            "cd '%s' && n=0; for f in *.pdf; do qpdf --check \"$f\" >/dev/null 2>&1 || echo \"BROKEN "
	            "$f\"; n=$((n+1)); done; echo checked=$n",
	            run);
	out = run_command(cmd, &status);
	ck_assert_msg(!strstr(out, "BROKEN"), "%s", out);
	int checked = atoi(strstr(out, "checked=") + 8);
	ck_assert_int_ge(checked, 400);
	ck_assert_int_lt(checked, 3000);
	free(out);
	rows before = read_manifest(run);
	assert_rows_true(run, &before);
	ck_assert_uint_lt(before.n, 3000);
	free_rows(&before);
	/* Resume finishes the job, keeping what was done. */
	char args[4096];
	format_into(args, sizeof args,
	            "batch -j2 --resume --settings examples/clinic.xml --date 2026-11-24 '%s' -o '%s'", in,
	            run);
	out = handout(args, &status);
	ck_assert_msg(status == 0, "%s", out);
	ck_assert_msg(strstr(out, "3000 handouts written") && strstr(out, "kept from the earlier run"), "%s",
	              out);
	free(out);
	/* The result equals a run that was never interrupted. */
	format_into(args, sizeof args,
	            "batch -q -j2 --settings examples/clinic.xml --date 2026-11-24 '%s' -o '%s/clean'", in,
	            dir);
	free(handout(args, &status));
	format_into(cmd, sizeof cmd, "cd '%s' && diff -r -x '.*' run clean && echo SAME", dir);
	out = run_command(cmd, &status);
	ck_assert_msg(strstr(out, "SAME"), "resumed output differs: %.400s", out);
	free(out);
	format_into(cmd, sizeof cmd, "ls -A '%s/run' | grep -c '^\\.' ; true", dir);
	out = run_command(cmd, &status);
	ck_assert_msg(atoi(out) == 0, "hidden leftovers after resume: %s", out);
	free(out);
}
END_TEST

START_TEST(unwritable_output_folder)
{
	const char *file = write_temp("not-a-folder", "x");
	char args[4096];
	format_into(args, sizeof args, "batch examples/patients.xml -o '%s/handouts'", file);
	int status;
	char *out = handout(args, &status);
	ck_assert_int_eq(status, 2);
	ck_assert_msg(strstr(out, "not-a-folder: exists and is not a folder"), "%s", out);
	free(out);
	format_into(args, sizeof args, "batch examples/patients.xml -o /proc/handouts");
	out = handout(args, &status);
	ck_assert_int_eq(status, 2);
	ck_assert_msg(strstr(out, "/proc/handouts: cannot create folder"), "%s", out);
	free(out);
}
END_TEST

START_TEST(write_that_fails_part_way)
{
	/* A 26 KB file size limit (bash counts KB; dash would count 512-byte blocks) stands in
	 * for a full disk: larger PDFs fail, smaller ones are written, none is left half-written. */
	const char *dir = temp_dir();
	char cmd[4096];
	format_into(cmd, sizeof cmd,
	            "cd '%s' && bash -c \"ulimit -f 26; ./handout batch -q -j2 --settings "
	            "examples/clinic.xml --date 2026-11-24 "
	            "examples/patients.xml -o '%s/out'\" 2>&1; echo status=$?",
	            data_dir(), dir);
	int status;
	char *out = run_command(cmd, &status);
	ck_assert_msg(strstr(out, "status=1"), "%s", out);
	ck_assert_msg(strstr(out, "cannot write file: File too large"), "%s", out);
	free(out);
	char run[4096];
	format_into(run, sizeof run, "%s/out", dir);
	rows r = read_manifest(run);
	ck_assert_uint_eq(r.n, 10);
	int ok = 0, failed = 0;
	for (size_t i = 0; i < r.n; i++) {
		ok += strcmp(r.v[i].field[M_STATUS], "ok") == 0;
		failed += strcmp(r.v[i].field[M_STATUS], "error") == 0;
	}
	ck_assert_int_gt(ok, 0);
	ck_assert_int_gt(failed, 0);
	assert_rows_true(run, &r);
	free_rows(&r);
	format_into(cmd, sizeof cmd,
	            "cd '%s' && ls -A | grep -v '^manifest.csv$' | grep -vc '\\.pdf$'; ls *.pdf | wc -l",
	            run);
	out = run_command(cmd, &status);
	int stray, pdfs;
	ck_assert_int_eq(sscanf(out, "%d %d", &stray, &pdfs), 2);
	ck_assert_msg(stray == 0, "leftover files: %s", out);
	ck_assert_int_eq(pdfs, ok);
	free(out);
}
END_TEST

START_TEST(statuses_modes_and_quiet_logs)
{
	const char *in =
	    write_temp("mixed.xml", "<?xml version=\"1.0\"?>\n<patients>\n"
	                            "<patient id=\"A1\"><name>Private Name</name><answers><answer "
	                            "q=\"pain-score\">3</answer></answers></patient>\n"
	                            "<patient id=\"B1\"><name>Other Name</name><answers><answer "
	                            "q=\"pain-score\">eleven</answer></answers></patient>\n"
	                            "</patients>\n");
	char out_dir[4096], args[900];
	format_into(out_dir, sizeof out_dir, "%s/out", temp_dir());
	format_into(args, sizeof args, "batch '%s' -o '%s'", in, out_dir);
	int status;
	char *out = handout(args, &status);
	ck_assert_int_eq(status, 1);
	ck_assert_msg(strstr(out, "patient B1: question pain-score: not a plain whole number"), "%s", out);
	ck_assert_msg(!strstr(out, "Name") && !strstr(out, "eleven"), "a name or answer reached the log: %s",
	              out);
	ck_assert_msg(!strchr(out, '\r'), "a progress line was drawn on a non-terminal");
	free(out);
	struct stat st;
	char *m = path_join(out_dir, "manifest.csv");
	ck_assert_int_eq(stat(m, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0600);
	free(m);
	rows r = read_manifest(out_dir);
	ck_assert_uint_eq(r.n, 2);
	ck_assert_str_eq(r.v[1].field[M_STATUS], "error");
	ck_assert_msg(strstr(r.v[1].field[M_ERROR], "mixed.xml:4: patient B1: question pain-score"), "%s",
	              r.v[1].field[M_ERROR]);
	free_rows(&r);
	/* The date comes from SOURCE_DATE_EPOCH when --date is absent, and is recorded. */
	format_into(args, sizeof args, "batch -q '%s' -o '%s/epoch'", in, temp_dir());
	char env[4096];
	format_into(env, sizeof env, "cd '%s' && SOURCE_DATE_EPOCH=1700000000 ./handout %s 2>&1", data_dir(),
	            args);
	free(run_command(env, &status));
	char *epoch_dir = strstr(args, "-o '") + 4;
	epoch_dir[strlen(epoch_dir) - 1] = '\0';
	r = read_manifest(epoch_dir);
	ck_assert_str_eq(r.v[0].field[M_DATE], "2023-11-14");
	free_rows(&r);
	free(handout("batch examples/patients.xml", &status));
	ck_assert_int_eq(status, 2);
}
END_TEST

Suite *batch_suite(void)
{
	Suite *s = suite_create("batch");
	TCase *tc = tcase_create("runs");
	tcase_set_timeout(tc, 900);
	tcase_add_test(tc, sha256_known_answers);
	tcase_add_test(tc, same_output_whatever_the_workers);
	tcase_add_test(tc, shards_cover_every_patient_once);
	tcase_add_test(tc, killed_run_leaves_whole_files_and_resume_finishes);
	tcase_add_test(tc, unwritable_output_folder);
	tcase_add_test(tc, write_that_fails_part_way);
	tcase_add_test(tc, statuses_modes_and_quiet_logs);
	tcase_add_test(tc, stream_of_20000_patients);
	suite_add_tcase(s, tc);
	return s;
}

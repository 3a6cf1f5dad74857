/* check_outputs.c: outputs that stay true whoever else touches the folders handout writes
 * and reads: a logo cache entry another account planted is never used. */
#include "helpers.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Runs a shell script from the repository with a fresh temporary folder as $T; returns its
 * stdout and stderr together. */
static char *sh(const char *script, int *status)
{
	strbuf cmd = {0};
	sb_printf(&cmd, "cd '%s' && T='%s' && export T && { %s ; } 2>&1", data_dir(), temp_dir(), script);
	char *out = run_command(cmd.data, status);
	sb_free(&cmd);
	return out;
}

/* The settings with the logo by its absolute path, and one patient, in $T; $B builds that
 * patient (add -o). */
#define ONE_PATIENT_BUILD                                                                                         \
	"sed \"s#<logo>logo.png#<logo>$PWD/examples/logo.png#\" examples/clinic.xml > $T/clinic.xml && "         \
	"sed -n '/<patient id=\"P-0001\"/,/<\\/patient>/p' examples/patients.xml > $T/one.xml && "                 \
	"B=\"./handout build --date 2026-11-24 --settings $T/clinic.xml $T/one.xml\" && "

/* An entry planted in the logo cache by another account (a valid one, made for another
 * PNG) puts nothing on the handout: the cache is used only when the entry and the folder
 * are the running user's and nobody else can write them, nor the folders above (a sticky
 * folder of root's, as /tmp, is fine); otherwise one warning, and the logo made afresh. */
START_TEST(logo_cache_of_another_account_is_not_trusted)
{
	int status;
	char *out = sh(ONE_PATIENT_BUILD "C=$T/cache && mkdir -m 700 $C && "
				    "HANDOUT_CACHE_DIR=$C $B -o $T/own.pdf && E=$(ls $C) && "
				    /* an entry made for another picture, under the name of ours */
				    "pdftoppm -png -r 20 -f 1 -l 1 -singlefile $T/own.pdf $T/other && "
				    "sed \"s#<logo>logo.png#<logo>$T/other.png#\" examples/clinic.xml > $T/other.xml && "
				    "mkdir -m 700 $T/c2 && HANDOUT_CACHE_DIR=$T/c2 ./handout build -q --date 2026-11-24 "
				    "--settings $T/other.xml $T/one.xml -o $T/x.pdf && cp $T/c2/* $C/$E && "
				    "chown nobody $C/$E && chmod 644 $C/$E && "
				    "HANDOUT_CACHE_DIR=$C ./handout build --date 2026-11-24 --settings $T/clinic.xml "
				    "$T/one.xml -o $T/planted.pdf 2>&1; cmp $T/own.pdf $T/planted.pdf && echo own-logo && "
				    "echo owner=$(stat -c %U $C/$E) && "
				    /* a folder others can write, a folder above it others can change */
				    "chmod 777 $C && HANDOUT_CACHE_DIR=$C $B -o $T/open.pdf 2>&1; cmp $T/own.pdf $T/open.pdf && "
				    "echo open-ok && mkdir -m 777 $T/shared && mkdir -m 700 $T/shared/cache && "
				    "HANDOUT_CACHE_DIR=$T/shared/cache $B -o $T/shared.pdf 2>&1; "
				    "echo shared-files=$(ls $T/shared/cache | wc -l) && "
				    "mkdir -m 1777 $T/sticky && chown root $T/sticky && "
				    "HANDOUT_CACHE_DIR=$T/sticky/cache $B -o $T/sticky.pdf 2>&1 && "
				    "echo sticky-files=$(ls $T/sticky/cache | wc -l)",
		       &status);
	ck_assert_msg(strstr(out, "cache/logo-") &&
			      strstr(out, "the logo cache is not used: the kept file belongs to another account"),
		      "%s", out);
	ck_assert_msg(strstr(out, "own-logo\nowner=root\n"), "the planted entry was used or kept: %s", out);
	ck_assert_msg(strstr(out, "/cache: warning: the logo cache is not used: other accounts can write in it") &&
			      strstr(out, "open-ok"),
		      "%s", out);
	ck_assert_msg(strstr(out, "/shared: warning: the logo cache is not used: a folder above it can be changed") &&
			      strstr(out, "shared-files=0"),
		      "%s", out);
	ck_assert_msg(strstr(out, "sticky-files=1") && !strstr(strstr(out, "shared-files=0"), "warning"), "%s", out);
	free(out);
}
END_TEST

Suite *outputs_suite(void)
{
	Suite *s = suite_create("outputs");
	TCase *tc = tcase_create("folders");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, logo_cache_of_another_account_is_not_trusted);
	suite_add_tcase(s, tc);
	return s;
}

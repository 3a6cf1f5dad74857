/* check_install.c: `make install` and `make uninstall` honour PREFIX and DESTDIR whatever was
 * built before, and the installed program finds its data: in the folder it was installed
 * into, or for a staged install through HANDOUT_DATA or beside itself (BIN/../share/handout).
 * Runs on a copy of the built tree (objects kept, so only main.o is rebuilt). */
#include "helpers.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

/* Runs script in a shell with $T a fresh folder holding a copy of the built tree in $T/tree
 * and $CFLAGS the flags the tree was built with; returns stdout and stderr together. */
static char *in_copy(const char *script, int *status)
{
	const char *flags = getenv("HANDOUT_TEST_CFLAGS");
	strbuf cmd = {0};
	sb_printf(&cmd,
	          "T='%s' && mkdir \"$T/tree\" && cd '%s' && cp -a Makefile src content templates fonts man "
	          "scripts build "
	          "\"$T/tree/\" && export T && export CFLAGS='%s' && cd / && unset HANDOUT_DATA MAKEFLAGS "
	          "MFLAGS MAKELEVEL && { %s ; } 2>&1",
	          temp_dir(), data_dir(), flags ? flags : "-O2 -g", script);
	char *out = run_command(cmd.data, status);
	sb_free(&cmd);
	return out;
}

START_TEST(install_into_a_new_prefix_after_a_build)
{
	int status;
	char *out =
	    in_copy("make -s -C \"$T/tree\" install PREFIX=\"$T/opt\" CFLAGS=\"$CFLAGS\" >/dev/null && "
	            "\"$T/opt/bin/handout\" check && echo check=$? && "
	            "printf '<patient id=\"I-1\"><answers><answer "
	            "q=\"pain-score\">3</answer></answers></patient>' > \"$T/p.xml\" && "
	            "\"$T/opt/bin/handout\" build -q \"$T/p.xml\" -o \"$T/p.pdf\" && pdftotext \"$T/p.pdf\" "
	            "- | grep -c 'I-1' >/dev/null && "
	            "echo pdf=yes; "
	            "test -f \"$T/opt/share/man/man1/handout.1\" && echo man=yes; "
	            "make -s -C \"$T/tree\" uninstall PREFIX=\"$T/opt\" >/dev/null && find \"$T/opt\" -type "
	            "f | wc -l",
	            &status);
	ck_assert_msg(strstr(out, "content, settings, template and fonts are valid") &&
	                  strstr(out, "check=0") && strstr(out, "pdf=yes") && strstr(out, "man=yes"),
	              "%s", out);
	/* uninstall leaves no file behind */
	ck_assert_msg(out[strlen(out) - 2] == '0', "%s", out);
	free(out);
}
END_TEST

START_TEST(staged_install_finds_its_data)
{
	int status;
	/* Packagers build with PREFIX=/usr and stage into DESTDIR: the program is built for
	 * /usr/share/handout (not for the prefix of any earlier build), and the staged copy
	 * runs with HANDOUT_DATA, or finds the data beside itself. */
	char *out = in_copy(
	    "make -s -C \"$T/tree\" install PREFIX=\"$T/other\" CFLAGS=\"$CFLAGS\" >/dev/null && "
	    "make -s -C \"$T/tree\" install DESTDIR=\"$T/stage\" PREFIX=/usr CFLAGS=\"$CFLAGS\" >/dev/null "
	    "&& "
	    "grep -ac \"$T/other\" \"$T/stage/usr/bin/handout\"; grep -ac '/usr/share/handout' "
	    "\"$T/stage/usr/bin/handout\"; "
	    "HANDOUT_DATA=\"$T/stage/usr/share/handout\" \"$T/stage/usr/bin/handout\" check && echo env=ok; "
	    "rm -rf \"$T/other\" && \"$T/stage/usr/bin/handout\" check && echo beside=ok; "
	    "make -s -C \"$T/tree\" uninstall DESTDIR=\"$T/stage\" PREFIX=/usr >/dev/null && "
	    "echo left=$(find \"$T/stage\" -type f | wc -l)",
	    &status);
	ck_assert_msg(strncmp(out, "0\n", 2) == 0, "the staged program names the earlier prefix: %s", out);
	ck_assert_msg(strstr(out, "\n1\n") || strstr(out, "\n2\n"),
	              "the staged program does not name /usr: %s", out);
	ck_assert_msg(strstr(out, "env=ok") && strstr(out, "beside=ok") && strstr(out, "left=0"), "%s", out);
	free(out);
}
END_TEST

Suite *install_suite(void)
{
	Suite *s = suite_create("install");
	TCase *tc = tcase_create("prefix");
	tcase_set_timeout(tc, 240);
	tcase_add_test(tc, install_into_a_new_prefix_after_a_build);
	tcase_add_test(tc, staged_install_finds_its_data);
	suite_add_tcase(s, tc);
	return s;
}

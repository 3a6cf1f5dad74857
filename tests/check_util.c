/* check_util.c: util.c's string table (strmap) and the id set patient.c builds on it. */
#include "helpers.h"
#include "patient.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Many keys through several growths: each found with its own value, absent keys not. */
START_TEST(strmap_finds_every_key_it_holds)
{
	enum { N = 20000 };
	char(*keys)[16] = xcalloc(N, sizeof *keys);
	strmap *m = strmap_new(STRMAP_BORROW);
	for (int i = 0; i < N; i++) {
		snprintf(keys[i], sizeof keys[i], "P-%06d", i);
		ck_assert_ptr_null(strmap_put(m, keys[i], keys[i]));
	}
	ck_assert_uint_eq(strmap_count(m), N);
	for (int i = 0; i < N; i++) {
		char probe[16];
		snprintf(probe, sizeof probe, "P-%06d", i);
		ck_assert_ptr_eq(strmap_get(m, probe), keys[i]);
	}
	ck_assert_ptr_null(strmap_get(m, "P-020000"));
	ck_assert_ptr_null(strmap_get(m, ""));
	strmap_free(m);
	free(keys);
}
END_TEST

/* A put under a key already there replaces the value, returns the old one, keeps the count;
 * a borrowed key is replaced too, so the old one may be freed. */
START_TEST(strmap_put_replaces)
{
	strmap *m = strmap_new(STRMAP_BORROW);
	int a = 1, b = 2;
	char *first = xstrdup("Patient/x");
	ck_assert_ptr_null(strmap_put(m, first, &a));
	char *second = xstrdup("Patient/x");
	ck_assert_ptr_eq(strmap_put(m, second, &b), &a);
	free(first);
	ck_assert_uint_eq(strmap_count(m), 1);
	ck_assert_ptr_eq(strmap_get(m, "Patient/x"), &b);
	ck_assert_ptr_null(strmap_put(m, "", &a)); /* the empty string is a key like any */
	ck_assert_ptr_eq(strmap_get(m, ""), &a);
	strmap_free(m);
	free(second);
	strmap_free(NULL);
}
END_TEST

/* STRMAP_COPY keeps its own keys: the caller's buffer may change or go at once, and a key
 * longer than a chunk of copies is kept whole. */
START_TEST(strmap_copies_keys)
{
	strmap *m = strmap_new(STRMAP_COPY);
	int v = 0;
	char buf[32];
	for (int i = 0; i < 5000; i++) {
		snprintf(buf, sizeof buf, "id-%d", i);
		ck_assert_ptr_null(strmap_put(m, buf, &v));
	}
	size_t n = 100000;
	char *big = xmalloc(n + 1);
	memset(big, 'k', n);
	big[n] = '\0';
	ck_assert_ptr_null(strmap_put(m, big, &v));
	big[0] = 'K';
	ck_assert_ptr_null(strmap_get(m, big));
	big[0] = 'k';
	ck_assert_ptr_eq(strmap_get(m, big), &v);
	free(big);
	strcpy(buf, "gone");
	for (int i = 0; i < 5000; i++) {
		snprintf(buf, sizeof buf, "id-%d", i);
		ck_assert_ptr_eq(strmap_get(m, buf), &v);
	}
	ck_assert_uint_eq(strmap_count(m), 5001);
	strmap_free(m);
}
END_TEST

/* The run's ids: the first of each is added, every later one is a duplicate, ids that differ
 * by one character are not. */
/* text_unbroken joins a phone number's and a label's words with no-break spaces, but a
 * space at the end stays one: "How often: " joined to the dose after it broke "Once" as
 * "O / nce" in 98 A4 handouts (helper-17). */
START_TEST(unbroken_joins_words_not_what_follows)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
	    {"+44 20 7946 0321", "+44\xC2\xA0"
	                         "20\xC2\xA0"
	                         "7946\xC2\xA0"
	                         "0321"},
	    {"How often: ", "How\xC2\xA0often: "},
	    {"a  b", "a \xC2\xA0"
	             "b"},
	    {"", ""},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char *got = text_unbroken(cases[i].in);
		ck_assert_str_eq(got, cases[i].out);
		free(got);
	}
}
END_TEST

START_TEST(id_set_says_duplicates)
{
	id_set *s = id_set_new();
	char id[32];
	for (int i = 0; i < 3000; i++) {
		snprintf(id, sizeof id, "A-%d", i);
		ck_assert_int_eq(id_set_add(s, id), 1);
	}
	for (int i = 0; i < 3000; i++) {
		snprintf(id, sizeof id, "A-%d", i);
		ck_assert_int_eq(id_set_add(s, id), 0);
	}
	ck_assert_int_eq(id_set_add(s, "a-1"), 1);
	id_set_free(s);
	id_set_free(NULL);
}
END_TEST

Suite *util_suite(void)
{
	Suite *s = suite_create("util");
	TCase *tc = tcase_create("strmap");
	tcase_add_test(tc, strmap_finds_every_key_it_holds);
	tcase_add_test(tc, strmap_put_replaces);
	tcase_add_test(tc, strmap_copies_keys);
	tcase_add_test(tc, id_set_says_duplicates);
	tcase_add_test(tc, unbroken_joins_words_not_what_follows);
	suite_add_tcase(s, tc);
	return s;
}

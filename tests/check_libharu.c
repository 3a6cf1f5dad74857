/* check_libharu.c: the "check after an upgrade" steps of doc/libharu-internals.md, made
 * automatic: each test names the section whose internal it holds to what libharu itself
 * does, or to what the PDFs showed when the internal was written. The one test file that
 * includes <hpdf.h>: it compares handout's reading of the fonts with libharu's public API. */
#include "fonts.h"
#include "helpers.h"
#include "pdf.h"
#include "template.h"
#include "util.h"

#include <hpdf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void on_hpdf_error(HPDF_STATUS error, HPDF_STATUS detail, void *data)
{
	(void)data;
	ck_abort_msg("libharu error 0x%04lX (detail %lu)", (unsigned long)error, (unsigned long)detail);
}

/* Section 1: the widths handout reads from each font's cmap and hmtx (pdf_font.c's
 * each_char, into fonts.h's table) are those libharu's HPDF_TTFontDef_GetCharWidth gives
 * (through the public HPDF_Font_GetUnicodeWidth): advance x 1000 / units per em, for every
 * character of the Basic Multilingual Plane each file draws, in both faces, for the
 * template's faces, their -Extra files and the CJK font. */
START_TEST(widths_equal_libharus)
{
	char *tdir = path_join(data_dir(), "templates");
	char *schema = path_join(data_dir(), "content/schema/template.xsd");
	char *fdir = path_join(data_dir(), "fonts");
	page_template *t = template_load(tdir, "a4", schema);
	ck_assert_ptr_nonnull(t);
	char *files[PDF_FONT_FILES][FACE_COUNT] = {{0}};
	fonts_files(fdir, (const char *const *)t->face_file, files);
	pdf_fonts *fonts = pdf_fonts_load((const char *const(*)[FACE_COUNT])files);
	ck_assert_ptr_nonnull(fonts);
	const font_metrics *m = pdf_fonts_metrics(fonts);
	size_t compared[PDF_FONT_FILES] = {0};
	for (int face = 0; face < FACE_COUNT; face++)
		for (int k = 0; k < PDF_FONT_FILES; k++) {
			ck_assert_msg(files[k][face] != NULL, "no font file %d of face %d", k, face);
			HPDF_Doc doc = HPDF_New(on_hpdf_error, NULL);
			ck_assert_ptr_nonnull(doc);
			const char *name = HPDF_LoadTTFontFromFile(doc, files[k][face], HPDF_FALSE);
			ck_assert_ptr_nonnull(name);
			HPDF_Font font = HPDF_GetFont(doc, name, "WinAnsiEncoding");
			ck_assert_ptr_nonnull(font);
			for (uint32_t cp = 0x20; cp < FONTS_TABLE_SIZE; cp++) {
				if (m->src[face][cp] != k || m->width[face][cp] < 0)
					continue;
				HPDF_INT theirs = HPDF_Font_GetUnicodeWidth(font, (HPDF_UNICODE)cp);
				ck_assert_msg(theirs == m->width[face][cp],
				              "%s: U+%04X is %d wide in fonts.h's table, %d by libharu",
				              files[k][face], (unsigned)cp, m->width[face][cp], (int)theirs);
				compared[k]++;
			}
			HPDF_Free(doc);
		}
	/* Every file drew characters: Latin (both faces), their Extra alphabets, the CJK font. */
	ck_assert_uint_gt(compared[0], 2 * 300);
	ck_assert_uint_gt(compared[1], 2 * 300);
	ck_assert_uint_gt(compared[2], 2 * 20000);
	for (int k = 0; k < PDF_FONT_FILES; k++)
		for (int f = 0; f < FACE_COUNT; f++)
			free(files[k][f]);
	pdf_fonts_free(fonts);
	template_free(t);
	free(tdir), free(schema), free(fdir);
}
END_TEST

/* A folder with handouts for a Latin, a Greek and a Chinese name (logo from the examples'
 * settings), made once per test process; returns its path (static). */
static const char *three_names(void)
{
	static char dir[4096];
	if (dir[0])
		return dir;
	const char *in =
	    write_temp("names.xml", "<patients>"
	                            "<patient id=\"L\"><name>Ann Lee</name><answers><answer "
	                            "q=\"pain-score\">3</answer></answers></patient>"
	                            "<patient id=\"G\"><name>Ann \xCE\xA9mega</name><answers><answer "
	                            "q=\"pain-score\">3</answer></answers></patient>"
	                            "<patient id=\"C\"><name>\xE7\x8E\x8B\xE5\xB0\x8F\xE6\x98\x8E</name>"
	                            "<answers><answer q=\"pain-score\">3</answer></answers></patient>"
	                            "</patients>");
	format_into(dir, sizeof dir, "%s/out", temp_dir());
	char cmd[8400];
	format_into(cmd, sizeof cmd,
	            "cd '%s' && ./handout build -q --settings examples/clinic.xml --date 2026-11-24 '%s' "
	            "-o '%s' 2>&1",
	            data_dir(), in, dir);
	int status;
	char *out = run_command(cmd, &status);
	ck_assert_msg(status == 0 && !*out, "%s", out);
	free(out);
	return dir;
}

/* Sections 4 and 5 (and 2's ToUnicode): pdffonts of a handout shows each file under its own
 * subset tag, by its place among the files (HPDFAA+ the regular face, AB+ the bold, AC+/AD+
 * their -Extra files, AE+ the CJK font), each embedded and subset; the single-byte fonts
 * WinAnsi TrueType, the UTF-8 fonts CID TrueType (Identity-H) with a ToUnicode map. */
START_TEST(fonts_carry_their_tags)
{
	static const struct {
		const char *patient;
		const char *rows; /* pdffonts' rows, without the object ids */
	} want[] = {
	    {"L", "HPDFAB+NotoSans-Bold,Bold TrueType WinAnsi yes yes no\n"
	          "HPDFAA+NotoSans-Regular TrueType WinAnsi yes yes no\n"},
	    {"G", "HPDFAB+NotoSans-Bold,Bold TrueType WinAnsi yes yes no\n"
	          "HPDFAA+NotoSans-Regular TrueType WinAnsi yes yes no\n"
	          "HPDFAC+NotoSansExtra-Regular CID TrueType Identity-H yes yes yes\n"
	          "HPDFAD+NotoSansExtra-Bold,Bold CID TrueType Identity-H yes yes yes\n"},
	    {"C", "HPDFAB+NotoSans-Bold,Bold TrueType WinAnsi yes yes no\n"
	          "HPDFAA+NotoSans-Regular TrueType WinAnsi yes yes no\n"
	          "HPDFAE+WenQuanYiMicroHei CID TrueType Identity-H yes yes yes\n"},
	};
	const char *dir = three_names();
	for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
		char cmd[4400];
		/* The columns without the object numbers, single spaces between words. */
		format_into(cmd, sizeof cmd,
		            "pdffonts '%s/%s.pdf' | tail -n +3 | awk '{NF -= 2; $1 = $1; print}'", dir,
		            want[i].patient);
		int status;
		char *out = run_command(cmd, &status);
		ck_assert_msg(strcmp(out, want[i].rows) == 0, "pdffonts of %s.pdf:\n%swanted\n%s",
		              want[i].patient, out, want[i].rows);
		free(out);
	}
}
END_TEST

/* Sections 2 and 8: the UTF-8 font's descendant says Ordering (Identity) (libharu writes
 * Identity-H there), and its CIDToGIDMap is cut to the document's glyphs: a Chinese name
 * costs less than 50 KB over a Latin one, where the whole map alone would be 60 KB deflated
 * (the name itself extracting is names_in_every_alphabet's, check_typesetting.c). */
START_TEST(utf8_font_repaired_and_map_cut)
{
	const char *dir = three_names();
	char cmd[8400];
	format_into(cmd, sizeof cmd,
	            "qpdf --qdf --object-streams=disable '%1$s/C.pdf' - | grep -a -A3 '^ */CIDSystemInfo' | "
	            "grep -a -c -x ' */Ordering (Identity)'; stat -c %%s '%1$s/L.pdf' '%1$s/C.pdf'",
	            dir);
	int status;
	char *out = run_command(cmd, &status);
	long orderings = 0, latin = 0, chinese = 0;
	ck_assert_msg(sscanf(out, "%ld %ld %ld", &orderings, &latin, &chinese) == 3, "%s", out);
	ck_assert_msg(orderings == 1, "%ld descendant fonts say Ordering (Identity): %s", orderings, out);
	ck_assert_msg(chinese - latin < 50000, "a Chinese name costs %ld bytes", chinese - latin);
	free(out);
}
END_TEST

/* Section 3: the logo, deflated once per run and embedded as it is, is one image of the
 * prepared logo's size with its soft mask, and the file passes qpdf --check (its stream
 * decodes to exactly what its dictionary says). */
START_TEST(logo_embedded_as_prepared)
{
	const char *dir = three_names();
	char cmd[4400];
	format_into(cmd, sizeof cmd,
	            "qpdf --check '%1$s/L.pdf' >/dev/null && echo checked; pdfimages -list '%1$s/L.pdf' | "
	            "tail -n +3 | awk '{print $3, $4, $5, $6, $7, $8, $9}'",
	            dir);
	int status;
	char *out = run_command(cmd, &status);
	ck_assert_str_eq(out, "checked\nimage 160 160 rgb 3 8 image\nsmask 160 160 gray 1 8 image\n");
	free(out);
}
END_TEST

/* Sections 3, 4 and 6: every page of the example handouts renders (pdftoppm, 30 dpi, grey)
 * exactly as tests/golden/render.md5 says they did: page content written by pdf_page.c, the
 * streams handout deflates and the logo, as a reader sees them. make golden rewrites the
 * sums after a deliberate change (look at the pages first). */
START_TEST(examples_render_as_before)
{
	const char *dir = temp_dir();
	char cmd[8400];
	format_into(
	    cmd, sizeof cmd,
	    "cd '%1$s' && ./handout build -q --settings examples/clinic.xml --date 2026-11-24 "
	    "examples/patients.xml -o '%2$s/pdf' && cd '%2$s/pdf' && for f in *.pdf; do "
	    "pdftoppm -r 30 -gray \"$f\" \"${f%%.pdf}\" || exit 1; done && md5sum *.pgm > ../got && "
	    "if [ -n \"$HANDOUT_GOLDEN_WRITE\" ]; then cp ../got '%1$s/tests/golden/render.md5'; fi && "
	    "diff '%1$s/tests/golden/render.md5' ../got",
	    data_dir(), dir);
	int status;
	char *out = run_command(cmd, &status);
	ck_assert_msg(status == 0,
	              "pages of the examples render otherwise than tests/golden/render.md5 says "
	              "(pdftoppm -r 30 -gray; make golden rewrites it, look at the pages first):\n%s",
	              out);
	free(out);
}
END_TEST

Suite *libharu_suite(void)
{
	Suite *s = suite_create("libharu");
	TCase *tc = tcase_create("internals");
	tcase_set_timeout(tc, 120);
	if (!getenv("HANDOUT_GOLDEN_WRITE")) {
		tcase_add_test(tc, widths_equal_libharus);
		tcase_add_test(tc, fonts_carry_their_tags);
		tcase_add_test(tc, utf8_font_repaired_and_map_cut);
		tcase_add_test(tc, logo_embedded_as_prepared);
	}
	tcase_add_test(tc, examples_render_as_before);
	suite_add_tcase(s, tc);
	return s;
}

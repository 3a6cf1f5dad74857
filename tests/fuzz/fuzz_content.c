/* fuzz_content.c: the content files. The first byte picks which shipped file the rest
 * replaces in a private copy of content/; the whole content is then loaded and checked. */
#include "content.h"
#include "fuzz.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>

static const char *const files[] = {"questionnaire.xml", "causes.xml", "exercises.xml", "notices.xml",
                                    "advice.xml",        "rules.xml",  "diagrams.xml"};
#define NFILES (sizeof files / sizeof files[0])

FUZZ_TARGET(content)
{
	fuzz_quiet();
	static char *copy;
	static char *original[NFILES];
	static size_t original_len[NFILES];
	if (!copy) {
		copy = path_join(fuzz_temp_dir(), "data");
		char cmd[1024];
		snprintf(cmd, sizeof cmd, "mkdir -p '%s' && cp -R '%s/content' '%s/'", copy, fuzz_data_dir(),
		         copy);
		if (system(cmd) != 0)
			abort();
		for (size_t i = 0; i < NFILES; i++) {
			char rel[64];
			snprintf(rel, sizeof rel, "content/%s", files[i]);
			char *path = path_join(copy, rel);
			original[i] = file_read_all(path, &original_len[i]);
			free(path);
			if (!original[i])
				abort();
		}
	}
	if (size == 0)
		return 0;
	size_t which = data[0] % NFILES;
	char rel[64];
	snprintf(rel, sizeof rel, "data/content/%s", files[which]);
	fuzz_write(rel, data + 1, size - 1);
	static char *content_dir;
	if (!content_dir)
		content_dir = path_join(copy, "content");
	content *c = content_load(content_dir);
	content_free(c);
	fuzz_write(rel, (const uint8_t *)original[which], original_len[which]);
	return 0;
}

/* fuzz_template.c: a page design against its schema and the template checks. */
#include "fuzz.h"
#include "template.h"
#include "util.h"

#include <stdlib.h>

FUZZ_TARGET(template)
{
	fuzz_quiet();
	static char *schema;
	if (!schema)
		schema = path_join(fuzz_data_dir(), "content/schema/template.xsd");
	fuzz_write("fuzz.xml", data, size);
	page_template *t = template_load(fuzz_temp_dir(), "fuzz", schema);
	if (t) {
		fuzz_assert_sane(t->page_width_pt, "page width");
		fuzz_assert_sane(t->page_height_pt, "page height");
		template_free(t);
	}
	return 0;
}

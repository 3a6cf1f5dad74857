/* fuzz_settings.c: a clinic settings file against its schema. */
#include "fuzz.h"
#include "settings.h"
#include "util.h"

#include <stdlib.h>

FUZZ_TARGET(settings)
{
	fuzz_quiet();
	static char *schema;
	if (!schema)
		schema = path_join(fuzz_data_dir(), "content/schema/settings.xsd");
	settings_free(settings_load(fuzz_write("settings.xml", data, size), schema));
	return 0;
}

/* fuzz_svgpath.c: SVG path data ("M10 10 A5 5 0 0 1 ..."), parsed and transformed. */
#include "fuzz.h"
#include "svgpath.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

FUZZ_TARGET(svgpath)
{
	char *d = xmalloc(size + 1);
	memcpy(d, data, size);
	d[size] = '\0';
	path p = {0};
	char err[160];
	svgpath_parse(d, &p, err, sizeof err);
	const double m[6] = {0.5, 0.1, -0.1, 0.5, 3, 4};
	path_transform(&p, m);
	path_free(&p);
	free(d);
	return 0;
}

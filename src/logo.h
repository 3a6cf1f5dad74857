/* logo.h: the clinic's logo made ready for every document of a run: decoded, fitted and
 * deflated, or taken from the cache of a run before (keyed by the PNG's bytes). */
#ifndef HANDOUT_LOGO_H
#define HANDOUT_LOGO_H

#include "pdf.h"

/* The logo at png_path fitted within max_side pixels and deflated; NULL after reporting.
 * Kept in the cache folder (logo_cache_dir) for the next run, and taken from there when a
 * file made for the same PNG bytes, size and zlib is whole and checks out. */
pdf_image *logo_prepare(const char *png_path, unsigned max_side);

/* The cache folder: $HANDOUT_CACHE_DIR (none: no cache), else $XDG_CACHE_HOME/handout, else
 * $HOME/.cache/handout; NULL when there is none. The caller frees. */
char *logo_cache_dir(void);

#endif

/* breaks.h: where a line may break in text of any script: at spaces, and in Chinese and
 * Japanese between any two characters, but never before closing punctuation (。，、）」…)
 * nor after opening punctuation (「（…), after the rules of UAX #14 that matter here. */
#ifndef HANDOUT_BREAKS_H
#define HANDOUT_BREAKS_H

#include <stddef.h>
#include <stdint.h>

/* 1 for a character of a script written without spaces (CJK ideographs, kana, CJK
 * punctuation and full-width forms), between which a line may break. */
int breaks_cjk(uint32_t cp);

/* The bytes of s (up to len, not at a space) that must stay on one line: up to the next
 * space or the next break opportunity between two characters. *soft is set to 1 when it
 * ends at such an opportunity (no space between it and what follows). */
size_t breaks_unit(const char *s, size_t len, int *soft);

#endif

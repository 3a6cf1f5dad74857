/* json.h: writing JSON strings. */
#ifndef HANDOUT_JSON_H
#define HANDOUT_JSON_H

struct strbuf;

/* Appends s as a quoted JSON string, escaping what RFC 8259 requires. */
void json_string(struct strbuf *out, const char *s);

#endif

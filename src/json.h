/* json.h: writing JSON strings into our string buffers (explain output); jansson builds
 * whole resources (fhir_write.c). */
#ifndef HANDOUT_JSON_H
#define HANDOUT_JSON_H

struct strbuf;

/* Appends s as a quoted JSON string, escaping what RFC 8259 requires. */
void json_append_string(struct strbuf *out, const char *s);

#endif

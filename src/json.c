/* json.c: writing JSON strings. */
#include "json.h"
#include "util.h"

void json_append_string(strbuf *out, const char *s)
{
	sb_putc(out, '"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		switch (c) {
		case '"':
			sb_append(out, "\\\"");
			break;
		case '\\':
			sb_append(out, "\\\\");
			break;
		case '\n':
			sb_append(out, "\\n");
			break;
		case '\r':
			sb_append(out, "\\r");
			break;
		case '\t':
			sb_append(out, "\\t");
			break;
		default:
			if (c < 0x20)
				sb_printf(out, "\\u%04x", c);
			else
				sb_putc(out, (char)c);
		}
	}
	sb_putc(out, '"');
}

/* diag.h: diagnostics as "file:line: message", counted by level; the worst level sets the exit status. */
#ifndef HANDOUT_DIAG_H
#define HANDOUT_DIAG_H

typedef enum diag_level {
	DIAG_NOTE,    /* progress and summaries, shown with --verbose */
	DIAG_WARNING, /* output is still produced */
	DIAG_ERROR,   /* one item (a patient, a content entry) is not produced */
} diag_level;

/* Reports a diagnostic. file may be NULL; line <= 0 omits the line.
 * Printed as "file:line: message", warnings as "file:line: warning: message". */
void diag(diag_level level, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Prints "handout: " and the message as one line on stderr, escaped as diag's are (see
 * sb_append_escaped), whatever the threshold and counting nothing: a command's own summary
 * or usage error, which may quote what the operator typed (a path, a language tag). */
void diag_say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* How many diagnostics of this level were reported since start or the last diag_reset(). */
int diag_count(diag_level level);
void diag_reset(void);

/* Lowest level that is printed (default DIAG_WARNING). */
void diag_set_threshold(diag_level level);

/* With on, the calling thread's diagnostics are dropped, not even counted (a first reading of
 * the inputs, whose problems the second reading reports); off restores them. */
void diag_mute(int on);

/* Redirects diagnostics to sink (tests capture them); NULL restores stderr. */
typedef void (*diag_sink)(void *ctx, diag_level level, const char *message);
void diag_set_sink(diag_sink sink, void *ctx);

#endif

/* diag.c: diagnostics as "file:line: message", counted by level. */
#include "diag.h"
#include "util.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

static int counts[DIAG_ERROR + 1];
static diag_level threshold = DIAG_WARNING;
static diag_sink sink;
static void *sink_ctx;
/* Workers of a batch report concurrently; one lock keeps lines whole and counts right. */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static _Thread_local int muted; /* diag_mute: this thread's diagnostics go nowhere */

void diag(diag_level level, const char *file, int line, const char *fmt, ...)
{
	if (muted)
		return;
	strbuf sb = {0};
	if (file) {
		sb_append_escaped(&sb, file);
		if (line > 0)
			sb_printf(&sb, ":%d", line);
		sb_append(&sb, ": ");
	} else {
		sb_append(&sb, "handout: ");
	}
	if (level == DIAG_WARNING)
		sb_append(&sb, "warning: ");
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n > 0) {
		char *msg = xmalloc((size_t)n + 1);
		va_start(ap, fmt);
		vsnprintf(msg, (size_t)n + 1, fmt, ap);
		va_end(ap);
		sb_append_escaped(&sb, msg);
		free(msg);
	}
	pthread_mutex_lock(&lock);
	counts[level]++;
	if (sink)
		sink(sink_ctx, level, sb.data);
	else if (level >= threshold)
		fprintf(stderr, "%s\n", sb.data);
	pthread_mutex_unlock(&lock);
	sb_free(&sb);
}

void diag_say(const char *fmt, ...)
{
	strbuf msg = {0}, sb = {0};
	va_list ap;
	va_start(ap, fmt);
	sb_vprintf(&msg, fmt, ap);
	va_end(ap);
	sb_append(&sb, "handout: ");
	sb_append_escaped(&sb, msg.data ? msg.data : "");
	sb_free(&msg);
	pthread_mutex_lock(&lock);
	fprintf(stderr, "%s\n", sb.data);
	pthread_mutex_unlock(&lock);
	sb_free(&sb);
}

int diag_count(diag_level level)
{
	pthread_mutex_lock(&lock);
	int n = counts[level];
	pthread_mutex_unlock(&lock);
	return n;
}

void diag_reset(void)
{
	pthread_mutex_lock(&lock);
	for (int i = 0; i <= DIAG_ERROR; i++)
		counts[i] = 0;
	pthread_mutex_unlock(&lock);
}

void diag_set_threshold(diag_level level)
{
	threshold = level;
}

void diag_set_sink(diag_sink new_sink, void *ctx)
{
	sink = new_sink;
	sink_ctx = ctx;
}

void diag_mute(int on)
{
	muted = on;
}

/* batch.c: streaming, parallel, resumable batch runs with a manifest in input order. */
#include "batch.h"
#include "content.h"
#include "diag.h"
#include "digest.h"
#include "mail.h"
#include "manifest.h"
#include "out_list.h"
#include "out_pdf.h"
#include "output.h"
#include "pipeline.h"
#include "reader.h"
#include "settings.h"
#include "template.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MANIFEST      "manifest.csv"
#define MANIFEST_PREV ".manifest.prev" /* the manifest a --resume started from */
#define FSYNC_EVERY   1000             /* manifest rows between fsyncs */

typedef enum slot_state { SLOT_FREE, SLOT_PENDING, SLOT_TAKEN, SLOT_DONE } slot_state;

/* One patient in flight, from reading to its manifest row. */
typedef struct slot {
	slot_state state;
	patient *p;
	char input_sha[65];
	manifest_row prev; /* the earlier run's row for this patient (resume), or empty */
	int has_prev;
	manifest_row row; /* the row to write, fields owned here */
	int ok, kept;
	int discard; /* the run stopped before this patient's row: none is written */
	size_t bytes;
	handout_result res; /* the laid-out pages (a kept letter's too, for its bundle), or empty */
	void **made;        /* what each sink's make made, for its take (out_list_make) */
} slot;

typedef struct run {
	const resources *r;
	const batch_options *o;
	pthread_mutex_t lock;
	pthread_cond_t changed;
	slot *slots;
	size_t nslots;
	size_t placed;    /* patients placed in slots so far */
	size_t taken;     /* next seq a worker takes */
	size_t committed; /* next seq whose row is written */
	int reading_done;
	int manifest_fd;
	off_t manifest_len; /* bytes of whole rows (and the header) in the manifest */
	size_t rows_since_sync;
	int stopped; /* the output's disk failed (full, quota, I/O): atomic access */
	int stop_err;
	batch_stats *st;
	out_list *sinks;      /* each patient made on the workers, then taken in input order */
	char run_options[65]; /* run_options_hash */
	/* progress */
	size_t expected;
	struct timespec started, last_progress;
	int progress_len; /* characters of the last progress line, to blank what is left */
} run;

int batch_shard_of(const char *patient_id, int n)
{
	return (int)(hash_fnv1a(patient_id) % (uint64_t)n) + 1;
}

static double seconds_since(const struct timespec *t)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t->tv_sec) + (now.tv_nsec - t->tv_nsec) / 1e9;
}

/* What a handout depends on besides the patient and the files it is made from (those are
 * in pipeline_fingerprint): the envelope (a letter is not the same PDF as a handout). */
static void run_options_hash(const batch_options *o, char out[65])
{
	strbuf sb = {0};
	sb_printf(&sb, "mailing %s\n", o->mailing ? o->mailing->name : "none");
	digest_sha256_hex(sb.data, sb.len, out);
	sb_free(&sb);
}

/* The patient's input as --resume compares it: everything printed from it, in a
 * canonical form, with the fingerprint of what its handout is made from (every byte of
 * content, translation, settings, template, fonts, logo and program), the run's options and
 * the date that would be printed. */
static void input_hash(const run *ru, const patient *p, char out[65])
{
	strbuf sb = {0};
	sb_printf(&sb, "%s\n%s\n%s\n%s\n%s\n%s\n%s\n", pipeline_fingerprint(ru->r, p), ru->run_options, p->id,
	          p->name ? p->name : "", p->birth_date ? p->birth_date : "", p->language ? p->language : "",
	          pipeline_date(ru->r, p));
	for (size_t i = 0; i < p->naddress; i++)
		sb_printf(&sb, "a:%s\n", p->address[i]);
	for (size_t i = 0; i < p->nanswers; i++)
		for (size_t k = 0; k < p->answers[i].nvalues; k++)
			sb_printf(&sb, "%s=%s\n", p->questionnaire->questions[i].id, p->answers[i].values[k]);
	digest_sha256_hex(sb.data, sb.len, out);
	sb_free(&sb);
}

static void set_field(manifest_row *row, int col, const char *value)
{
	free(row->field[col]);
	row->field[col] = xstrdup(value ? value : "");
}

static void clear_row(manifest_row *row)
{
	for (int i = 0; i < MANIFEST_COLUMNS; i++) {
		free(row->field[i]);
		row->field[i] = NULL;
	}
}

/* A resumed patient is kept when its earlier row was ok for the same input and its PDF
 * is still there, whole, with the recorded checksum. */
static int still_sound(const run *ru, const slot *s)
{
	const manifest_row *pr = &s->prev;
	if (!s->has_prev || strcmp(pr->field[M_STATUS], "ok") != 0 ||
	    strcmp(pr->field[M_INPUT_SHA256], s->input_sha) != 0)
		return 0;
	char *path = out_pdf_path(ru->o->out_dir, s->p->id);
	size_t len;
	char *data = file_read_all(path, &len);
	free(path);
	if (!data)
		return 0;
	char sha[65];
	digest_sha256_hex(data, len, sha);
	free(data);
	return strcmp(sha, pr->field[M_SHA256]) == 0;
}

static int stopped(run *ru)
{
	return __atomic_load_n(&ru->stopped, __ATOMIC_ACQUIRE);
}

/* The output's disk cannot take more: the run takes no new patients, writes no more rows
 * and tells how far it got (the first error is kept). */
static void stop_run(run *ru, int err)
{
	pthread_mutex_lock(&ru->lock);
	if (!ru->stopped) {
		ru->stop_err = err;
		__atomic_store_n(&ru->stopped, 1, __ATOMIC_RELEASE);
	}
	pthread_mutex_unlock(&ru->lock);
}

/* A patient's handout that an earlier run made and that still matches: its row is the earlier
 * one, but for where the patient is now. */
static void keep_previous(slot *s, const char *source)
{
	for (int i = 0; i < MANIFEST_COLUMNS; i++)
		set_field(&s->row, i, s->prev.field[i]);
	set_field(&s->row, M_SOURCE, source);
	set_field(&s->row, M_RECORD, s->p->source ? s->p->source : "");
	set_field(&s->row, M_SUBJECT, s->p->subject ? s->p->subject : "");
	s->ok = s->kept = 1;
}

/* A made handout that is not mailed: the manifest's error column says why (its status
 * stays ok). */
static void note_not_mailed(slot *s)
{
	if (!s->res.not_mailed)
		return;
	strbuf why = {0};
	sb_printf(&why, "not mailed: %s", s->res.not_mailed);
	set_field(&s->row, M_ERROR, why.data);
	sb_free(&why);
}

/* A patient who gets no handout: the row says why. */
static void error_row(slot *s, const char *why)
{
	set_field(&s->row, M_STATUS, "error");
	set_field(&s->row, M_ERROR, why);
}

/* The pipeline failed: why, in the row (and said, for a letter that could not be made). */
static void not_made(slot *s)
{
	const patient *p = s->p;
	strbuf why = {0};
	if (s->res.letter_error)
		sb_printf(&why, "no letter was made: %s", s->res.letter_error);
	error_row(s, why.data ? why.data : "the PDF could not be made (see the log)");
	if (s->res.letter_error)
		diag(DIAG_ERROR, p->file, p->line, "patient %s: %s", p->id, why.data);
	sb_free(&why);
	handout_result_free(&s->res);
}

/* A made handout's row; its file, size and checksum come when its sinks take it. */
static void made_row(slot *s)
{
	const patient *p = s->p;
	manifest_row *row = &s->row;
	char num[32];
	set_field(row, M_STATUS, "ok");
	snprintf(num, sizeof num, "%zu", s->res.pages);
	set_field(row, M_PAGES, num);
	set_field(row, M_NOTICE, s->res.notice);
	set_field(row, M_CAUSES, s->res.causes);
	set_field(row, M_EXERCISES, s->res.exercises);
	set_field(row, M_RECORD, p->source ? p->source : "");
	set_field(row, M_SUBJECT, p->subject ? p->subject : "");
	set_field(row, M_LANGUAGE, s->res.language);
	set_field(row, M_TITLE, s->res.title);
	note_not_mailed(s);
	s->ok = 1;
}

/* The sinks' make steps for a handout laid out in this run: its PDF rendered and written,
 * not yet in place. */
static void make_outputs(run *ru, slot *s)
{
	out_handout h = out_list_handout(ru->r, s->p, &s->res);
	const char *failed;
	int err = 0;
	if (out_list_make(ru->sinks, &h, s->made, &failed, &err) != 0) {
		stop_run(ru, err);
		s->discard = 1;
		handout_result_free(&s->res);
	} else if (failed) {
		error_row(s, failed);
		handout_result_free(&s->res);
	} else {
		made_row(s);
		if (!out_list_needs_pages(ru->sinks)) /* memory stays flat with the ring's size */
			handout_result_free_pages(&s->res);
	}
}

/* Makes (or keeps) one patient's handout: laid out, then each sink's make (the PDF rendered
 * and written, not yet published); fills its manifest row. Runs in a worker. */
static void process(run *ru, slot *s)
{
	const patient *p = s->p;
	if (stopped(ru)) {
		s->discard = 1;
		return;
	}
	manifest_row *row = &s->row;
	char source[64 + 4096];
	snprintf(source, sizeof source, "%s:%d", p->file, p->line);
	set_field(row, M_PATIENT, p->id);
	set_field(row, M_SOURCE, source);
	set_field(row, M_INPUT_SHA256, s->input_sha);
	set_field(row, M_DATE, pipeline_date(ru->r, p));
	if (p->error) {
		error_row(s, p->error);
		return;
	}
	int kept = ru->o->resume && still_sound(ru, s);
	if (kept && !ru->o->mailing) {
		keep_previous(s, source);
		return;
	}
	/* A kept letter is laid out again: its pages go to its bundle in input order. */
	int rc = ru->o->mailing ? pipeline_letter(ru->r, p, ru->o->mailing, &s->res)
	                        : pipeline_handout(ru->r, p, DUMP_NONE, NULL, &s->res);
	if (rc != 0) {
		not_made(s);
		return;
	}
	if (kept) {
		keep_previous(s, source);
		note_not_mailed(s);
		return;
	}
	make_outputs(ru, s);
}

static void *worker(void *arg)
{
	run *ru = arg;
	pthread_mutex_lock(&ru->lock);
	for (;;) {
		while (ru->taken >= ru->placed && !ru->reading_done)
			pthread_cond_wait(&ru->changed, &ru->lock);
		if (ru->taken >= ru->placed)
			break;
		slot *s = &ru->slots[ru->taken % ru->nslots];
		ru->taken++;
		s->state = SLOT_TAKEN;
		pthread_mutex_unlock(&ru->lock);
		process(ru, s);
		pthread_mutex_lock(&ru->lock);
		s->state = SLOT_DONE;
		pthread_cond_broadcast(&ru->changed);
	}
	pthread_mutex_unlock(&ru->lock);
	return NULL;
}

static void progress_line(run *ru, int final)
{
	if (!ru->o->progress)
		return;
	if (!final && seconds_since(&ru->last_progress) < 0.25)
		return;
	clock_gettime(CLOCK_MONOTONIC, &ru->last_progress);
	double t = seconds_since(&ru->started);
	size_t done = ru->committed;
	double rate = t > 0 ? done / t : 0;
	char left[32] = "";
	if (ru->expected > done && rate > 0) {
		long secs = (long)((ru->expected - done) / rate);
		snprintf(left, sizeof left, ", %ld:%02ld left", secs / 60, secs % 60);
	}
	char line[160];
	int n = ru->expected ? snprintf(line, sizeof line, "%zu/%zu patients, %.0f a second%s", done,
	                                ru->expected, rate, final ? "" : left)
	                     : snprintf(line, sizeof line, "%zu patients, %.0f a second", done, rate);
	/* Spaces over whatever the longer line before left ("...:00 left"). */
	fprintf(stderr, "\r%s%*s%s", line, ru->progress_len > n ? ru->progress_len - n : 0, "",
	        final ? "\n" : "");
	ru->progress_len = n;
}

/* A made PDF that could not be kept: its row says why and names no file. */
static void fail_row(slot *s, const char *why)
{
	s->ok = 0;
	for (int c = M_FILE; c <= M_EXERCISES; c++)
		if (c != M_STATUS)
			set_field(&s->row, c, "");
	set_field(&s->row, M_STATUS, "error");
	set_field(&s->row, M_ERROR, why);
}

/* Frees a slot's patient, row and handout. */
static void release(slot *s)
{
	patient_free(s->p);
	s->p = NULL;
	clear_row(&s->row);
	clear_row(&s->prev);
	handout_result_free(&s->res);
	s->has_prev = 0;
	s->ok = s->kept = s->discard = 0;
	s->bytes = 0;
}

/* After the stop: the patient gets no row and what its sinks made (its unpublished PDF) is
 * removed; --resume makes it. */
static void discard(run *ru, slot *s)
{
	out_list_drop(ru->sinks, s->made);
	ru->st->discarded++;
	release(s);
}

/* Writes one committed slot's row and frees the slot. A row is written whole or not at
 * all: on a failed write the manifest is cut back to its last whole row and the run stops. */
static void write_row(run *ru, slot *s)
{
	strbuf line = {0};
	manifest_format(&s->row, &line);
	int err = output_write_all(ru->manifest_fd, line.data, line.len);
	if (!err && ++ru->rows_since_sync >= FSYNC_EVERY) {
		err = fsync(ru->manifest_fd) != 0 ? errno : 0;
		ru->rows_since_sync = 0;
	}
	if (err) {
		if (ftruncate(ru->manifest_fd, ru->manifest_len) != 0 ||
		    lseek(ru->manifest_fd, ru->manifest_len, SEEK_SET) < 0)
			diag(DIAG_ERROR, ru->o->out_dir, 0, "cannot cut %s back to its last whole row: %s",
			     MANIFEST, strerror(errno));
		if (!output_space_error(err))
			diag(DIAG_ERROR, ru->o->out_dir, 0, "cannot write %s: %s", MANIFEST, strerror(err));
		sb_free(&line);
		stop_run(ru, err);
		discard(ru, s);
		return;
	}
	ru->manifest_len += (off_t)line.len;
	sb_free(&line);
	batch_stats *st = ru->st;
	if (s->ok) {
		st->ok++;
		st->kept += (size_t)s->kept;
		st->bytes += s->bytes;
		if (s->bytes > st->max_bytes)
			st->max_bytes = s->bytes;
	} else {
		st->failed++;
	}
	release(s);
}

/* The patient as its row says, for the sinks. */
static out_handout handout_of(const slot *s)
{
	const manifest_row *row = &s->row;
	return (out_handout){
	    .p = s->p,
	    .pages = s->ok ? s->res.layout : NULL,
	    .mailed = s->ok && s->res.mailed,
	    .title = row->field[M_TITLE],
	    .subject = s->res.subject,
	    .printed_name = s->res.printed_name,
	    .language = row->field[M_LANGUAGE],
	    .date = row->field[M_DATE],
	    .notice = row->field[M_NOTICE],
	    .causes = row->field[M_CAUSES],
	    .exercises = row->field[M_EXERCISES],
	    .file = s->kept ? row->field[M_FILE] : NULL,
	    .error = !s->ok && row->field[M_ERROR] && *row->field[M_ERROR] ? row->field[M_ERROR] : NULL,
	    .not_mailed = s->ok ? s->res.not_mailed : NULL};
}

/* What the sinks say of a patient, into its row: its PDF's file, size and checksum, or why
 * it could not be put in place; a letter's bundle and page. */
static void note_place(run *ru, slot *s, const out_place *where)
{
	char num[32];
	if (where->failed) {
		fail_row(s, where->failed);
	} else if (where->sha256[0]) {
		set_field(&s->row, M_FILE, where->file);
		snprintf(num, sizeof num, "%zu", where->bytes);
		set_field(&s->row, M_BYTES, num);
		set_field(&s->row, M_SHA256, where->sha256);
		s->bytes = where->bytes;
	}
	if (where->bundle) {
		snprintf(num, sizeof num, "mailing-%04d.pdf", where->bundle);
		set_field(&s->row, M_BUNDLE, num);
		snprintf(num, sizeof num, "%zu", where->first_page);
		set_field(&s->row, M_FIRST_PAGE, num);
		ru->st->mailed++;
		ru->st->bundles = (size_t)where->bundle;
	}
}

/* Hands a committed patient to every sink in input order: its PDF put in place (renamed),
 * then the bundles, the report, the DocumentReferences. */
static void feed_sinks(run *ru, slot *s)
{
	out_handout h = handout_of(s);
	out_place where;
	int err = 0;
	if (out_list_take(ru->sinks, &h, s->made, &where, &err, &ru->st->outputs_failed) != 0)
		stop_run(ru, err);
	else
		note_place(ru, s, &where);
}

/* Commits slots first..end-1 (all finished), in input order: what the sinks made for each
 * patient of the group flushed (each PDF, which began its way to the disk when it was
 * written), then each patient handed to the sinks (its PDF renamed) and its manifest row
 * written. Called with the lock held; unlocks for the I/O. */
static void commit_group(run *ru, size_t first, size_t end)
{
	pthread_mutex_unlock(&ru->lock);
	for (size_t i = first; i < end; i++) {
		slot *s = &ru->slots[i % ru->nslots];
		const char *failed;
		int err = 0;
		if (s->discard || stopped(ru))
			continue;
		if (out_list_flush(ru->sinks, s->made, &failed, &err) != 0)
			stop_run(ru, err);
		else if (failed)
			fail_row(s, failed);
	}
	for (size_t i = first; i < end; i++) {
		slot *s = &ru->slots[i % ru->nslots];
		/* After the stop no row is written, so the manifest is a prefix of the input. */
		if (!s->discard && !stopped(ru))
			feed_sinks(ru, s);
		if (s->discard || stopped(ru))
			discard(ru, s);
		else
			write_row(ru, s);
	}
	pthread_mutex_lock(&ru->lock);
	for (size_t i = first; i < end; i++)
		ru->slots[i % ru->nslots].state = SLOT_FREE;
	ru->committed = end;
	progress_line(ru, 0);
	pthread_cond_broadcast(&ru->changed);
}

/* How many slots from the commit point on are finished, in a row. Called with the lock held. */
static size_t done_in_a_row(const run *ru)
{
	size_t end = ru->committed;
	while (end < ru->placed && ru->slots[end % ru->nslots].state == SLOT_DONE)
		end++;
	return end - ru->committed;
}

static void commit_ready(run *ru)
{
	/* Loop: slots finished while the lock was dropped below sent their wake-up to nobody. */
	for (size_t done; (done = done_in_a_row(ru)) > 0;)
		commit_group(ru, ru->committed, ru->committed + done);
}

/* The previous manifest, read alongside the input when resuming (both are in input
 * order, so memory stays flat). */
typedef struct prev_reader {
	manifest_reader *r;
	manifest_row row;
	int has;
} prev_reader;

static void prev_advance(prev_reader *pr)
{
	pr->has = pr->r && manifest_next(pr->r, &pr->row);
}

/* Places a patient in the next slot (waiting for one to free up). */
static void place(run *ru, patient *p, prev_reader *prev)
{
	pthread_mutex_lock(&ru->lock);
	slot *s = &ru->slots[ru->placed % ru->nslots];
	while (s->state != SLOT_FREE) {
		/* Half the ring at a time: a group's flushes overlap while the workers go on with
		 * the other half. */
		size_t done = done_in_a_row(ru);
		if (done >= ru->nslots / 2 || ru->committed + done == ru->placed)
			commit_ready(ru);
		if (s->state != SLOT_FREE)
			pthread_cond_wait(&ru->changed, &ru->lock);
	}
	pthread_mutex_unlock(&ru->lock);
	s->p = p;
	input_hash(ru, p, s->input_sha);
	if (prev && prev->has && strcmp(prev->row.field[M_PATIENT], p->id) == 0) {
		for (int i = 0; i < MANIFEST_COLUMNS; i++)
			s->prev.field[i] = xstrdup(prev->row.field[i]);
		s->has_prev = 1;
		prev_advance(prev);
	}
	pthread_mutex_lock(&ru->lock);
	s->state = SLOT_PENDING;
	ru->placed++;
	pthread_cond_broadcast(&ru->changed);
	/* Commits happen when the ring is full and half of it done (above), or at the end. */
	pthread_mutex_unlock(&ru->lock);
}

/* The reading side of a run, for reader_each. */
typedef struct reading {
	run *ru;
	prev_reader *prev; /* NULL unless resuming */
} reading;

/* Takes one patient of this shard into the run; stops the reading when the disk is full. */
static int read_one(void *ctx, patient *p)
{
	reading *rd = ctx;
	const batch_options *o = rd->ru->o;
	if (o->shard_n > 1 && batch_shard_of(p->id, o->shard_n) != o->shard_k) {
		patient_free(p);
		return 0;
	}
	if (stopped(rd->ru)) { /* the disk is full: take no more */
		patient_free(p);
		return 1;
	}
	diag(DIAG_NOTE, p->file, p->line, "patient %s", p->id);
	place(rd->ru, p, rd->prev);
	return 0;
}

/* Removes temporary files a killed run left (".NAME.XXXXXX.tmp"). */
static void remove_stale_temporaries(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		size_t n = strlen(e->d_name);
		if (e->d_name[0] == '.' && n > 4 && strcmp(e->d_name + n - 4, ".tmp") == 0) {
			char *path = path_join(dir, e->d_name);
			unlink(path);
			free(path);
		}
	}
	closedir(d);
}

/* Counts "<patient" in the inputs, for the progress line's total. */
static size_t count_patients(const batch_options *o)
{
	size_t n = 0;
	for (int i = 0; i < o->ninputs; i++) {
		FILE *f = fopen_regular(o->inputs[i]);
		if (!f)
			continue;
		char buf[1 << 16];
		size_t got, carry = 0;
		while ((got = fread(buf + carry, 1, sizeof buf - carry, f)) > 0) {
			size_t len = carry + got;
			for (char *p = buf; (p = memmem(p, (size_t)(buf + len - p), "<patient", 8)) != NULL;
			     p += 8)
				n += p[8] == ' ' || p[8] == '>' || p[8] == '\t' || p[8] == '\n' ||
				     p[8] == '\r';
			carry = len < 8 ? len : 8;
			memmove(buf, buf + len - carry, carry);
		}
		fclose(f);
	}
	return o->shard_n > 1 ? n / (size_t)o->shard_n : n;
}

/* Opens the previous manifest for --resume. A resume that was itself killed left the
 * verified prefix in manifest.csv and the rest in .manifest.prev; they are merged first. */
static manifest_reader *prepare_previous(const char *dir)
{
	char *cur = path_join(dir, MANIFEST), *prev = path_join(dir, MANIFEST_PREV);
	char *tmp = path_join(dir, MANIFEST_PREV ".tmp");
	struct stat st;
	if (stat(prev, &st) == 0) {
		manifest_reader *a = manifest_open(cur), *b = manifest_open(prev);
		int err, fd = output_create(tmp, &err);
		FILE *out = fd >= 0 ? fdopen(fd, "wb") : NULL;
		if (fd >= 0 && !out)
			close(fd);
		if (out) {
			fputs(MANIFEST_HEADER "\r\n", out);
			manifest_row row;
			char *last = NULL;
			strbuf line = {0};
			while (a && manifest_next(a, &row)) {
				manifest_format(&row, &line);
				free(last);
				last = xstrdup(row.field[M_PATIENT]);
			}
			int copying = last == NULL;
			while (b && manifest_next(b, &row)) {
				if (copying)
					manifest_format(&row, &line);
				else if (strcmp(row.field[M_PATIENT], last) == 0)
					copying = 1;
			}
			fwrite(line.data ? line.data : "", 1, line.len, out);
			sb_free(&line);
			free(last);
			fflush(out);
			fsync(fileno(out));
			fclose(out);
			rename(tmp, prev);
		}
		manifest_close(a);
		manifest_close(b);
	} else {
		rename(cur, prev);
	}
	manifest_reader *r = manifest_open(prev);
	free(cur), free(prev), free(tmp);
	return r;
}

/* The files a run writes in place or reads back: a link at either is refused before
 * anything is done (a link at a PDF, the report or a bundle is that file's error). */
static int refuse_links(const char *dir)
{
	static const char *const names[] = {MANIFEST, MANIFEST_PREV};
	for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
		char *path = path_join(dir, names[i]);
		struct stat st;
		int link = lstat(path, &st) == 0 && S_ISLNK(st.st_mode);
		if (link)
			diag(DIAG_ERROR, path, 0, "cannot write the manifest: %s", output_strerror(ELOOP));
		free(path);
		if (link)
			return -1;
	}
	return 0;
}

static int run_in_folder(const resources *r, const batch_options *o, batch_stats *st);

int batch_run(const resources *r, const batch_options *o, batch_stats *st)
{
	memset(st, 0, sizeof *st);
	if (!r->fingerprint[0]) { /* a caller's mistake: --resume could not see what changed */
		diag(DIAG_ERROR, NULL, 0, "batch: the resources were loaded without their fingerprint");
		return 2;
	}
	if (output_make_dir(o->out_dir) != 0)
		return 2;
	if (access(o->out_dir, W_OK | X_OK) != 0) {
		diag(DIAG_ERROR, o->out_dir, 0, "cannot write in this folder: %s", strerror(errno));
		return 2;
	}
	int err, lock = output_lock_dir(o->out_dir, &err);
	if (lock < 0) {
		if (err == EWOULDBLOCK)
			diag(DIAG_ERROR, o->out_dir, 0,
			     "another handout run is writing in this folder (it holds %s); wait for it "
			     "to end, or give another folder",
			     OUTPUT_LOCK_FILE);
		else
			diag(DIAG_ERROR, o->out_dir, 0, "cannot lock the folder for this run (%s): %s",
			     OUTPUT_LOCK_FILE, output_strerror(err));
		return 2;
	}
	int status = refuse_links(o->out_dir) == 0 ? run_in_folder(r, o, st) : 2;
	output_unlock_dir(o->out_dir, lock);
	return status;
}

/* batch_run once the folder is this run's alone. */
static int run_in_folder(const resources *r, const batch_options *o, batch_stats *st)
{
	/* A full disk or a file size limit must fail one write, not kill the run. */
	signal(SIGXFSZ, SIG_IGN);
	remove_stale_temporaries(o->out_dir);
	prev_reader prev = {0};
	if (o->resume) {
		prev.r = prepare_previous(o->out_dir);
		prev_advance(&prev);
	} else {
		char *stale = path_join(o->out_dir, MANIFEST_PREV);
		unlink(stale);
		free(stale);
	}
	char *mpath = path_join(o->out_dir, MANIFEST);
	int merr, mfd = output_create(mpath, &merr);
	if (mfd >= 0)
		merr = output_write_all(mfd, MANIFEST_HEADER "\r\n", strlen(MANIFEST_HEADER) + 2);
	if (merr) {
		diag(DIAG_ERROR, mpath, 0, "cannot write the manifest: %s", output_strerror(merr));
		if (mfd >= 0) {
			close(mfd);
			unlink(mpath); /* never a partial manifest */
		}
		free(mpath);
		manifest_close(prev.r);
		return 2;
	}
	run ru = {
	    .r = r, .o = o, .manifest_fd = mfd, .manifest_len = (off_t)strlen(MANIFEST_HEADER) + 2, .st = st};
	pthread_mutex_init(&ru.lock, NULL);
	pthread_cond_init(&ru.changed, NULL);
	/* Room for groups of finished PDFs to be flushed together. */
	ru.nslots = (size_t)o->jobs * 8 + 16;
	ru.slots = xcalloc(ru.nslots, sizeof *ru.slots);
	run_options_hash(o, ru.run_options);
	out_options oo = {o->out_dir, NULL,           o->write, o->fhir_documents,
	                  o->mailing, o->bundle_size, o->report};
	ru.sinks = o->sinks ? o->sinks : out_list_new(r, &oo);
	for (size_t i = 0; i < ru.nslots; i++)
		ru.slots[i].made = xcalloc(ru.sinks->n + 1, sizeof *ru.slots[i].made);
	clock_gettime(CLOCK_MONOTONIC, &ru.started);
	ru.last_progress = ru.started;
	if (o->progress)
		ru.expected = count_patients(o);
	pthread_t *threads = xcalloc((size_t)o->jobs, sizeof *threads);
	for (int i = 0; i < o->jobs; i++)
		pthread_create(&threads[i], NULL, worker, &ru);

	reading rd = {&ru, o->resume ? &prev : NULL};
	reader_stats rs;
	reader_each(o->inputs, o->ninputs, &r->content->questionnaire, o->read, read_one, &rd, &rs);
	st->files_failed = rs.files_failed;

	pthread_mutex_lock(&ru.lock);
	ru.reading_done = 1;
	pthread_cond_broadcast(&ru.changed);
	while (ru.committed < ru.placed) {
		commit_ready(&ru);
		if (ru.committed < ru.placed)
			pthread_cond_wait(&ru.changed, &ru.lock);
	}
	pthread_mutex_unlock(&ru.lock);
	for (int i = 0; i < o->jobs; i++)
		pthread_join(threads[i], NULL);
	progress_line(&ru, 1);
	free(threads);
	int every_row = !ru.stopped; /* a stop from here on is at the run's own files */
	int err = fsync(mfd) != 0 ? errno : 0;
	if (close(mfd) != 0 && !err)
		err = errno;
	if (err && output_space_error(err))
		stop_run(&ru, err);
	else if (err)
		diag(DIAG_ERROR, mpath, 0, "cannot finish the manifest: %s", strerror(err));
	free(mpath);
	/* The bundles, the report, DocumentReference.ndjson: a sink's failure that is no
	 * patient's fault is reported by the sink and counted. */
	int serr = 0;
	if (!ru.stopped && out_list_finish(ru.sinks, &serr, &st->outputs_failed) != 0)
		stop_run(&ru, serr);
	if (!o->sinks)
		out_list_free(ru.sinks);
	st->stopped = ru.stopped;
	st->stop_err = ru.stop_err;
	st->every_row = every_row;
	if (prev.r && ru.stopped) {
		/* What the earlier run made beyond this one's stop is still there: keep its rows
		 * for the next --resume. */
		manifest_close(prev.r);
		prev.r = NULL;
	}
	if (prev.r) {
		manifest_close(prev.r);
		char *stale = path_join(o->out_dir, MANIFEST_PREV);
		unlink(stale);
		free(stale);
	}
	for (size_t i = 0; i < ru.nslots; i++)
		free(ru.slots[i].made);
	free(ru.slots);
	pthread_mutex_destroy(&ru.lock);
	pthread_cond_destroy(&ru.changed);
	if (st->stopped)
		return 3;
	return st->failed || st->files_failed || st->outputs_failed ? 1 : 0;
}

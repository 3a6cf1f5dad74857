/* ask.c: the questionnaire asked question by question. Every answer is checked by
 * patient.c, the same checks as every file format, never a copy of them. */
#include "ask.h"
#include "condition.h"
#include "content.h"
#include "diag.h"
#include "out_list.h"
#include "output.h"
#include "patient.h"
#include "pipeline.h"
#include "selection.h"
#include "util.h"
#include "xml.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define ASK_FILE "(ask)" /* where a patient asked at the table "comes from", for messages */

typedef struct session {
	const resources *r;
	const content *c; /* the patient's language */
	const questionnaire *q;
	int terminal;
	char **answer; /* per question: the values, space-separated ids, or NULL */
	char *line;
	size_t line_cap;
	int at_end;      /* standard input has ended, or failed */
	int read_error;  /* why it failed (errno), or 0 when it ended */
	size_t ended_at; /* the question being asked when it ended (nquestions: after them all) */
} session;

/* The next line of input without its newline, or NULL at the end. */
static const char *read_answer(session *s)
{
	if (s->at_end)
		return NULL;
	fflush(stdout);
	errno = 0;
	ssize_t n = getline(&s->line, &s->line_cap, stdin);
	if (n < 0) {
		/* A failed read is not the end of the answers: nothing is made from what came before. */
		s->at_end = 1;
		if (ferror(stdin))
			s->read_error = errno ? errno : EIO;
		return NULL;
	}
	while (n > 0 && (s->line[n - 1] == '\n' || s->line[n - 1] == '\r'))
		s->line[--n] = '\0';
	return s->line;
}

/* Checks values (ids, space-separated) for question qi as patient.c checks every format's:
 * 0 when it takes them all, else -1 with why filled (why->value unset: it pointed into a copy). */
static int check_values(const session *s, size_t qi, const char *values, refusal *why)
{
	const question *qu = &s->q->questions[qi];
	char *copy = xstrdup(values);
	int rc = 0;
	size_t given = 0;
	for (char *save, *v = strtok_r(copy, " ", &save); v && rc == 0; v = strtok_r(NULL, " ", &save)) {
		char *taken;
		double number;
		rc = patient_check_answer(qu, given++, v, &taken, &number, why);
		if (rc == 0)
			free(taken);
	}
	free(copy);
	why->value = NULL;
	return rc;
}

/* The words typed for a yes/no question as "yes"/"no"; NULL when they are neither. */
static const char *yes_no(const session *s, const char *t)
{
	const char *yes = locale_word(&s->c->words, W_YES), *no = locale_word(&s->c->words, W_NO);
	if (strcasecmp(t, "y") == 0 || strcasecmp(t, "yes") == 0 || strcasecmp(t, yes) == 0 ||
	    (strlen(t) == 1 && tolower((unsigned char)*t) == tolower((unsigned char)*yes)))
		return "yes";
	if (strcasecmp(t, "n") == 0 || strcasecmp(t, "no") == 0 || strcasecmp(t, no) == 0 ||
	    (strlen(t) == 1 && tolower((unsigned char)*t) == tolower((unsigned char)*no)))
		return "no";
	return NULL;
}

/* What was typed as the question's values (choice numbers or ids, separated by spaces or
 * commas; y/n), into *out (caller frees): REFUSAL_NONE; else why it cannot be read, as
 * patient.c would say it (not a choice, not yes or no, more than one answer), *out unset. */
static refusal_code parse_typed(const session *s, const question *qu, const char *typed, char **out)
{
	strbuf sb = {0};
	char *copy = xstrdup(typed);
	refusal_code why = REFUSAL_NONE;
	size_t count = 0;
	for (char *save, *tok = strtok_r(copy, " ,;", &save); tok && why == REFUSAL_NONE;
	     tok = strtok_r(NULL, " ,;", &save)) {
		const char *v = tok;
		if (qu->type == Q_CHOICE) {
			char *end;
			long k = strtol(tok, &end, 10);
			if (*end == '\0' && k >= 1 && (size_t)k <= qu->nchoices)
				v = qu->choices[k - 1].value;
			else if (*end == '\0')
				why = REFUSAL_NOT_CHOICE;
		} else if (qu->type == Q_BOOLEAN) {
			v = yes_no(s, tok);
			if (!v)
				why = REFUSAL_NOT_YES_NO;
		}
		if (why == REFUSAL_NONE && ++count > 1 && !qu->multiple)
			why = REFUSAL_ONE_ANSWER;
		if (why == REFUSAL_NONE)
			sb_printf(&sb, "%s%s", sb.len ? " " : "", v);
	}
	free(copy);
	if (why != REFUSAL_NONE) {
		sb_free(&sb);
		return why;
	}
	*out = sb_take(&sb);
	return REFUSAL_NONE;
}

/* "Please type a whole number from {min} to {max}." in w's words. */
static char *number_words(const locale *w, double min, double max)
{
	char lo[32], hi[32];
	snprintf(lo, sizeof lo, "%g", min);
	snprintf(hi, sizeof hi, "%g", max);
	return locale_format(w, W_ASK_BAD_NUMBER, "min", lo, "max", hi, (const char *)NULL);
}

char *ask_refusal_words(const locale *w, const question *qu, const refusal *rf)
{
	char n[16];
	switch (rf->code) {
	case REFUSAL_RANGE:
		return number_words(w, rf->min, rf->max);
	case REFUSAL_NOT_CHOICE:
		snprintf(n, sizeof n, "%zu", qu->nchoices);
		return locale_format(w, W_ASK_BAD_CHOICE, "n", n, (const char *)NULL);
	case REFUSAL_NOT_YES_NO:
		return xstrdup(locale_word(w, W_ASK_BAD_YESNO));
	case REFUSAL_ONE_ANSWER:
		/* Two answers where one goes: what one answer to this question is. */
		if (qu->type == Q_CHOICE)
			return xstrdup(locale_word(w, W_ASK_BAD_ONE));
		if (qu->type == Q_BOOLEAN)
			return xstrdup(locale_word(w, W_ASK_BAD_YESNO));
		/* fall through */
	case REFUSAL_NOT_WHOLE:
	case REFUSAL_NOT_DECIMAL:
		if (qu->has_min && qu->has_max)
			return number_words(w, qu->min, qu->max);
		break;
	default:
		break;
	}
	return xstrdup(locale_word(w, W_ASK_BAD));
}

static void clear_screen(const session *s)
{
	if (s->terminal)
		fputs("\033[H\033[2J", stdout);
}

/* Question qi on a screen of its own (on a terminal), with why the last answer was not
 * taken, when one was not (said there, not waited on: an answer typed at once is the next
 * try), and a prompt that fits the question. */
static void show_question(const session *s, size_t qi, const char *said)
{
	const question *qu = &s->q->questions[qi];
	char n[16], m[16];
	snprintf(n, sizeof n, "%zu", qi + 1);
	snprintf(m, sizeof m, "%zu", s->q->nquestions);
	char *head = locale_format(&s->c->words, W_ASK_QUESTION, "n", n, "m", m, (const char *)NULL);
	clear_screen(s);
	if (said)
		printf("%s\n", said);
	printf("%s\n%s\n", head, s->c->questionnaire.questions[qi].text);
	free(head);
	for (size_t k = 0; k < qu->nchoices; k++)
		printf("  %zu. %s\n", k + 1, s->c->questionnaire.questions[qi].choices[k].label);
	if (qu->type == Q_CHOICE) {
		fputs(locale_word(&s->c->words, qu->multiple ? W_ASK_CHOICES : W_ASK_CHOICE), stdout);
	} else if (qu->type == Q_BOOLEAN) {
		fputs(locale_word(&s->c->words, W_ASK_YESNO), stdout);
	} else {
		char lo[32], hi[32];
		snprintf(lo, sizeof lo, "%g", qu->min);
		snprintf(hi, sizeof hi, "%g", qu->max);
		char *prompt =
		    locale_format(&s->c->words, qu->required ? W_ASK_NUMBER_REQUIRED : W_ASK_NUMBER, "min",
		                  lo, "max", hi, (const char *)NULL);
		fputs(prompt, stdout);
		free(prompt);
	}
	if (!s->terminal)
		putchar('\n');
}

/* Asks question qi until it has an acceptable answer, an empty one (when not required) or
 * the input ends. */
static void ask_one(session *s, size_t qi)
{
	const question *qu = &s->q->questions[qi];
	char *said = NULL;
	for (;;) {
		show_question(s, qi, said);
		free(said);
		said = NULL;
		const char *typed = read_answer(s);
		if (!typed) {
			if (s->ended_at == s->q->nquestions)
				s->ended_at = qi;
			return;
		}
		char *t = text_normalize_space(typed);
		if (!*t) {
			free(t);
			if (qu->required) {
				said = xstrdup(locale_word(&s->c->words, W_ASK_REQUIRED));
				continue;
			}
			free(s->answer[qi]);
			s->answer[qi] = NULL;
			return;
		}
		char *values = NULL;
		refusal why = {.code = parse_typed(s, qu, t, &values), .question = qu};
		free(t);
		if (why.code == REFUSAL_NONE && check_values(s, qi, values, &why) == 0) {
			free(s->answer[qi]);
			s->answer[qi] = values;
			return;
		}
		free(values);
		/* In the patient's words, never patient.c's reason for staff (in English). */
		said = ask_refusal_words(&s->c->words, qu, &why);
	}
}

/* text cut to at most n characters (whole UTF-8 ones), "..." marking the cut (static). */
static const char *cut(const char *text, size_t n)
{
	static char buf[256];
	size_t chars = 0, i = 0;
	for (; text[i] && i + 4 < sizeof buf; i++) {
		if (((unsigned char)text[i] & 0xC0) != 0x80 && ++chars > n)
			break;
		buf[i] = text[i];
	}
	if (text[i])
		memcpy(buf + i, "\xE2\x80\xA6", 4);
	else
		buf[i] = '\0';
	return buf;
}

/* The answers, a line each so they fit a screen: "5. How did the massage pressure fe...: Strong". */
static void show_summary(const session *s)
{
	clear_screen(s);
	printf("%s\n", locale_word(&s->c->words, W_ASK_SUMMARY));
	for (size_t i = 0; i < s->q->nquestions; i++) {
		const question *qu = &s->c->questionnaire.questions[i];
		printf("%2zu. %s: ", i + 1, cut(qu->text, 44));
		if (!s->answer[i]) {
			printf("%s\n", locale_word(&s->c->words, W_ASK_NOT_ANSWERED));
			continue;
		}
		char *copy = xstrdup(s->answer[i]);
		int first = 1;
		for (char *save, *v = strtok_r(copy, " ", &save); v;
		     v = strtok_r(NULL, " ", &save), first = 0) {
			const choice *ch = question_find_choice(qu, v);
			const char *shown = ch                      ? ch->label
			                    : strcmp(v, "yes") == 0 ? locale_word(&s->c->words, W_YES)
			                    : strcmp(v, "no") == 0  ? locale_word(&s->c->words, W_NO)
			                                            : v;
			printf("%s%s", first ? "" : ", ", shown);
		}
		printf("\n");
		free(copy);
	}
}

/* The patient the answers make, checked by patient.c as any file's. */
static patient *make_patient(const session *s, const ask_options *o, const char *id)
{
	patient *p = patient_new(ASK_FILE, 0, s->q);
	patient_set_id(p, id, 0, NULL);
	if (o->name && *o->name)
		patient_set_name(p, xstrdup(o->name), 0);
	if (o->language)
		patient_set_language(p, xstrdup(o->language), 0);
	for (size_t i = 0; i < s->q->nquestions; i++) {
		if (!s->answer[i])
			continue;
		char *copy = xstrdup(s->answer[i]);
		for (char *save, *v = strtok_r(copy, " ", &save); v; v = strtok_r(NULL, " ", &save))
			patient_add_answer(p, s->q->questions[i].id, v, 0);
		free(copy);
	}
	patient_finish(p, 0);
	return p;
}

/* The questions the input ended before (space-separated ids), or NULL when it did not. */
static char *never_answered(const session *s)
{
	if (s->ended_at >= s->q->nquestions)
		return NULL;
	strbuf ids = {0};
	for (size_t i = s->ended_at; i < s->q->nquestions; i++)
		if (!s->answer[i])
			sb_printf(&ids, "%s%s", ids.len ? " " : "", s->q->questions[i].id);
	return ids.len ? sb_take(&ids) : NULL;
}

/* Adds to out the questions (ids) the condition c looks at. */
static void questions_of(const condition *c, const questionnaire *q, strbuf *out)
{
	if (!c)
		return;
	if (c->question >= 0 && (size_t)c->question < q->nquestions) {
		const char *id = q->questions[c->question].id;
		size_t n = strlen(id);
		int seen = 0;
		for (const char *at = out->data; at && (at = strstr(at, id)) != NULL; at += n)
			seen |= (at == out->data || at[-1] == ' ') && (at[n] == ' ' || at[n] == '\0');
		if (!seen)
			sb_printf(out, "%s%s", out->len ? " " : "", id);
	}
	for (size_t i = 0; i < c->nkids; i++)
		questions_of(c->kids[i], q, out);
}

/* Says, on the terminal, that the input ended before every question was answered: which
 * were never answered, and which of them are red flags (questions the urgent notice's rules
 * look at): a condition on an unanswered question is false, so they cannot raise it. */
static void say_never_answered(const session *s, const patient *p, const char *ids)
{
	strbuf flags = {0}, missed = {0};
	for (size_t i = 0; i < s->r->content->notice_rules.nrules; i++)
		if (strcmp(s->r->content->notice_rules.rules[i].select, "urgent") == 0)
			questions_of(s->r->content->notice_rules.rules[i].when, s->q, &flags);
	size_t n = 0;
	char *copy = xstrdup(ids);
	for (char *save, *id = strtok_r(copy, " ", &save); id; id = strtok_r(NULL, " ", &save)) {
		n++;
		strbuf one = {0};
		sb_printf(&one, " %s ", id);
		strbuf all = {0};
		sb_printf(&all, " %s ", flags.data ? flags.data : "");
		if (strstr(all.data, one.data))
			sb_printf(&missed, "%s%s", missed.len ? ", " : "", id);
		sb_free(&one);
		sb_free(&all);
	}
	free(copy);
	diag(DIAG_WARNING, ASK_FILE, 0,
	     "patient %s: the input ended at question %zu of %zu: %zu question%s never answered "
	     "(%s); the sheet treats %s as not answered%s%s%s",
	     p->id, s->ended_at + 1, s->q->nquestions, n, n == 1 ? " was" : "s were", ids,
	     n == 1 ? "it" : "them",
	     missed.len ? ", so it cannot show whether the red flags among them (" : "",
	     missed.len ? missed.data : "", missed.len ? ") call for urgent care" : "");
	sb_free(&flags);
	sb_free(&missed);
}

/* The answers as native XML, to keep with the record or to run again. Questions the input
 * ended before are named in <answers not-answered="..."> and a comment, so the record says
 * they were never asked rather than looking like a patient who said nothing. */
static int save_answers(const session *s, const patient *p, const char *path, const char *date)
{
	xml_writer *w = xml_writer_new();
	xml_writer_start(w, "patient");
	xml_writer_attr(w, "id", p->id);
	if (p->name) {
		xml_writer_start(w, "name");
		xml_writer_text(w, p->name);
		xml_writer_end(w);
	}
	xml_writer_start(w, "language");
	xml_writer_text(w, p->language);
	xml_writer_end(w);
	xml_writer_start(w, "answers");
	xml_writer_attr(w, "questionnaire", s->q->id);
	xml_writer_attr(w, "date", date);
	char *missed = never_answered(s);
	if (missed) {
		xml_writer_attr(w, "not-answered", missed);
		strbuf comment = {0};
		sb_printf(&comment, " The input ended at question %zu of %zu: these were never answered: %s ",
		          s->ended_at + 1, s->q->nquestions, missed);
		xml_writer_comment(w, comment.data);
		sb_free(&comment);
		free(missed);
	}
	for (size_t i = 0; i < s->q->nquestions; i++) {
		if (!s->answer[i])
			continue;
		char *copy = xstrdup(s->answer[i]);
		for (char *save, *v = strtok_r(copy, " ", &save); v; v = strtok_r(NULL, " ", &save)) {
			xml_writer_start(w, "answer");
			xml_writer_attr(w, "q", s->q->questions[i].id);
			xml_writer_text(w, v);
			xml_writer_end(w);
		}
		free(copy);
	}
	char *text = xml_writer_finish(w);
	int rc = output_write_file(path, text, strlen(text));
	free(text);
	return rc;
}

/* The sheet written to path by the same sink as build's. 0, or -1 after reporting. */
static int put_sheet(const resources *r, const patient *p, const handout_result *res, const char *path)
{
	out_options oo = {.file = path, .write = 1};
	out_list *sinks = out_list_new(r, &oo);
	out_handout h = out_list_handout(r, p, res);
	out_place where;
	int err;
	size_t failures = 0;
	int rc = out_list_one(sinks, &h, &where);
	if (rc == 0 && (out_list_finish(sinks, &err, &failures) != 0 || failures))
		rc = -1;
	out_list_free(sinks);
	return rc ? -1 : 0;
}

/* lp, when CUPS is there: the sheet to the default printer. */
static void print_sheet(const char *pdf)
{
	int has_lp = 0;
	const char *path = getenv("PATH");
	char *dirs = xstrdup(path ? path : "/usr/bin:/bin");
	for (char *save, *d = strtok_r(dirs, ":", &save); d && !has_lp; d = strtok_r(NULL, ":", &save)) {
		char *lp = path_join(d, "lp");
		has_lp = access(lp, X_OK) == 0;
		free(lp);
	}
	free(dirs);
	if (!has_lp) {
		printf("No printing system (CUPS's lp) is installed here: print %s from a PDF viewer.\n",
		       pdf);
		return;
	}
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		execlp("lp", "lp", "--", pdf, (char *)NULL);
		_exit(127);
	}
	int status = 0;
	if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
		printf("The printer did not take %s (lp failed); print it from a PDF viewer.\n", pdf);
}

/* 1 after saying that patient.c refuses an option's value ("handout: --name: name is not
 * valid UTF-8; nothing was asked"), else 0 (value NULL: not given). */
static int option_refused(const char *option, const char *value, int (*check)(const char *, refusal *),
                          const questionnaire *q)
{
	refusal why;
	if (!value || check(value, &why) == 0)
		return 0;
	strbuf text = {0};
	refusal_text(&why, q, &text);
	fprintf(stderr, "handout: %s: %s; nothing was asked\n", option, text.data);
	sb_free(&text);
	return 1;
}

int ask_run(const resources *r, const ask_options *o)
{
	session s = {.r = r,
	             .c = pipeline_language(r, o->language),
	             .q = &r->content->questionnaire,
	             .terminal = isatty(STDIN_FILENO) && isatty(STDOUT_FILENO),
	             .ended_at = r->content->questionnaire.nquestions};
	if (!s.c) {
		diag_say("the questionnaire is not in '%s'; asking in English", o->language);
		s.c = r->content;
	}
	char id[64];
	if (o->id) {
		snprintf(id, sizeof id, "%s", o->id);
	} else {
		time_t now = time(NULL);
		struct tm tm;
		localtime_r(&now, &tm);
		strftime(id, sizeof id, "A-%Y%m%d-%H%M%S", &tm);
	}
	if (!patient_id_valid(id)) {
		fprintf(stderr,
		        "handout: --id may hold only letters, digits, '-', '_' and '.' (64 at most)\n");
		return 2;
	}
	/* --name and --language are checked before the first question, not after the last. */
	if (option_refused("--name", o->name && *o->name ? o->name : NULL, patient_check_name, s.q) ||
	    option_refused("--language", o->language, patient_check_language, s.q))
		return 2;
	s.answer = xcalloc(s.q->nquestions, sizeof *s.answer);
	for (size_t i = 0; i < s.q->nquestions && !s.at_end; i++)
		ask_one(&s, i);
	/* On a terminal, a last look: any answer may be changed before the sheet is made. */
	while (s.terminal && !s.at_end) {
		show_summary(&s);
		fputs(locale_word(&s.c->words, W_ASK_CHANGE), stdout);
		const char *typed = read_answer(&s);
		if (!typed || !*typed)
			break;
		long k = strtol(typed, NULL, 10);
		if (k >= 1 && (size_t)k <= s.q->nquestions)
			ask_one(&s, (size_t)k - 1);
	}
	int status = 0;
	if (s.read_error) {
		diag(DIAG_ERROR, NULL, 0,
		     "cannot read the answers from standard input: %s; no sheet was made",
		     strerror(s.read_error));
		for (size_t i = 0; i < s.q->nquestions; i++)
			free(s.answer[i]);
		free(s.answer);
		free(s.line);
		return 1;
	}
	patient *p = make_patient(&s, o, id);
	char *missed = never_answered(&s);
	if (missed)
		say_never_answered(&s, p, missed);
	free(missed);
	if (p->error) {
		status = 1; /* pain-score unanswered: the input ended before it */
	} else {
		selection *sel = selection_make(r->content, p);
		printf("\nCauses: ");
		for (size_t i = 0; i < sel->ncauses; i++)
			printf("%s%s", i ? ", " : "", sel->causes[i].id);
		printf("%snotice: %s, exercises: ", sel->ncauses ? "; " : "none; ", sel->notice.id);
		for (size_t i = 0; i < sel->nexercises; i++)
			printf("%s%s", i ? ", " : "", sel->exercises[i].id);
		printf("%s\n", sel->nexercises ? "" : "none");
		selection_free(sel);
		if (o->save && save_answers(&s, p, o->save, pipeline_date(r, p)) != 0)
			status = 1;
		handout_result res;
		if (pipeline_handout(r, p, DUMP_NONE, NULL, &res) != 0 ||
		    put_sheet(r, p, &res, o->output) != 0) {
			status = 1;
		} else {
			printf("The sheet for %s (%zu page%s) is in %s\n", p->id, res.pages,
			       res.pages == 1 ? "" : "s", o->output);
			if (o->save)
				printf("The answers are in %s\n", o->save);
			if (o->print)
				print_sheet(o->output);
		}
		handout_result_free(&res);
	}
	patient_free(p);
	for (size_t i = 0; i < s.q->nquestions; i++)
		free(s.answer[i]);
	free(s.answer);
	free(s.line);
	return status;
}

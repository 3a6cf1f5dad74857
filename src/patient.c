/* patient.c: one patient, built field by field by a reader and checked once here. */
#include "patient.h"
#include "diag.h"
#include "questionnaire.h"
#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_ID_LEN 64
/* What a handout prints of a patient has a length a page can hold; more is a data error
 * (and would cost minutes of layout): characters of a name or of an address line, the
 * address's lines, a language tag's bytes, a phone number's characters. */
#define MAX_NAME_CHARS    200
#define MAX_ADDRESS_LINES 10
#define MAX_LANGUAGE_LEN  35
#define MAX_PHONE_CHARS   40

/* Characters (not bytes) of a UTF-8 string. */
static size_t utf8_chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

const char *patient_display_name(const patient *p)
{
	return p->name && *p->name ? p->name : p->id;
}

int patient_answered(const patient *p, int qi)
{
	return qi >= 0 && (size_t)qi < p->nanswers && p->answers[qi].nvalues > 0;
}

void patient_free(patient *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->nanswers; i++) {
		for (size_t k = 0; k < p->answers[i].nvalues; k++)
			free(p->answers[i].values[k]);
		free(p->answers[i].values);
	}
	for (size_t i = 0; i < p->naddress; i++)
		free(p->address[i]);
	free(p->address);
	free(p->answers);
	free(p->id), free(p->name), free(p->birth_date), free(p->language), free(p->phone), free(p->source),
	    free(p->subject);
	free(p->date), free(p->file), free(p->error);
	free(p);
}

/* ---- the set of ids seen in a run ---- */

/* The ids themselves, copied into the table's chunks: a million ids of 8 characters take
 * 41 MB (55 MB at the peak of the last growth), where 64-bit fingerprints took 16 MB but
 * could take two different ids for one (about 1 in 10^7 for a million). */
struct id_set {
	strmap *ids;
};

id_set *id_set_new(void)
{
	id_set *s = xcalloc(1, sizeof *s);
	s->ids = strmap_new(STRMAP_COPY);
	return s;
}

int id_set_add(id_set *s, const char *id)
{
	static char seen; /* the value of every id: the table only says whether it is there */
	return strmap_put(s->ids, id, &seen) == NULL;
}

void id_set_free(id_set *s)
{
	if (!s)
		return;
	strmap_free(s->ids);
	free(s);
}

/* ---- refusals ---- */

/* The choices a question allows, "light, moderate, strong, painful". */
static void choices_text(const question *qu, strbuf *out)
{
	for (size_t i = 0; i < qu->nchoices; i++)
		sb_printf(out, "%s%s", i ? ", " : "", qu->choices[i].value);
}

void refusal_text(const refusal *rf, const questionnaire *q, strbuf *out)
{
	static const char *const fixed[] = {
	    [REFUSAL_NO_ID] = "the patient has no id",
	    [REFUSAL_BAD_ID] =
	        "id may hold only letters, digits, '-', '_' and '.' (64 at most, not starting with '.')",
	    [REFUSAL_DUPLICATE_ID] = "duplicate patient id",
	    [REFUSAL_NAME_UTF8] = "name is not valid UTF-8",
	    [REFUSAL_BIRTH_DATE] = "birth-date is not a real date written YYYY-MM-DD",
	    [REFUSAL_PHONE_UTF8] = "phone is not valid UTF-8",
	    [REFUSAL_ANSWERS_DATE] = "answers date is not a real date written YYYY-MM-DD",
	    [REFUSAL_EMPTY] = "empty answer",
	    [REFUSAL_ONE_ANSWER] = "answered more than once (it takes one answer)",
	    [REFUSAL_NOT_YES_NO] = "not yes or no",
	    [REFUSAL_NOT_WHOLE] = "not a plain whole number (digits, at most 9)",
	    [REFUSAL_NOT_DECIMAL] = "not a plain decimal number",
	    [REFUSAL_MISSING] = "required answer is missing",
	};
	switch (rf->code) {
	case REFUSAL_NAME_LONG:
		sb_printf(out, "name is longer than %zu characters", rf->limit);
		break;
	case REFUSAL_LANGUAGE_LONG:
		sb_printf(out, "language is longer than %zu characters", rf->limit);
		break;
	case REFUSAL_PHONE_LONG:
		sb_printf(out, "phone is longer than %zu characters", rf->limit);
		break;
	case REFUSAL_ADDRESS_LINES:
		sb_printf(out, "address has more than %zu lines", rf->limit);
		break;
	case REFUSAL_ADDRESS_UTF8:
		sb_printf(out, "address line %zu is not valid UTF-8", rf->limit);
		break;
	case REFUSAL_ADDRESS_LONG:
		sb_printf(out, "address line longer than %zu characters", rf->limit);
		break;
	case REFUSAL_NO_QUESTION:
		sb_printf(out, "no such question in questionnaire %s", q->id);
		break;
	case REFUSAL_RANGE:
		sb_printf(out, "outside %g..%g", rf->min, rf->max);
		break;
	case REFUSAL_NOT_CHOICE:
		sb_append(out, "not one of: ");
		choices_text(rf->question, out);
		break;
	default:
		if ((size_t)rf->code < sizeof fixed / sizeof *fixed && fixed[rf->code])
			sb_append(out, fixed[rf->code]);
		break;
	}
}

/* Reports message about p (and question qid, when not NULL) as "file:line: patient P:
 * question Q: message" and keeps the first, with its code. */
static void report(patient *p, int line, const char *qid, refusal_code code, const char *message)
{
	strbuf msg = {0};
	sb_printf(&msg, "patient %s: ", p->id ? p->id : "?");
	if (qid)
		sb_printf(&msg, "question %s: ", qid);
	sb_printf(&msg, "%.511s", message); /* a reason is at most 511 bytes */
	diag(DIAG_ERROR, p->file, line, "%s", msg.data);
	if (!p->error) {
		strbuf full = {0};
		sb_printf(&full, "%s:%d: %s", p->file, line, msg.data);
		p->error = sb_take(&full);
		p->error_code = code;
	}
	sb_free(&msg);
}

/* The question id a message names: an unknown one only when it looks like an id (it may
 * hold anything). */
static const char *printable_qid(const refusal *rf)
{
	if (rf->question)
		return rf->question->id;
	if (!rf->qid)
		return NULL;
	return patient_id_valid(rf->qid) ? rf->qid : "(not a question id)";
}

/* Reports patient.c's refusal rf of something given for p at line. */
static void refuse(patient *p, int line, const refusal *rf)
{
	strbuf why = {0};
	refusal_text(rf, p->questionnaire, &why);
	report(p, line, printable_qid(rf), rf->code, why.data ? why.data : "");
	sb_free(&why);
}

/* A refusal of code with nothing more to say. */
static int refused(refusal *why, refusal_code code, const question *qu, const char *value, size_t limit)
{
	*why = (refusal){.code = code, .question = qu, .value = value, .limit = limit};
	return -1;
}

/* Reports a refusal of code with nothing more to say than its limit. */
static void refuse_code(patient *p, int line, refusal_code code, const question *qu, const char *value,
                        size_t limit)
{
	refusal why;
	refused(&why, code, qu, value, limit);
	refuse(p, line, &why);
}

/* Messages never quote the patient's values: logs and manifests name ids, not answers;
 * file:line points at the value. */
void patient_reject(patient *p, int line, const char *qid, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char buf[512];
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	report(p, line, qid, REFUSAL_READER, buf);
}

int patient_id_valid(const char *id)
{
	size_t n = strlen(id);
	if (n == 0 || n > MAX_ID_LEN || id[0] == '.')
		return 0;
	for (const char *s = id; *s; s++)
		if (!isalnum((unsigned char)*s) || (unsigned char)*s >= 0x80)
			if (*s != '-' && *s != '_' && *s != '.')
				return 0;
	return 1;
}

/* A plain decimal number: an optional '-', 1 to 9 digits and, unless integer, an optional
 * '.' and 1 to 6 digits. No '+', exponent, hex (0x5), infinity or spaces. */
static int parse_number(const char *s, int integer, double *out)
{
	const char *p = s + (*s == '-');
	size_t whole = strspn(p, "0123456789");
	if (whole == 0 || whole > 9)
		return -1;
	p += whole;
	if (*p == '.' && !integer) {
		size_t frac = strspn(p + 1, "0123456789");
		if (frac == 0 || frac > 6)
			return -1;
		p += 1 + frac;
	}
	if (*p != '\0')
		return -1;
	*out = strtod(s, NULL);
	return 0;
}

/* v (normalised, not empty) checked against the type, range and choices of qu. */
static int check_typed(const question *qu, char **v, double *number, const char *raw, refusal *why)
{
	switch (qu->type) {
	case Q_BOOLEAN: {
		int yes = strcasecmp(*v, "yes") == 0 || strcasecmp(*v, "true") == 0;
		if (!yes && strcasecmp(*v, "no") != 0 && strcasecmp(*v, "false") != 0)
			return refused(why, REFUSAL_NOT_YES_NO, qu, raw, 0);
		free(*v);
		*v = xstrdup(yes ? "yes" : "no");
		return 0;
	}
	case Q_INTEGER:
	case Q_DECIMAL:
		if (parse_number(*v, qu->type == Q_INTEGER, number) < 0)
			return refused(why, qu->type == Q_INTEGER ? REFUSAL_NOT_WHOLE : REFUSAL_NOT_DECIMAL,
			               qu, raw, 0);
		if ((qu->has_min && *number < qu->min) || (qu->has_max && *number > qu->max)) {
			refused(why, REFUSAL_RANGE, qu, raw, 0);
			why->min = qu->min, why->max = qu->max;
			return -1;
		}
		return 0;
	case Q_CHOICE:
		return question_find_choice(qu, *v) ? 0 : refused(why, REFUSAL_NOT_CHOICE, qu, raw, 0);
	case Q_STRING:
		break;
	}
	return 0;
}

int patient_check_answer(const question *qu, size_t given, const char *raw, char **value, double *number,
                         refusal *why)
{
	char *v = text_normalize_space(raw);
	double num = 0;
	int rc = *v == '\0'                   ? refused(why, REFUSAL_EMPTY, qu, raw, 0)
	         : given > 0 && !qu->multiple ? refused(why, REFUSAL_ONE_ANSWER, qu, raw, 0)
	                                      : check_typed(qu, &v, &num, raw, why);
	if (rc != 0) {
		free(v);
		return -1;
	}
	*value = v;
	*number = num;
	return 0;
}

/* Checks one answer value against its question and adds it to the patient. */
static void add_answer(patient *p, const question *qu, int qi, const char *raw, int line)
{
	answer *a = &p->answers[qi];
	char *v;
	double num;
	refusal why;
	if (patient_check_answer(qu, a->nvalues, raw, &v, &num, &why) != 0) {
		refuse(p, line, &why);
		a->refused = 1;
		return;
	}
	for (size_t i = 0; qu->type == Q_CHOICE && i < a->nvalues; i++)
		if (strcmp(a->values[i], v) == 0) {
			free(v); /* the same choice twice says nothing new */
			return;
		}
	if (qu->type == Q_INTEGER || qu->type == Q_DECIMAL)
		a->number = num;
	size_t cap = a->nvalues;
	grow_array((void **)&a->values, &cap, a->nvalues + 1, sizeof *a->values);
	a->values[a->nvalues++] = v;
	if (a->line == 0)
		a->line = line;
}

patient *patient_new(const char *file, int line, const questionnaire *q)
{
	patient *p = xcalloc(1, sizeof *p);
	p->file = xstrdup(file);
	p->line = line;
	p->questionnaire = q;
	p->nanswers = q->nquestions;
	p->answers = xcalloc(q->nquestions, sizeof *p->answers);
	p->language = xstrdup("en");
	p->id = xstrdup("?");
	return p;
}

int patient_set_id(patient *p, const char *id, int line, id_set *seen)
{
	if (!id || !patient_id_valid(id)) {
		/* Not echoed: a malformed id may hold anything, a name too. file:line finds it. */
		refuse_code(p, line, id ? REFUSAL_BAD_ID : REFUSAL_NO_ID, NULL, id, 0);
		return -1;
	}
	free(p->id);
	p->id = xstrdup(id);
	if (seen && !id_set_add(seen, id)) {
		refuse_code(p, line, REFUSAL_DUPLICATE_ID, NULL, id, 0);
		return -1;
	}
	return 0;
}

int patient_check_name(const char *text, refusal *why)
{
	if (!utf8_valid(text))
		return refused(why, REFUSAL_NAME_UTF8, NULL, text, 0);
	if (utf8_chars(text) > MAX_NAME_CHARS)
		return refused(why, REFUSAL_NAME_LONG, NULL, text, MAX_NAME_CHARS);
	return 0;
}

void patient_set_name(patient *p, char *text, int line)
{
	free(p->name);
	p->name = text;
	refusal why;
	if (patient_check_name(text, &why) != 0)
		refuse(p, line, &why);
}

void patient_set_birth_date(patient *p, char *text, int line)
{
	free(p->birth_date);
	p->birth_date = text;
	if (!iso_date_valid(text))
		refuse_code(p, line, REFUSAL_BIRTH_DATE, NULL, text, 0);
}

int patient_check_language(const char *text, refusal *why)
{
	return strlen(text) > MAX_LANGUAGE_LEN
	           ? refused(why, REFUSAL_LANGUAGE_LONG, NULL, text, MAX_LANGUAGE_LEN)
	           : 0;
}

void patient_set_language(patient *p, char *text, int line)
{
	free(p->language);
	p->language = text;
	refusal why;
	if (patient_check_language(text, &why) != 0)
		refuse(p, line, &why);
}

void patient_set_phone(patient *p, char *text, int line)
{
	free(p->phone);
	p->phone = text;
	if (!utf8_valid(text))
		refuse_code(p, line, REFUSAL_PHONE_UTF8, NULL, text, 0);
	else if (utf8_chars(text) > MAX_PHONE_CHARS)
		refuse_code(p, line, REFUSAL_PHONE_LONG, NULL, text, MAX_PHONE_CHARS);
}

void patient_add_address_line(patient *p, char *text, int line)
{
	/* The line past the last allowed is kept (the patient is refused: nothing prints it) so
	 * that more lines after it are not refused again: one message for a 20-line address. */
	if (p->naddress > MAX_ADDRESS_LINES) {
		free(text);
		return;
	}
	if (p->naddress == MAX_ADDRESS_LINES)
		refuse_code(p, line, REFUSAL_ADDRESS_LINES, NULL, text, MAX_ADDRESS_LINES);
	else if (!utf8_valid(text))
		refuse_code(p, line, REFUSAL_ADDRESS_UTF8, NULL, text, p->naddress + 1);
	else if (utf8_chars(text) > MAX_NAME_CHARS)
		refuse_code(p, line, REFUSAL_ADDRESS_LONG, NULL, text, MAX_NAME_CHARS);
	size_t cap = p->naddress;
	grow_array((void **)&p->address, &cap, p->naddress + 1, sizeof *p->address);
	p->address[p->naddress++] = text;
}

void patient_set_date(patient *p, const char *date, int line)
{
	free(p->date);
	p->date = xstrdup(date);
	if (!iso_date_valid(date))
		refuse_code(p, line, REFUSAL_ANSWERS_DATE, NULL, date, 0);
}

void patient_add_answer(patient *p, const char *qid, const char *raw, int line)
{
	const questionnaire *q = p->questionnaire;
	int qi = questionnaire_find(q, qid);
	if (qi < 0) {
		refusal why = {.code = REFUSAL_NO_QUESTION, .qid = qid, .value = raw};
		refuse(p, line, &why);
		return;
	}
	add_answer(p, &q->questions[qi], qi, raw, line);
}

void patient_refuse_answer(patient *p, const char *qid, int line, const char *fmt, ...)
{
	char why[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	int qi = questionnaire_find(p->questionnaire, qid);
	patient_reject(p, line, qi >= 0 || patient_id_valid(qid) ? qid : "(not a question id)", "%s", why);
	if (qi >= 0)
		p->answers[qi].refused = 1;
}

void patient_finish(patient *p, int line)
{
	const questionnaire *q = p->questionnaire;
	for (size_t i = 0; i < q->nquestions; i++)
		if (q->questions[i].required && p->answers[i].nvalues == 0 && !p->answers[i].refused)
			refuse_code(p, line, REFUSAL_MISSING, &q->questions[i], NULL, 0);
}

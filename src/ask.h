/* ask.h: handout ask, the questionnaire asked at the treatment table, question by
 * question, in the patient's language, then the sheet made (and saved, and printed). */
#ifndef HANDOUT_ASK_H
#define HANDOUT_ASK_H

struct locale;
struct question;
struct refusal;
struct resources;

typedef struct ask_options {
	const char *id;       /* NULL: one made from the date and time */
	const char *name;     /* NULL: none */
	const char *language; /* NULL: English */
	const char *output;   /* the sheet (PDF) */
	const char *save;     /* the answers as native XML, or NULL */
	int print;            /* send the sheet to the default printer (lp) */
} ask_options;

/* Asks every question on standard input. On a terminal: a screen a question, a summary to
 * change any answer, the selection shown. Otherwise one answer a line and no screen control;
 * the end of input ends the questions (one before the last question is said, naming the
 * questions never answered and the red flags among them, and recorded in the saved answers).
 * A bad answer says why and asks again. Returns the exit status: 0 with the sheet made, 1
 * when it could not be made or saved, or when reading standard input failed (no sheet). */
int ask_run(const struct resources *r, const ask_options *o);

/* What the patient is told, in w's words (their language), when patient.c or the typing
 * refuses an answer to qu for rf: the answer the question wants ("Please type a whole
 * number from 0 to 10."). The caller frees it. */
char *ask_refusal_words(const struct locale *w, const struct question *qu, const struct refusal *rf);

#endif

/* locale.h: the words of a handout that are not content (section titles, labels, dates,
 * "Page 1 of 4"), in one language, from content/words.xml or content/<lang>/words.xml:
 * no patient-facing word is written in C. */
#ifndef HANDOUT_LOCALE_H
#define HANDOUT_LOCALE_H

#include <stddef.h>

struct xnode;

typedef enum word_id {
	W_TITLE,       /* the handout's title */
	W_SUBJECT,     /* the PDF's subject */
	W_FOR,         /* "For {name}, {date}" */
	W_FOR_ID,      /* "For patient {id}, {date}" (no name given) */
	W_SENTENCE,    /* a phrase made a sentence: "{text}." */
	W_TERM,        /* a term before what it means: "{title}:" */
	W_HEADER_NAME, /* "{name} · ID {id}" */
	W_HEADER_ID,   /* "Patient ID {id}" */
	W_PHONE,       /* "Phone {phone}" */
	W_PAGE,        /* "Page {n} of {m}" */
	W_IN_SHORT,
	W_LIKELY_CAUSE,
	W_LIKELY_CAUSES,
	W_POSSIBLE_CAUSES, /* over a list of causes by their names: hedged as the names are not */
	W_WHAT_TO_DO,
	W_SEE_A_DOCTOR, /* labels end in their own punctuation and space: "See a doctor: " */
	W_WHY,
	W_WHY_IT_HURTS,
	W_WHY_WE_THINK,
	W_WHAT_HELPS,
	W_MEDICINES,
	W_CONTINUED,       /* "{title}, continued" */
	W_PICTURES_BEFORE, /* under a card's "continued" line: its pictures are on the page before */
	W_WHY_FOR_YOU,
	W_HOW_MANY,
	W_HOW_LONG, /* a dose timed, not counted: "How long: " */
	W_HOLD,
	W_HOW_OFTEN,
	W_TAKE_CARE,
	W_WHAT_YOU_CAN_DO,
	W_WHEN_TO_SEE,
	W_YOUR_PAIN,
	W_WHERE_IT_HURTS,
	W_HOW_MUCH, /* "How much it hurts: you said {score} out of 10" */
	W_LOG,
	W_LOG_INTRO,
	W_DAY,
	W_LIST_SEP,        /* between items of a list: ", " */
	W_LIST_LAST,       /* before its last item: " and " */
	W_DATE,            /* "{d} {month} {y}" */
	W_FORM_INTRO,      /* the blank questionnaire: how to fill it in */
	W_FORM_NAME,       /* "Name: " before a line to write on */
	W_FORM_DATE,       /* "Date: " */
	W_FORM_ID,         /* "Patient ID: " before a line to write on */
	W_FORM_TELL_STAFF, /* over the red flags: "If you tick Yes to any of questions {first} to {last}..."
	                    */
	W_FORM_TELL_STAFF_TODAY, /* over the today signs: "... tell a member of staff before you leave." */
	W_YES,
	W_NO,
	W_FORM_MAP,     /* "Mark where it hurts on the drawing." */
	W_ASK_REQUIRED, /* ask: "This question needs an answer." */
	W_ASK_SUMMARY,  /* ask: "Your answers" */
	W_ASK_CHANGE,   /* ask: "Type a question's number to change it, or press Enter to make the sheet: " */
	W_ASK_CHOICES,  /* ask, a question with several answers: "Type a number or several, separated by
	                   spaces; Enter to skip: " */
	W_ASK_YESNO,    /* ask: "Type y or n; Enter to skip: " */
	W_ASK_NUMBER,   /* ask: "Type a number from {min} to {max}; Enter to skip: " */
	W_ASK_NOT_ANSWERED, /* ask: "(not answered)" */
	W_ASK_QUESTION,     /* ask: "Question {n} of {m}" */
	W_ASK_BAD,          /* ask: "That answer does not fit this question." */
	W_ASK_CHOICE, /* ask, a question with one answer: "Type the number of your answer; Enter to skip: " */
	W_ASK_NUMBER_REQUIRED, /* ask, a number that must be given: "Type a number from {min} to {max}: " */
	W_ASK_BAD_NUMBER,      /* ask: "Please type a whole number from {min} to {max}." */
	W_ASK_BAD_CHOICE,      /* ask: "Please type the number of an answer, from 1 to {n}." */
	W_ASK_BAD_ONE,         /* ask: "This question takes one answer." */
	W_ASK_BAD_YESNO,       /* ask: "Please type y for yes or n for no." */
	W_COUNT
} word_id;

typedef struct locale {
	char *word[W_COUNT];
	char *month[12];
	char **label_from, **label_to; /* drawings' labels: the English, and this language's */
	size_t nlabels;
} locale;

/* Reads a <words> element of file into l; every word and month must be there. Returns 0,
 * or -1 after reporting each one missing as file:line. */
int locale_read(locale *l, const struct xnode *root, const char *file);
void locale_clear(locale *l);

const char *locale_word(const locale *l, word_id w);
/* The word's template with each {key} replaced: pairs of key and value, ending in NULL.
 * Caller frees. */
char *locale_format(const locale *l, word_id w, ...) __attribute__((sentinel));
/* YYYY-MM-DD as the language writes a date ("24 November 2026", "2026年11月24日"). */
char *locale_date(const locale *l, const char *iso);
/* A drawing's label in this language (the English when it has none). */
const char *locale_label(const locale *l, const char *english);

/* The space between a sentence that ends in `before` and the next: none after an
 * ideographic (full-width) full stop or other CJK punctuation, as Chinese writes it, one
 * space elsewhere. */
const char *locale_sentence_gap(const char *before);
/* Appends sentence to out, after the gap the text already in out asks for. */
struct strbuf;
void locale_join_sentence(struct strbuf *out, const char *sentence);

#endif

/* style.h: the names that connect the document, the templates, layout and rendering:
 * font faces, text roles (sizes) and colours. Values are set by a template. */
#ifndef HANDOUT_STYLE_H
#define HANDOUT_STYLE_H

typedef enum face_id { FACE_REGULAR, FACE_BOLD, FACE_COUNT } face_id;

typedef enum text_role {
	ROLE_BODY,
	ROLE_SMALL,      /* page furniture, captions */
	ROLE_HEADING,    /* section headings */
	ROLE_SUBHEADING, /* exercise and cause titles */
	ROLE_TITLE,      /* the handout's title */
	ROLE_URGENT,     /* the urgent notice's instructions */
	ROLE_COUNT
} text_role;

typedef enum colour_id {
	COLOUR_TEXT,
	COLOUR_ACCENT,
	COLOUR_URGENT,
	COLOUR_RULE,
	COLOUR_SHADE,
	COLOUR_MARK, /* the patient's own answers on a drawing */
	COLOUR_COUNT
} colour_id;

/* The sections of a handout after its title, in the order a template gives. */
typedef enum section_id {
	SECTION_SUMMARY, /* the main message first: causes, what to do, when to get help */
	SECTION_PAIN,    /* the body map and the pain scale, marked with the patient's answers */
	SECTION_NOTES,   /* notes the rules added (rest first, ask before an exercise...) */
	SECTION_CAUSES,
	SECTION_EXERCISES,
	SECTION_LOG,    /* a tick-box log of the chosen exercises for seven days */
	SECTION_DOCTOR, /* when to see a doctor */
	SECTION_ADVICE, /* standard self-care advice */
	SECTION_COUNT
} section_id;

typedef struct rgb {
	double r, g, b; /* 0..1 */
} rgb;

#define PT_PER_MM (72.0 / 25.4)
static inline double mm_to_pt(double mm)
{
	return mm * PT_PER_MM;
}

#endif

/* settings.h: a clinic's settings file: who the clinic is and what its handouts show. */
#ifndef HANDOUT_SETTINGS_H
#define HANDOUT_SETTINGS_H

#include <stddef.h>

typedef struct settings {
	char *clinic_name;
	char **clinic_address; /* lines */
	size_t nclinic_address;
	char *clinic_phone;     /* NULL when not given */
	char *clinic_email;     /* NULL when not given */
	char *logo_path;        /* NULL when not given; relative paths are resolved against the file */
	int show_medication;    /* medication notes are off unless the clinic turns them on */
	char *template_name;    /* NULL: the default template */
	char *emergency_number; /* the number for an ambulance (999, 112, 911...), or NULL */
	char *advice_line;      /* the health service's urgent advice line ("NHS 111"), or NULL */
	int full_metadata;      /* PDF Title names the patient, Keywords the notice; off by default */
} settings;

/* Loads and validates path against schema_path; NULL after reporting "file:line: message". */
settings *settings_load(const char *path, const char *schema_path);
/* Settings for a run without a settings file: no clinic name, medication off. */
settings *settings_default(void);
void settings_free(settings *s);

#endif

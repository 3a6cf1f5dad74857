/* settings.c: a clinic's settings file. */
#include "settings.h"
#include "util.h"
#include "xml.h"

#include <libgen.h>
#include <stdlib.h>
#include <string.h>

settings *settings_default(void)
{
	settings *s = xcalloc(1, sizeof *s);
	s->clinic_name = xstrdup("");
	return s;
}

settings *settings_load(const char *path, const char *schema_path)
{
	xnode *root = xml_load(path, schema_path);
	if (!root)
		return NULL;
	settings *s = settings_default();
	const xnode *clinic = xnode_child(root, "clinic");
	if (clinic) {
		free(s->clinic_name);
		s->clinic_name = xnode_child_text(clinic, "name");
		s->clinic_phone = xnode_child_text(clinic, "phone");
		s->clinic_email = xnode_child_text(clinic, "email");
		const xnode *addr = xnode_child(clinic, "address");
		size_t cap = 0;
		for (size_t i = 0; addr && i < addr->nkids; i++)
			ARRAY_PUSH(s->clinic_address, s->nclinic_address, cap, xnode_text(addr->kids[i]));
		char *logo = xnode_child_text(clinic, "logo");
		if (logo && logo[0] != '/') {
			char *copy = xstrdup(path);
			s->logo_path = path_join(dirname(copy), logo);
			free(copy);
			free(logo);
		} else {
			s->logo_path = logo;
		}
	}
	char *med = xnode_child_text(root, "show-medication");
	s->show_medication = med && strcmp(med, "yes") == 0;
	free(med);
	s->template_name = xnode_child_text(root, "template");
	s->emergency_number = xnode_child_text(root, "emergency-number");
	s->advice_line = xnode_child_text(root, "urgent-advice-line");
	char *meta = xnode_child_text(root, "pdf-metadata");
	s->full_metadata = meta && strcmp(meta, "full") == 0;
	free(meta);
	xnode_free(root);
	return s;
}

void settings_free(settings *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->nclinic_address; i++)
		free(s->clinic_address[i]);
	free(s->clinic_address);
	free(s->clinic_name), free(s->clinic_phone), free(s->clinic_email);
	free(s->logo_path), free(s->template_name), free(s->emergency_number);
	free(s->advice_line);
	free(s);
}

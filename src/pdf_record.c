/* pdf_record.c: what makes a PDF fit to keep as a record (PDF/A-2, ISO 19005-2): XMP
 * metadata saying so and mirroring the Info dictionary, an sRGB output intent with its ICC
 * profile, a file identifier, the version it is written as, and a reader told to show the
 * title (PDF/UA). See doc/pdf-record.md for the rules checked and how. */
#include "diag.h"
#include "pdf.h"
#include "pdf_int.h"
#include "util.h"

#include <errno.h>
#include <hpdf.h>
#include <hpdf_doc.h>
#include <hpdf_objects.h>
#include <libdeflate.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct pdf_profile {
	unsigned char *z; /* the profile deflated (zlib) */
	size_t zlen;
};

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Why an ICC profile cannot be an sRGB output intent for PDF/A-2, or NULL: its header
 * (ICC.1, 7.2) must name its own size, the RGB colour space, a monitor or printer class and
 * a version PDF 1.7 reads (at most 4). */
static const char *profile_unfit(const unsigned char *p, size_t len)
{
	if (len < 132 || be32(p) != len || memcmp(p + 36, "acsp", 4) != 0)
		return "not an ICC profile";
	if (memcmp(p + 16, "RGB ", 4) != 0)
		return "not an RGB profile";
	if (memcmp(p + 12, "mntr", 4) != 0 && memcmp(p + 12, "prtr", 4) != 0)
		return "neither a monitor nor a printer profile";
	if (p[8] > 4)
		return "an ICC version newer than PDF 1.7 reads";
	return NULL;
}

pdf_profile *pdf_profile_load(const char *path)
{
	size_t len;
	char *data = file_read_all(path, &len);
	if (!data) {
		diag(DIAG_ERROR, path, 0, "the colour profile cannot be read: %s", open_strerror(errno));
		return NULL;
	}
	const char *why = profile_unfit((const unsigned char *)data, len);
	if (why) {
		diag(DIAG_ERROR, path, 0, "the colour profile is %s", why);
		free(data);
		return NULL;
	}
	struct libdeflate_compressor *c = libdeflate_alloc_compressor(12);
	pdf_profile *pp = xcalloc(1, sizeof *pp);
	size_t cap = c ? libdeflate_zlib_compress_bound(c, len) : 0;
	pp->z = xmalloc(cap ? cap : 1);
	pp->zlen = c ? libdeflate_zlib_compress(c, data, len, pp->z, cap) : 0;
	libdeflate_free_compressor(c);
	free(data);
	if (!pp->zlen) {
		diag(DIAG_ERROR, path, 0, "the colour profile could not be compressed");
		pdf_profile_free(pp);
		return NULL;
	}
	return pp;
}

void pdf_profile_free(pdf_profile *pp)
{
	if (pp)
		free(pp->z);
	free(pp);
}

/* text with &, < and > as XML writes them. */
static void put_xml(strbuf *sb, const char *text)
{
	for (; *text; text++) {
		if (*text == '&')
			sb_append(sb, "&amp;");
		else if (*text == '<')
			sb_append(sb, "&lt;");
		else if (*text == '>')
			sb_append(sb, "&gt;");
		else
			sb_putc(sb, *text);
	}
}

/* An XMP property of one value: "<element>text</element>", or of a language alternative. */
static void put_property(strbuf *sb, const char *element, const char *text)
{
	sb_printf(sb, "   <%s>", element);
	put_xml(sb, text);
	sb_printf(sb, "</%s>\n", element);
}

static void put_alt(strbuf *sb, const char *element, const char *text)
{
	sb_printf(sb, "   <%s><rdf:Alt><rdf:li xml:lang=\"x-default\">", element);
	put_xml(sb, text);
	sb_printf(sb, "</rdf:li></rdf:Alt></%s>\n", element);
}

static int given(const char *s)
{
	return s && *s;
}

/* The XMP packet: the Info dictionary's entries as set_info writes them (PDF/A-2 asks the
 * two to agree), and when the PDF is PDF/A, the part and level it conforms to. The date is
 * the handout's (no clock), so the bytes stay reproducible. */
static void xmp_packet(strbuf *sb, const pdf_meta *meta, const char *producer, int pdfa)
{
	sb_append(sb, "<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
	              "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
	              " <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
	              "  <rdf:Description rdf:about=\"\"\n"
	              "    xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\"\n"
	              "    xmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n"
	              "    xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\"\n"
	              "    xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\">\n");
	if (pdfa)
		sb_append(sb,
		          "   <pdfaid:part>2</pdfaid:part>\n   <pdfaid:conformance>A</pdfaid:conformance>\n");
	sb_append(sb, "   <dc:format>application/pdf</dc:format>\n");
	if (given(meta->title))
		put_alt(sb, "dc:title", meta->title);
	if (given(meta->author)) {
		sb_append(sb, "   <dc:creator><rdf:Seq><rdf:li>");
		put_xml(sb, meta->author);
		sb_append(sb, "</rdf:li></rdf:Seq></dc:creator>\n");
	}
	if (given(meta->subject))
		put_alt(sb, "dc:description", meta->subject);
	if (given(meta->keywords))
		put_property(sb, "pdf:Keywords", meta->keywords);
	if (given(producer))
		put_property(sb, "pdf:Producer", producer);
	sb_append(sb, "   <xmp:CreatorTool>" PDF_CREATOR "</xmp:CreatorTool>\n");
	if (meta->date && iso_date_valid(meta->date))
		sb_printf(sb, "   <xmp:CreateDate>%sT00:00:00Z</xmp:CreateDate>\n", meta->date);
	sb_append(sb, "  </rdf:Description>\n </rdf:RDF>\n</x:xmpmeta>\n<?xpacket end=\"r\"?>");
}

/* The catalog's /Metadata: the XMP packet, not compressed (PDF/A: readable by tools that
 * know no PDF filters). */
static void add_metadata(HPDF_Doc doc, const pdf_meta *meta, int pdfa)
{
	HPDF_Dict md = HPDF_DictStream_New(doc->mmgr, doc->xref);
	if (!md)
		return;
	HPDF_Dict_AddName(md, "Type", "Metadata");
	HPDF_Dict_AddName(md, "Subtype", "XML");
	strbuf x = {0};
	xmp_packet(&x, meta, HPDF_GetInfoAttr(doc, HPDF_INFO_PRODUCER), pdfa);
	HPDF_Stream_Write(md->stream, (const HPDF_BYTE *)x.data, (HPDF_UINT)x.len);
	sb_free(&x);
	HPDF_Dict_Add(doc->catalog, "Metadata", md);
}

/* The catalog's /OutputIntents: the sRGB profile every colour of the PDF is in. */
static void add_output_intent(HPDF_Doc doc, const pdf_profile *pp)
{
	HPDF_Dict icc = HPDF_DictStream_New(doc->mmgr, doc->xref);
	HPDF_Dict oi = HPDF_Dict_New(doc->mmgr);
	HPDF_Array list = HPDF_Array_New(doc->mmgr);
	if (!icc || !oi || !list)
		return;
	HPDF_Dict_AddNumber(icc, "N", 3);
	use_deflated(icc, pp->z, pp->zlen);
	HPDF_Dict_AddName(oi, "Type", "OutputIntent");
	HPDF_Dict_AddName(oi, "S", "GTS_PDFA1");
	HPDF_Dict_Add(oi, "OutputConditionIdentifier", HPDF_String_New(doc->mmgr, "sRGB IEC61966-2.1", NULL));
	HPDF_Dict_Add(oi, "Info", HPDF_String_New(doc->mmgr, "sRGB IEC61966-2.1", NULL));
	HPDF_Dict_Add(oi, "DestOutputProfile", icc);
	HPDF_Array_Add(list, oi);
	HPDF_Dict_Add(doc->catalog, "OutputIntents", list);
}

void record_begin(HPDF_Doc doc, const pdf_meta *meta)
{
	add_metadata(doc, meta, meta->profile != NULL);
	if (meta->profile)
		add_output_intent(doc, meta->profile);
	HPDF_Dict prefs = HPDF_Dict_New(doc->mmgr);
	if (!prefs)
		return; /* out of memory: libharu's error fails the document */
	HPDF_Dict_AddBoolean(prefs, "DisplayDocTitle", HPDF_TRUE);
	HPDF_Dict_Add(doc->catalog, "ViewerPreferences", prefs);
}

void record_id_add(uint64_t id[2], const char *text)
{
	/* Two FNV-1a hashes from different starts: 128 bits that depend on every byte given. */
	for (const unsigned char *s = (const unsigned char *)text; s && *s; s++) {
		id[0] = (id[0] ^ *s) * 0x100000001b3ULL;
		id[1] = (id[1] ^ *s) * 0x100000001b3ULL;
	}
	id[0] = (id[0] ^ 0xFF) * 0x100000001b3ULL; /* ends each text: "ab","c" is not "a","bc" */
	id[1] = (id[1] ^ 0xFF) * 0x100000001b3ULL;
}

void record_finish(HPDF_Doc doc, const uint64_t id[2])
{
	/* Tagged PDF, /Lang and output intents are PDF 1.4 and later; PDF/A-2 reads up to 1.7. */
	doc->pdf_version = HPDF_VER_17;
	unsigned char bytes[16];
	for (int i = 0; i < 16; i++)
		bytes[i] = (unsigned char)(id[i / 8] >> (8 * (i % 8)));
	/* The file's identifier (PDF/A asks for one), from its metadata and text: the same
	 * handout has the same one, and the bytes stay reproducible. */
	HPDF_Array ids = HPDF_Array_New(doc->mmgr);
	if (!ids)
		return; /* out of memory: libharu's error fails the document */
	HPDF_Array_Add(ids, HPDF_Binary_New(doc->mmgr, bytes, 16));
	HPDF_Array_Add(ids, HPDF_Binary_New(doc->mmgr, bytes, 16));
	HPDF_Dict_Add(doc->trailer, "ID", ids);
}

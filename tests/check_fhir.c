/* check_fhir.c: patients from FHIR R4 in each of its forms (XML, JSON, NDJSON), the real
 * R4 examples refused with a reason, and the same patients read alike in every format. */
#include "content.h"
#include "helpers.h"
#include "patient.h"
#include "questionnaire.h"
#include "reader.h"

#include "util.h"
#include "xml.h"

#include <jansson.h>
#include <nettle/base64.h>
#include <nettle/sha1.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ASSERT_SAYS(r, text)                                                                                 \
	ck_assert_msg(strstr((r)->diags, text), "expected \"%s\" in: %s", text, (r)->diags)

/* A QuestionnaireResponse in FHIR XML around the given items and subject. */
static char *xml_response(const char *id, const char *status, const char *qn, const char *subject,
                          const char *extra, const char *items)
{
	char *s;
	int n = asprintf(
	    &s,
	    "<?xml version=\"1.0\"?>\n<QuestionnaireResponse xmlns=\"http://hl7.org/fhir\">\n"
	    "<id value=\"%s\"/>\n%s<questionnaire value=\"%s\"/>\n<status value=\"%s\"/>\n"
	    "<subject><reference value=\"%s\"/></subject>\n<authored value=\"2026-11-20T09:30:00Z\"/>\n%s"
	    "</QuestionnaireResponse>\n",
	    id, extra, qn, status, subject, items);
	ck_assert_int_gt(n, 0);
	return s;
}

#define OURS    "http://clinic.example/fhir/Questionnaire/lbp-after-massage"
#define PAIN(v) "<item><linkId value=\"pain-score\"/><answer>" v "</answer></item>\n"

START_TEST(fixtures_are_refused_with_a_reason)
{
	static const struct {
		const char *file, *says;
	} fixtures[] = {
	    {"bundle-example.xml", "holds no QuestionnaireResponse (it holds MedicationRequest, Medication)"},
	    {"bundle-references.xml", "holds no QuestionnaireResponse (it holds 4 Patients, Observation)"},
	    {"patient-example.xml",
	     "holds no QuestionnaireResponse (it holds 1 Patient); give the responses in a file after it"},
	    {"questionnaireresponse-example-bluebook.xml", "patient 1: the response names no questionnaire"},
	    {"questionnaireresponse-example-gcs.xml",
	     "patient example: the response is for questionnaire Questionnaire/gcs, not "
	     "Questionnaire/lbp-after-massage"},
	    {"questionnaireresponse-example.xml", "patient 3141: the response names no questionnaire"},
	};
	for (size_t i = 0; i < sizeof fixtures / sizeof *fixtures; i++) {
		char path[4096];
		format_into(path, sizeof path, "%s/tests/fixtures/fhir/%s", data_dir(), fixtures[i].file);
		char *paths[] = {path};
		read_result r;
		read_files(&r, paths, 1);
		ASSERT_SAYS(&r, fixtures[i].says);
		ck_assert_msg(r.files_failed + r.rejected == 1, "%s: failed %zu rejected %zu",
		              fixtures[i].file, r.files_failed, r.rejected);
		ck_assert_ptr_null(strstr(r.diags, "root element"));
		read_result_free(&r);
	}
}
END_TEST

START_TEST(contained_patient_names_the_response)
{
	const char *extra =
	    "<contained><Patient><id value=\"p\"/>"
	    "<name><use value=\"nickname\"/><given value=\"Jojo\"/></name>"
	    "<name><use value=\"official\"/><family value=\"Müller\"/><given value=\"José\"/><given "
	    "value=\"Maria\"/></name>"
	    "<name><use value=\"usual\"/><given value=\"Joe\"/></name>"
	    "<birthDate value=\"1968-04-12\"/>"
	    "<telecom><system value=\"phone\"/><value value=\"0111\"/><use value=\"old\"/></telecom>"
	    "<telecom><system value=\"email\"/><value value=\"j@example.org\"/></telecom>"
	    "<telecom><system value=\"phone\"/><value value=\"+49 30 1234\"/><use "
	    "value=\"mobile\"/></telecom>"
	    "<address><use value=\"old\"/><line value=\"Old Street 1\"/></address>"
	    "<address><use value=\"home\"/><line value=\"Hauptstraße 5\"/><city value=\"Berlin\"/>"
	    "<postalCode value=\"10115\"/><country value=\"Germany\"/></address>"
	    "<communication><language><coding><code value=\"de\"/></coding></language></communication>"
	    "<communication><language><coding><code value=\"es\"/></coding></language><preferred "
	    "value=\"true\"/></communication>"
	    "</Patient></contained>\n";
	char *xml =
	    xml_response("R-1", "completed", OURS "|1", "#p", extra, PAIN("<valueInteger value=\"4\"/>"));
	read_result r;
	read_text(&r, "qr.xml", xml);
	ck_assert_uint_eq(r.n, 1);
	patient *p = r.p[0];
	ck_assert_msg(p->error == NULL, "%s", p->error);
	ck_assert_str_eq(p->id, "R-1"); /* a contained Patient's id is local to its response */
	ck_assert_str_eq(p->name, "José Maria Müller");
	ck_assert_str_eq(p->birth_date, "1968-04-12");
	ck_assert_str_eq(p->phone, "+49 30 1234");
	ck_assert_str_eq(p->language, "es");
	ck_assert_uint_eq(p->naddress, 3);
	ck_assert_str_eq(p->address[0], "Hauptstraße 5");
	ck_assert_str_eq(p->address[1], "10115 Berlin");
	ck_assert_str_eq(p->address[2], "Germany");
	ck_assert_str_eq(p->date, "2026-11-20");
	ck_assert_str_eq(p->source, "QuestionnaireResponse/R-1");
	ck_assert_str_eq(answer_of(p, "pain-score", 0), "4");
	read_result_free(&r);
	free(xml);
}
END_TEST

/* Every value type, answers in groups at any depth and under other answers. */
START_TEST(values_of_every_type_at_any_depth)
{
	const char *items =
	    "<item><linkId value=\"section-1\"/>\n"
	    " <item><linkId value=\"section-1.1\"/>\n"
	    "  <item><linkId value=\"pain-score\"/><answer><valueQuantity><value value=\"7.00\"/><unit "
	    "value=\"{score}\"/></valueQuantity></answer></item>\n"
	    "  <item><linkId value=\"pain-days\"/><answer><valueDecimal value=\"3.0\"/></answer></item>\n"
	    " </item>\n"
	    " <item><linkId value=\"pain-location\"/><answer><valueCoding><system value=\"urn:x\"/><code "
	    "value=\"left\"/></valueCoding></answer>"
	    "<answer><valueString value=\"buttock\"/></answer></item>\n"
	    "</item>\n"
	    "<item><linkId value=\"leg-pain\"/><answer><valueBoolean value=\"true\"/>\n"
	    "  <item><linkId value=\"leg-numbness\"/><answer><valueBoolean "
	    "value=\"false\"/></answer></item></answer></item>\n"
	    "<item><linkId value=\"a-display-item\"/><text value=\"Thank you\"/></item>\n";
	char *xml =
	    xml_response("R-2", "amended", "Questionnaire/lbp-after-massage", "Patient/P-9", "", items);
	read_result r;
	read_text(&r, "qr.xml", xml);
	ck_assert_uint_eq(r.n, 1);
	patient *p = r.p[0];
	ck_assert_msg(p->error == NULL, "%s", p->error);
	ck_assert_str_eq(p->id, "P-9");
	ck_assert_ptr_null(p->name);
	ASSERT_SAYS(&r, "patient P-9: the Patient is not among the inputs");
	ck_assert_str_eq(answer_of(p, "pain-score", 0), "7");
	ck_assert_str_eq(answer_of(p, "pain-days", 0), "3");
	ck_assert_str_eq(answer_of(p, "pain-location", 0), "left");
	ck_assert_str_eq(answer_of(p, "pain-location", 1), "buttock");
	ck_assert_str_eq(answer_of(p, "leg-pain", 0), "yes");
	ck_assert_str_eq(answer_of(p, "leg-numbness", 0), "no");
	read_result_free(&r);
	free(xml);
}
END_TEST

/* Each refusal names the file, the line, the patient and the question. */
START_TEST(bad_values_name_file_line_patient_and_question)
{
	static const struct {
		const char *value, *says;
	} bad[] = {
	    {"<valueDecimal value=\"6.5\"/>",
	     ":8: patient P-1: question pain-score: not a plain whole number"},
	    {"<valueInteger value=\"11\"/>", ":8: patient P-1: question pain-score: outside 0..10"},
	    {"<valueDate value=\"2026-01-01\"/>",
	     ":8: patient P-1: question pain-score: answers of type valueDate are not read"},
	    {"<valueCoding><system value=\"urn:x\"/></valueCoding>",
	     ":8: patient P-1: question pain-score: valueCoding without a code"},
	    {"<valueString value=\"six\"/>",
	     ":8: patient P-1: question pain-score: not a plain whole number"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		char items[512];
		format_into(items, sizeof items,
		            "<item><linkId value=\"pain-score\"/><answer>%s</answer></item>\n", bad[i].value);
		char *xml = xml_response("R", "completed", OURS, "Patient/P-1", "", items);
		read_result r;
		read_text(&r, "qr.xml", xml);
		ck_assert_uint_eq(r.n, 1);
		ck_assert_ptr_nonnull(r.p[0]->error);
		ASSERT_SAYS(&r, bad[i].says);
		read_result_free(&r);
		free(xml);
	}
}
END_TEST

START_TEST(only_completed_and_amended_are_printed)
{
	static const char *const statuses[] = {"in-progress", "stopped", "entered-in-error"};
	for (size_t i = 0; i < 3; i++) {
		char *xml = xml_response("R", statuses[i], OURS, "Patient/P-1", "",
		                         PAIN("<valueInteger value=\"2\"/>"));
		read_result r;
		read_text(&r, "qr.xml", xml);
		ck_assert_uint_eq(r.n, 1);
		ck_assert_ptr_nonnull(r.p[0]->error);
		char says[128];
		format_into(says, sizeof says,
		            "patient P-1: the response's status is '%s': only completed or amended",
		            statuses[i]);
		ASSERT_SAYS(&r, says);
		read_result_free(&r);
		free(xml);
	}
	char *xml =
	    xml_response("R", "completed", OURS "|2", "Patient/P-1", "", PAIN("<valueInteger value=\"2\"/>"));
	read_result r;
	read_text(&r, "qr.xml", xml);
	ASSERT_SAYS(
	    &r, "the response answers version 2 of Questionnaire/lbp-after-massage; handout reads version 1");
	read_result_free(&r);
	free(xml);
	xml = xml_response("R", "completed", "http://x/Questionnaire/not-lbp-after-massage", "Patient/P-1",
	                   "", "");
	read_text(&r, "qr.xml", xml);
	ASSERT_SAYS(&r,
	            "the response is for questionnaire http://x/Questionnaire/not-lbp-after-massage, not");
	read_result_free(&r);
	free(xml);
}
END_TEST

/* A Bundle of each type read; its Patients found by Patient/<id> and by fullUrl (urn:uuid),
 * even when they come after the responses naming them. */
START_TEST(bundles_of_each_type)
{
	static const char *const types[] = {"collection", "searchset", "transaction", "batch"};
	for (size_t i = 0; i < 4; i++) {
		char *xml;
		ck_assert_int_gt(
		    asprintf(
		        &xml,
		        "<Bundle xmlns=\"http://hl7.org/fhir\"><type value=\"%s\"/>\n"
		        "<entry><resource><QuestionnaireResponse><id value=\"r1\"/><questionnaire "
		        "value=\"%s\"/>"
		        "<status value=\"completed\"/><subject><reference "
		        "value=\"urn:uuid:6b1e6c1e-0000-4000-8000-000000000001\"/></subject>"
		        "%s</QuestionnaireResponse></resource></entry>\n"
		        "<entry><resource><QuestionnaireResponse><id value=\"r2\"/><questionnaire "
		        "value=\"%s\"/>"
		        "<status value=\"completed\"/><subject><reference "
		        "value=\"http://h/fhir/Patient/B-2/_history/3\"/></subject>"
		        "%s</QuestionnaireResponse></resource></entry>\n"
		        "<entry><fullUrl "
		        "value=\"urn:uuid:6b1e6c1e-0000-4000-8000-000000000001\"/><resource><Patient>"
		        "<name><given value=\"Ann\"/><family "
		        "value=\"Lee\"/></name></Patient></resource></entry>\n"
		        "<entry><resource><Patient><id value=\"B-2\"/><name><use value=\"usual\"/><given "
		        "value=\"Bo\"/></name></Patient></resource></entry>\n"
		        "<entry><resource><Practitioner><id value=\"d\"/></Practitioner></resource></entry>\n"
		        "</Bundle>\n",
		        types[i], OURS, PAIN("<valueInteger value=\"1\"/>"), OURS,
		        PAIN("<valueInteger value=\"2\"/>")),
		    0);
		read_result r;
		read_text(&r, "bundle.xml", xml);
		ck_assert_uint_eq(r.n, 2);
		ck_assert_msg(r.p[0]->error == NULL && r.p[1]->error == NULL, "%s", r.diags);
		ck_assert_str_eq(r.p[0]->id, "r1"); /* a Patient with no id lends none */
		ck_assert_str_eq(r.p[0]->name, "Ann Lee");
		ck_assert_str_eq(r.p[1]->id, "B-2");
		ck_assert_str_eq(r.p[1]->name, "Bo");
		ck_assert_str_eq(r.p[1]->source, "QuestionnaireResponse/r2");
		read_result_free(&r);
		free(xml);
	}
	read_result r;
	read_text(&r, "bundle.xml",
	          "<Bundle xmlns=\"http://hl7.org/fhir\"><type value=\"history\"/></Bundle>");
	ASSERT_SAYS(&r,
	            "a Bundle of type history: handout reads collection, searchset, transaction and batch");
	ck_assert_uint_eq(r.files_failed, 1);
	read_result_free(&r);
}
END_TEST

#define JSON_QR(id, subject, items)                                                                          \
	"{\"resourceType\":\"QuestionnaireResponse\",\"id\":\"" id "\",\"questionnaire\":\"" OURS "\","      \
	"\"status\":\"completed\",\"subject\":{\"reference\":\"" subject "\"},\"item\":[" items "]}"
#define JSON_PAIN(v) "{\"linkId\":\"pain-score\",\"answer\":[{\"valueInteger\":" v "}]}"

/* NDJSON: one resource a line, Patients in a file before the responses; a bad line costs
 * that line only and is reported with its line number. */
START_TEST(ndjson_line_by_line)
{
	char dir[4096];
	format_into(dir, sizeof dir, "%s", temp_dir());
	char pts[600], resp[600];
	format_into(pts, sizeof pts, "%s/Patient.ndjson", dir);
	format_into(resp, sizeof resp, "%s/QuestionnaireResponse.ndjson", dir);
	FILE *f = fopen(pts, "w");
	fputs("{\"resourceType\":\"Patient\",\"id\":\"A\",\"name\":[{\"family\":\"Ames\",\"given\":[\"Ada\"]}"
	      "]}\n\n"
	      "{\"resourceType\":\"Patient\",\"id\":\"B\",\"telecom\":[{\"system\":\"phone\",\"value\":"
	      "\"555\"}]}\r\n",
	      f);
	fclose(f);
	f = fopen(resp, "w");
	fputs(JSON_QR(
	          "r1", "Patient/A",
	          JSON_PAIN("3")) "\n"
	                          "{\"resourceType\":\"QuestionnaireResponse\",\"id\":\"r2\" oops\n" JSON_QR(
	                              "r3", "Patient/B",
	                              JSON_PAIN("11")) "\n"
	                                               "{\"resourceType\":\"Observation\",\"id\":\"o\"}\n"
	                                               "{\"resourceType\":\"QuestionnaireResponse\",\"id\":"
	                                               "\"r5\",\"id\":\"r6\"}\n" JSON_QR("r7", "Patient/C",
	                                                                                 JSON_PAIN("2")) "\n",
	      f);
	fclose(f);
	char *paths[] = {pts, resp};
	read_result r;
	read_files(&r, paths, 2);
	ck_assert_uint_eq(r.n, 5);
	ck_assert_str_eq(r.p[0]->id, "A");
	ck_assert_str_eq(r.p[0]->name, "Ada Ames");
	ck_assert_ptr_null(r.p[0]->error);
	ck_assert_ptr_nonnull(r.p[1]->error);
	ASSERT_SAYS(&r, "QuestionnaireResponse.ndjson:2: patient ?: not valid JSON (column");
	ck_assert_str_eq(r.p[2]->id, "B");
	ck_assert_str_eq(r.p[2]->phone, "555");
	ASSERT_SAYS(&r, "QuestionnaireResponse.ndjson:3: patient B: question pain-score: outside 0..10");
	ASSERT_SAYS(&r, "QuestionnaireResponse.ndjson:5: patient ?: a key given twice in one object");
	ck_assert_str_eq(r.p[4]->id, "C");
	ck_assert_ptr_null(r.p[4]->error);
	ASSERT_SAYS(&r, "1 resource of types handout does not read (Observation) skipped");
	ck_assert_ptr_null(strstr(r.diags, "oops"));
	read_result_free(&r);
}
END_TEST

/* One JSON resource per file, pretty-printed, a Bundle or a response; contained Patients. */
START_TEST(json_documents)
{
	read_result r;
	read_text(
	    &r, "qr.json",
	    "\xEF\xBB\xBF{\n  \"resourceType\": \"QuestionnaireResponse\", \"id\": \"j1\",\n"
	    "  \"contained\": [{\"resourceType\": \"Patient\", \"id\": \"pt\", \"name\": [{\"use\": "
	    "\"official\", \"text\": \"Li Wei\"}]}],\n"
	    "  \"questionnaire\": \"" OURS
	    "\", \"status\": \"completed\", \"subject\": {\"reference\": \"#pt\"},\n"
	    "  \"item\": [{\"linkId\": \"g\", \"item\": [" JSON_PAIN(
	        "5") ",\n"
	             "    {\"linkId\": \"hard-exercise\", \"answer\": [{\"valueBoolean\": true}]}]}]\n}\n");
	ck_assert_uint_eq(r.n, 1);
	ck_assert_msg(r.p[0]->error == NULL, "%s", r.diags);
	ck_assert_str_eq(r.p[0]->id, "j1");
	ck_assert_str_eq(r.p[0]->name, "Li Wei");
	ck_assert_str_eq(answer_of(r.p[0], "pain-score", 0), "5");
	ck_assert_str_eq(answer_of(r.p[0], "hard-exercise", 0), "yes");
	read_result_free(&r);

	read_text(&r, "bundle.json",
	          "{\n\"resourceType\": \"Bundle\", \"type\": \"transaction\", \"entry\": [\n"
	          "{\"fullUrl\": \"urn:uuid:1\", \"resource\": " JSON_QR(
	              "j2", "urn:uuid:2", JSON_PAIN("1")) ", \"request\": {\"method\": \"POST\"}},\n"
	                                                  "{\"fullUrl\": \"urn:uuid:2\", \"resource\": "
	                                                  "{\"resourceType\": \"Patient\", \"id\": \"X-2\", "
	                                                  "\"name\": [{\"given\": [\"Ola\"]}]}}]}\n");
	ck_assert_uint_eq(r.n, 1);
	ck_assert_msg(r.p[0]->error == NULL, "%s", r.diags);
	ck_assert_str_eq(r.p[0]->id, "X-2");
	ck_assert_str_eq(r.p[0]->name, "Ola");
	read_result_free(&r);

	read_text(&r, "bad.json", "{\n\"resourceType\": \"QuestionnaireResponse\",\n\"status\": tru\n}\n");
	ck_assert_uint_eq(r.files_failed, 1);
	ASSERT_SAYS(&r, "bad.json:3: not valid JSON (column");
	read_result_free(&r);
}
END_TEST

/* Values must have their FHIR JSON types and an answer one value[x] (issue 22, issue 20 item
 * 7): each is that patient's error, naming file, line, patient and question; the valueDecimal
 * 1e300 that was cast to long long (undefined behaviour) is refused as written. */
START_TEST(values_must_have_their_fhir_types)
{
	static const struct {
		const char *answer, *says;
	} bad[] = {
	    {"{\"valueInteger\":\"5\"}",
	     ":3: patient T-1: question pain-score: valueInteger must be a JSON integer"},
	    {"{\"valueInteger\":6.0}",
	     ":3: patient T-1: question pain-score: valueInteger must be a JSON integer"},
	    {"{\"valueInteger\":[3,9]}",
	     ":3: patient T-1: question pain-score: valueInteger is a list; an answer holds one value"},
	    {"{\"valueDecimal\":\"6\"}",
	     ":3: patient T-1: question pain-score: valueDecimal must be a JSON number"},
	    {"{\"valueDecimal\":1e300}", ":3: patient T-1: question pain-score: not a plain whole number"},
	    {"{\"valueDecimal\":-1e300}", ":3: patient T-1: question pain-score: not a plain whole number"},
	    {"{\"valueQuantity\":{\"value\":\"6\"}}",
	     ":3: patient T-1: question pain-score: valueQuantity.value must be a JSON number"},
	    {"{\"valueInteger\":3,\"valueString\":\"9\"}",
	     ":3: patient T-1: question pain-score: an answer holds more than one value[x] (valueInteger and "
	     "valueString)"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		char text[1200];
		format_into(
		    text, sizeof text,
		    "{\"resourceType\":\"QuestionnaireResponse\",\"id\":\"r\",\"questionnaire\":\"" OURS
		    "\",\"status\":\"completed\",\n"
		    "\"subject\":{\"reference\":\"Patient/T-1\"},\"item\":[\n"
		    "{\"linkId\":\"pain-score\",\"answer\":[%s]}]}\n",
		    bad[i].answer);
		read_result r;
		read_text(&r, "qr.json", text);
		ck_assert_msg(r.n == 1 && r.p[0]->error, "%s: %s", bad[i].answer, r.diags);
		ASSERT_SAYS(&r, bad[i].says);
		read_result_free(&r);
	}
	static const struct {
		const char *answer, *says;
	} bad_yes_no[] = {
	    {"{\"valueBoolean\":\"true\"}",
	     ":3: patient T-2: question fever: valueBoolean must be a JSON true or false"},
	    {"{\"valueBoolean\":1}",
	     ":3: patient T-2: question fever: valueBoolean must be a JSON true or false"},
	    {"{\"valueBoolean\":true,\"valueString\":\"no\"}",
	     ":3: patient T-2: question fever: an answer holds more than one value[x] (valueBoolean and "
	     "valueString)"},
	    {"{\"valueCoding\":{\"code\":1}}",
	     ":3: patient T-2: question fever: valueCoding.code must be a JSON string"},
	    {"{\"valueBoolean\":true},{\"valueBoolean\":false}",
	     ":3: patient T-2: question fever: answered more than once"},
	};
	for (size_t i = 0; i < sizeof bad_yes_no / sizeof *bad_yes_no; i++) {
		char text[1200];
		format_into(
		    text, sizeof text,
		    "{\"resourceType\":\"QuestionnaireResponse\",\"id\":\"r\",\"questionnaire\":\"" OURS
		    "\",\"status\":\"completed\",\n"
		    "\"subject\":{\"reference\":\"Patient/"
		    "T-2\"},\"item\":[{\"linkId\":\"pain-score\",\"answer\":[{\"valueInteger\":2}]},\n"
		    "{\"linkId\":\"fever\",\"answer\":[%s]}]}\n",
		    bad_yes_no[i].answer);
		read_result r;
		read_text(&r, "qr.json", text);
		ck_assert_msg(r.n == 1 && r.p[0]->error, "%s: %s", bad_yes_no[i].answer, r.diags);
		ASSERT_SAYS(&r, bad_yes_no[i].says);
		read_result_free(&r);
	}
	/* In XML a boolean is written true or false, and nothing else. */
	char *xml = xml_response(
	    "R", "completed", OURS, "Patient/T-3", "",
	    PAIN("<valueInteger value=\"2\"/>") "<item><linkId value=\"fever\"/><answer><valueBoolean "
	                                        "value=\"yes\"/></answer></item>\n");
	read_result r;
	read_text(&r, "qr.xml", xml);
	ASSERT_SAYS(&r, "patient T-3: question fever: valueBoolean must be true or false");
	read_result_free(&r);
	free(xml);
}
END_TEST

/* A pretty-printed JSON file's messages carry the line of what they are about (they said
 * line 0). */
START_TEST(json_documents_say_their_lines)
{
	read_result r;
	read_text(&r, "bundle.json",
	          "{\n  \"resourceType\": \"Bundle\",\n  \"type\": \"collection\",\n  \"entry\": [\n"
	          "    {\n      \"resource\": {\n        \"resourceType\": \"QuestionnaireResponse\",\n"
	          "        \"id\": \"L-1\",\n        \"questionnaire\": \"" OURS
	          "\",\n        \"status\": \"completed\",\n"
	          "        \"subject\": {\"reference\": \"Patient/L-1\"},\n        \"item\": [\n"
	          "          {\"linkId\": \"pain-score\",\n           \"answer\": [{\"valueInteger\": "
	          "12}]}\n        ]\n      }\n    },\n"
	          "    {\n      \"resource\": {\n        \"resourceType\": \"QuestionnaireResponse\",\n      "
	          "  \"id\": \"L-2\",\n"
	          "        \"status\": \"in-progress\",\n        \"questionnaire\": \"" OURS
	          "\"\n      }\n    }\n  ]\n}\n");
	ck_assert_uint_eq(r.n, 2);
	ASSERT_SAYS(&r, "bundle.json:14: patient L-1: question pain-score: outside 0..10");
	ASSERT_SAYS(&r, "bundle.json:22: patient L-2: the response's status is 'in-progress'");
	read_result_free(&r);
}
END_TEST

/* A Bundle of a million entries (38 MB) is read in bounded memory: before, it peaked at
 * 1.38 GB and aborted under a 1 GB limit, losing the other inputs. The other input is made. */
START_TEST(a_huge_bundle_costs_only_its_file)
{
	char dir[4096], path[600];
	format_into(dir, sizeof dir, "%s", temp_dir());
	format_into(path, sizeof path, "%s/huge.json", dir);
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs("{\"resourceType\":\"Bundle\",\"type\":\"collection\",\"entry\":[", f);
	for (int i = 0; i < 1000000; i++)
		fputs(i ? ",{\"resource\":{\"resourceType\":\"Basic\"}}"
		        : "{\"resource\":{\"resourceType\":\"Basic\"}}",
		      f);
	fputs("]}", f);
	fclose(f);
	char cmd[4096];
	format_into(cmd, sizeof cmd,
	            "cd '%1$s' && printf '<patient id=\"OK-1\"><answers><answer "
	            "q=\"pain-score\">3</answer></answers></patient>' > '%2$s/ok.xml' && "
	            "HANDOUT_DATA=. ASAN_OPTIONS=quarantine_size_mb=8 /usr/bin/time -f 'peak=%%M' ./handout "
	            "explain '%3$s' '%2$s/ok.xml' 2>&1; echo rc=$?",
	            data_dir(), dir, path);
	int status;
	char *out = run_command(cmd, &status);
	ck_assert_msg(strstr(out, "huge.json: holds no QuestionnaireResponse (it holds Basic)") &&
	                  strstr(out, "\"patient\":\"OK-1\",\"causes\"") && strstr(out, "rc=1"),
	              "%s", out);
	const char *peak = strstr(out, "peak=");
	ck_assert_ptr_nonnull(peak);
	long kb = strtol(peak + 5, NULL, 10);
	ck_assert_msg(kb < 300 * 1024, "peak %ld KB",
	              kb); /* 23 MB here (under ASan, with its quarantine of freed memory cut to 8 MB, more);
	                      it was 1.38 GB */
	free(out);
	/* An entry too big to be a response is refused alone. */
	f = fopen(path, "w");
	fputs("{\"resourceType\":\"Bundle\",\"type\":\"collection\",\"entry\":[{\"resource\":{"
	      "\"resourceType\":\"QuestionnaireResponse\","
	      "\"id\":\"big\",\"item\":[",
	      f);
	for (int i = 0; i < 60000; i++)
		fputs(i ? ",{\"linkId\":\"x\"}" : "{\"linkId\":\"x\"}", f);
	fputs("]}},{\"resource\":" JSON_QR("small", "Patient/S-1", JSON_PAIN("3")) "}]}", f);
	fclose(f);
	char *paths[] = {path};
	read_result r;
	read_files(&r, paths, 1);
	ck_assert_uint_eq(r.n, 2);
	ck_assert_str_eq(r.p[0]->id, "big");
	ASSERT_SAYS(&r,
	            "patient big: more than 100000 JSON values in one resource (from line 1 on); not read");
	ck_assert_ptr_null(r.p[1]->error);
	read_result_free(&r);
}
END_TEST

/* The same random patients written natively, in every FHIR form and as CSV give identical
 * explain output: the formats differ only in how they are read. */
START_TEST(every_format_explains_alike)
{
	static const char *const formats[] = {"native", "ndjson", "fhir-xml", "fhir-json", "csv"};
	char *first = NULL;
	for (int seed = 1; seed <= 3; seed++) {
		for (size_t i = 0; i < sizeof formats / sizeof *formats; i++) {
			char cmd[4096];
			format_into(
			    cmd, sizeof cmd,
			    "cd '%s' && T=$(mktemp -d) && build/gen_patients --format %s 400 %d > $T/in && "
			    "HANDOUT_DATA=. ./handout explain $T/in; rc=$?; rm -r $T; exit $rc",
			    data_dir(), formats[i], seed);
			int status;
			char *out = run_command(cmd, &status);
			ck_assert_msg(status == 0, "%s seed %d: exit %d", formats[i], seed, status);
			ck_assert_uint_gt(strlen(out), 400 * 60);
			if (i == 0) {
				free(first);
				first = out;
			} else {
				ck_assert_msg(strcmp(first, out) == 0, "%s seed %d differs from native",
				              formats[i], seed);
				free(out);
			}
		}
	}
	/* The Bulk export's two files, Patients first. */
	char cmd[4096];
	format_into(cmd, sizeof cmd,
	            "cd '%s' && T=$(mktemp -d) && build/gen_patients --format ndjson-patients 400 3 > "
	            "$T/Patient.ndjson && "
	            "build/gen_patients --format ndjson-responses 400 3 > $T/QuestionnaireResponse.ndjson && "
	            "HANDOUT_DATA=. ./handout explain $T/Patient.ndjson $T/QuestionnaireResponse.ndjson; "
	            "rc=$?; rm -r $T; exit $rc",
	            data_dir());
	int status;
	char *out = run_command(cmd, &status);
	ck_assert_int_eq(status, 0);
	ck_assert_str_eq(out, first);
	free(out);
	free(first);
}
END_TEST

/* The exported Questionnaire, answered item by item by linkId the way a record system's
 * form would (every choice of a repeating item, the top of each range, yes to each
 * yes/no), comes back through the reader as exactly those answers; the XML export holds
 * the same items. */
START_TEST(exported_questionnaire_round_trips)
{
	char cmd[4096];
	format_into(cmd, sizeof cmd, "cd '%s' && HANDOUT_DATA=. ./handout questionnaire --format fhir-json",
	            data_dir());
	int status;
	char *text = run_command(cmd, &status);
	ck_assert_int_eq(status, 0);
	json_error_t err;
	json_t *qn = json_loads(text, 0, &err);
	ck_assert_msg(qn != NULL, "%s", err.text);
	ck_assert_str_eq(json_string_value(json_object_get(qn, "resourceType")), "Questionnaire");
	const char *url = json_string_value(json_object_get(qn, "url"));
	ck_assert_ptr_nonnull(strstr(url, "/Questionnaire/lbp-after-massage"));
	const questionnaire *q = &shipped_content()->questionnaire;
	json_t *items = json_object_get(qn, "item");
	ck_assert_uint_eq(json_array_size(items), q->nquestions);

	json_t *resp_items = json_array();
	size_t i;
	json_t *item;
	json_array_foreach(items, i, item)
	{
		const char *type = json_string_value(json_object_get(item, "type"));
		json_t *answers = json_array();
		if (strcmp(type, "integer") == 0) {
			json_int_t top = 1;
			size_t k;
			json_t *ext;
			json_array_foreach(
			    json_object_get(item, "extension"), k,
			    ext) if (strstr(json_string_value(json_object_get(ext, "url")), "maxValue")) top =
			    json_integer_value(json_object_get(ext, "valueInteger"));
			json_array_append_new(answers, json_pack("{s:I}", "valueInteger", top));
		} else if (strcmp(type, "boolean") == 0) {
			json_array_append_new(answers, json_pack("{s:b}", "valueBoolean", 1));
		} else {
			ck_assert_str_eq(type, "choice");
			json_t *opts = json_object_get(item, "answerOption");
			int repeats = json_is_true(json_object_get(item, "repeats"));
			for (size_t k = repeats ? 0 : json_array_size(opts) - 1; k < json_array_size(opts);
			     k++)
				json_array_append(
				    answers, json_array_get(opts, k)); /* answerOption carries valueCoding */
		}
		json_array_append_new(
		    resp_items,
		    json_pack("{s:O,s:o}", "linkId", json_object_get(item, "linkId"), "answer", answers));
	}
	json_t *resp = json_pack("{s:s,s:s,s:s,s:s,s:{s:s},s:o}", "resourceType", "QuestionnaireResponse",
	                         "id", "rt", "questionnaire", url, "status", "completed", "subject",
	                         "reference", "Patient/RT-1", "item", resp_items);
	char *line = json_dumps(resp, JSON_COMPACT);
	read_result r;
	read_text(&r, "rt.ndjson", line);
	ck_assert_uint_eq(r.n, 1);
	patient *p = r.p[0];
	ck_assert_msg(p->error == NULL, "%s", r.diags);
	for (size_t k = 0; k < q->nquestions; k++) {
		const question *qu = &q->questions[k];
		char want[32];
		if (qu->type == Q_INTEGER) {
			format_into(want, sizeof want, "%g", qu->max);
			ck_assert_str_eq(answer_of(p, qu->id, 0), want);
		} else if (qu->type == Q_BOOLEAN) {
			ck_assert_str_eq(answer_of(p, qu->id, 0), "yes");
		} else if (qu->multiple) {
			ck_assert_uint_eq(p->answers[k].nvalues, qu->nchoices);
			for (size_t c = 0; c < qu->nchoices; c++)
				ck_assert_str_eq(answer_of(p, qu->id, c), qu->choices[c].value);
		} else {
			ck_assert_str_eq(answer_of(p, qu->id, 0), qu->choices[qu->nchoices - 1].value);
		}
	}
	read_result_free(&r);
	free(line);
	json_decref(resp);
	json_decref(qn);
	free(text);

	format_into(cmd, sizeof cmd, "cd '%s' && HANDOUT_DATA=. ./handout questionnaire --format fhir-xml",
	            data_dir());
	text = run_command(cmd, &status);
	ck_assert_int_eq(status, 0);
	const char *path = write_temp("q.xml", text);
	xnode *x = xml_load(path, NULL);
	ck_assert_ptr_nonnull(x);
	ck_assert_str_eq(x->name, "Questionnaire");
	size_t nitems = 0;
	for (size_t k = 0; k < x->nkids; k++)
		if (strcmp(x->kids[k]->name, "item") == 0) {
			const xnode *link = xnode_child(x->kids[k], "linkId");
			ck_assert_str_eq(xnode_attr(link, "value"), q->questions[nitems++].id);
		}
	ck_assert_uint_eq(nitems, q->nquestions);
	xnode_free(x);
	free(text);
}
END_TEST

/* The base64 SHA-1 of a file, as FHIR's Attachment.hash. */
static void file_hash(const char *path, char out[64], size_t *size)
{
	size_t len;
	char *data = file_read_all(path, &len);
	ck_assert_ptr_nonnull(data);
	struct sha1_ctx c;
	unsigned char d[SHA1_DIGEST_SIZE];
	sha1_init(&c);
	sha1_update(&c, len, (const uint8_t *)data);
	sha1_digest(&c, SHA1_DIGEST_SIZE, d);
	base64_encode_raw(out, SHA1_DIGEST_SIZE, d);
	out[BASE64_ENCODE_RAW_LENGTH(SHA1_DIGEST_SIZE)] = '\0';
	*size = len;
	free(data);
}

/* batch --fhir-documents: one DocumentReference per PDF in manifest order, each with the
 * size and hash of the file on disk and the response it answers; --resume after losing a
 * PDF writes the same file again; native answers have no context. */
START_TEST(document_references_describe_the_files)
{
	char dir[4096];
	format_into(dir, sizeof dir, "%s", temp_dir());
	char cmd[4096];
	format_into(cmd, sizeof cmd,
	            "cd '%s' && build/gen_patients --format ndjson 12 4 > '%s/in.ndjson' && "
	            "HANDOUT_DATA=. ./handout batch -q -j2 --fhir-documents '%s/in.ndjson' -o '%s/out'",
	            data_dir(), dir, dir, dir);
	int status;
	free(run_command(cmd, &status));
	ck_assert_int_eq(status, 0);
	char path[4096];
	format_into(path, sizeof path, "%s/out/DocumentReference.ndjson", dir);
	size_t len;
	char *first = file_read_all(path, &len);
	ck_assert_ptr_nonnull(first);
	int n = 0;
	for (char *line = first, *end; (end = strchr(line, '\n')) != NULL; line = end + 1, n++) {
		json_error_t err;
		json_t *d = json_loadb(line, (size_t)(end - line), 0, &err);
		ck_assert_msg(d != NULL, "%s", err.text);
		ck_assert_str_eq(json_string_value(json_object_get(d, "resourceType")), "DocumentReference");
		ck_assert_str_eq(json_string_value(json_object_get(d, "status")), "current");
		json_t *att = json_object_get(json_array_get(json_object_get(d, "content"), 0), "attachment");
		const char *file = json_string_value(json_object_get(att, "url"));
		char want_subject[64], want_record[64], want_file[64];
		format_into(want_file, sizeof want_file, "G%07d.pdf", n);
		ck_assert_str_eq(file, want_file); /* manifest order */
		format_into(want_subject, sizeof want_subject, "Patient/G%07d", n);
		ck_assert_str_eq(
		    json_string_value(json_object_get(json_object_get(d, "subject"), "reference")),
		    want_subject);
		format_into(want_record, sizeof want_record, "QuestionnaireResponse/R%07d", n);
		json_t *related =
		    json_array_get(json_object_get(json_object_get(d, "context"), "related"), 0);
		ck_assert_str_eq(json_string_value(json_object_get(related, "reference")), want_record);
		char pdf[4096], hash[64];
		size_t size;
		format_into(pdf, sizeof pdf, "%s/out/%s", dir, file);
		file_hash(pdf, hash, &size);
		ck_assert_str_eq(json_string_value(json_object_get(att, "hash")), hash);
		ck_assert_int_eq(json_integer_value(json_object_get(att, "size")), (json_int_t)size);
		ck_assert_str_eq(json_string_value(json_object_get(att, "contentType")), "application/pdf");
		json_decref(d);
	}
	ck_assert_int_eq(n, 12);

	format_into(cmd, sizeof cmd,
	            "cd '%s' && rm '%s/out/G0000005.pdf' '%s/out/DocumentReference.ndjson' && "
	            "HANDOUT_DATA=. ./handout batch -q --resume --fhir-documents '%s/in.ndjson' -o '%s/out'",
	            data_dir(), dir, dir, dir, dir);
	free(run_command(cmd, &status));
	ck_assert_int_eq(status, 0);
	char *again = file_read_all(path, &len);
	ck_assert_ptr_nonnull(again);
	ck_assert_str_eq(again, first);
	free(again);
	free(first);

	format_into(cmd, sizeof cmd,
	            "cd '%s' && build/gen_patients 2 4 > '%s/in.xml' && "
	            "HANDOUT_DATA=. ./handout build -q --fhir-documents '%s/in.xml' -o '%s/one' && "
	            "cat '%s/one/DocumentReference.ndjson'",
	            data_dir(), dir, dir, dir, dir);
	char *out = run_command(cmd, &status);
	ck_assert_int_eq(status, 0);
	/* Native answers name no Patient resource: no subject (a reference must name one that
	 * exists), no context. */
	ck_assert_msg(strstr(out, "\"url\":\"G0000001.pdf\"") && !strstr(out, "\"subject\"") &&
	                  !strstr(out, "\"context\""),
	              "%s", out);
	free(out);
}
END_TEST

/* The FHIR fixtures (PROVENANCE.txt) explain exactly as their native twins: a client's
 * transaction Bundle naming its Patients only by urn:uuid (ids from the Patient's identifier,
 * else the response's fullUrl uuid; it was refused), and a Bulk export with several responses
 * for one patient (the latest completed one printed, the earlier one superseded, a draft and
 * a response to another questionnaire reported, none of them a duplicate). */
START_TEST(fhir_fixtures_explain_like_native)
{
	static const struct {
		const char *inputs, *native;
		const char *const says[4];
	} cases[] = {
	    {"client-transaction-bundle.json", "client-transaction-bundle.xml", {NULL}},
	    {"bulk-export/Patient.ndjson tests/fixtures/fhir/bulk-export/QuestionnaireResponse.ndjson",
	     "bulk-export/printed.xml",
	     {"QuestionnaireResponse.ndjson:1: warning: patient 7f3a9c2e-41d5-4b8a-9e6f-0c1d2b3a4e5f: "
	      "response "
	      "QuestionnaireResponse/a1f0e6c2-7b3d-4e9a-8c1f-2d5b6a7e8f90 (authored 2026-11-19T10:03:44Z) is "
	      "superseded by the one at "
	      "tests/fixtures/fhir/bulk-export/QuestionnaireResponse.ndjson:4 (authored "
	      "2026-11-20T08:31:07Z), which is printed",
	      "QuestionnaireResponse.ndjson:2: warning: patient 2b8e6d41-9c3f-4a7b-8e2d-5f1a0c9b7d63: "
	      "response "
	      "QuestionnaireResponse/5c9d3e7a-2f4b-4a1c-9e8d-6b0f7a3c2e15 is not printed: it answers another "
	      "questionnaire",
	      "QuestionnaireResponse.ndjson:5: warning: patient 7f3a9c2e-41d5-4b8a-9e6f-0c1d2b3a4e5f: "
	      "response "
	      "QuestionnaireResponse/9a4c7e2f-1d8b-4f6a-b3e5-0d2c9f7a1b84 is not printed: its status is "
	      "in-progress",
	      NULL}},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char cmd[4096];
		format_into(cmd, sizeof cmd,
		            "cd '%1$s' && T=$(mktemp -d) && HANDOUT_DATA=. ./handout explain "
		            "tests/fixtures/fhir/%2$s > $T/fhir 2>$T/err; "
		            "echo rc=$?; HANDOUT_DATA=. ./handout explain tests/fixtures/fhir/%3$s "
		            "2>/dev/null | cmp - $T/fhir && echo same; "
		            "cat $T/err; rm -r $T",
		            data_dir(), cases[i].inputs, cases[i].native);
		int status;
		char *out = run_command(cmd, &status);
		ck_assert_msg(strncmp(out, "rc=0\nsame\n", 10) == 0, "%s: %s", cases[i].inputs, out);
		for (size_t k = 0; cases[i].says[k]; k++)
			ck_assert_msg(strstr(out, cases[i].says[k]), "%s: expected \"%s\" in:\n%s",
			              cases[i].inputs, cases[i].says[k], out);
		ck_assert_ptr_null(strstr(out, "duplicate"));
		free(out);
	}
}
END_TEST

/* Several responses for one patient in any order and any files: the latest authored
 * completed or amended one is printed (a zone counts; of two as late, the later read); drafts
 * of a patient with nothing printable are that patient's errors, never duplicates. */
START_TEST(several_responses_for_one_patient)
{
	char dir[4096], a[600], b[600];
	format_into(dir, sizeof dir, "%s", temp_dir());
	format_into(a, sizeof a, "%s/a.ndjson", dir);
	format_into(b, sizeof b, "%s/b.xml", dir);
	FILE *f = fopen(a, "w");
	fputs("{\"resourceType\":\"QuestionnaireResponse\",\"id\":\"n1\",\"questionnaire\":\"" OURS
	      "\",\"status\":\"completed\","
	      "\"subject\":{\"reference\":\"Patient/"
	      "S-1\"},\"authored\":\"2026-11-20T10:00:00+02:00\",\"item\":[" JSON_PAIN(
	          "1") "]}\n"
	               "{\"resourceType\":\"QuestionnaireResponse\",\"id\":\"d1\",\"questionnaire\":\"" OURS
	               "\",\"status\":\"in-progress\","
	               "\"subject\":{\"reference\":\"Patient/S-2\"}}\n"
	               "{\"resourceType\":\"QuestionnaireResponse\",\"id\":\"d2\",\"questionnaire\":\"" OURS
	               "\",\"status\":\"in-progress\","
	               "\"subject\":{\"reference\":\"Patient/S-2\"}}\n",
	      f);
	fclose(f);
	/* 09:30 UTC is later than 10:00+02:00 (08:00 UTC): this one is printed */
	char *xml =
	    xml_response("x1", "amended", OURS, "Patient/S-1", "", PAIN("<valueInteger value=\"9\"/>"));
	char *at = strstr(xml, "2026-11-20T09:30:00Z");
	ck_assert_ptr_nonnull(at);
	f = fopen(b, "w");
	fputs(xml, f);
	fclose(f);
	free(xml);
	char *paths[] = {a, b};
	read_result r;
	read_files(&r, paths, 2);
	ck_assert_uint_eq(r.n, 3);
	ck_assert_str_eq(r.p[0]->id, "S-2");
	ck_assert_str_eq(r.p[1]->id, "S-2");
	ASSERT_SAYS(&r, "a.ndjson:2: patient S-2: the response's status is 'in-progress'");
	ASSERT_SAYS(&r, "a.ndjson:3: patient S-2: the response's status is 'in-progress'");
	ck_assert_str_eq(r.p[2]->id, "S-1");
	ck_assert_ptr_null(r.p[2]->error);
	ck_assert_str_eq(answer_of(r.p[2], "pain-score", 0), "9");
	ASSERT_SAYS(&r, "a.ndjson:1: warning: patient S-1: response QuestionnaireResponse/n1 (authored "
	                "2026-11-20T08:00:00Z) is superseded by the one at");
	ck_assert_ptr_null(strstr(r.diags, "duplicate"));
	read_result_free(&r);
}
END_TEST

/* Every FHIR resource handout writes passes three validators nobody here wrote (Medplum's,
 * FHIR.js's, HL7's JSON schema through Ajv: tests/validators/, installed by make check), and
 * so do the FHIR fixtures; a DocumentReference's subject names a Patient only when the inputs
 * held it with an id of its own, else its identifier, else nothing (it said Patient/<the
 * response's id> for contained and urn:uuid Patients). */
START_TEST(fhir_outputs_pass_independent_validators)
{
	char dir[4096], contained[600];
	format_into(dir, sizeof dir, "%s", temp_dir());
	format_into(contained, sizeof contained, "%s/contained.json", dir);
	FILE *f = fopen(contained, "w");
	fputs("{\"resourceType\":\"QuestionnaireResponse\",\"id\":\"c1\",\"contained\":[{\"resourceType\":"
	      "\"Patient\",\"id\":\"pt\"}],"
	      "\"questionnaire\":\"" OURS
	      "\",\"status\":\"completed\",\"subject\":{\"reference\":\"#pt\"},\"item\":[" JSON_PAIN(
	          "4") "]}\n",
	      f);
	fclose(f);
	char cmd[9000];
	format_into(
	    cmd, sizeof cmd,
	    "cd '%1$s' && test -d tests/validators/node_modules || { echo 'run make validators'; exit 9; }; "
	    "export HANDOUT_DATA=.; F=tests/fixtures/fhir; "
	    "./handout questionnaire > '%2$s/q.json' && ./handout questionnaire --format fhir-xml > "
	    "'%2$s/q.xml' && "
	    "./handout batch -q -j2 --fhir-documents $F/client-transaction-bundle.json -o '%2$s/client' && "
	    "./handout batch -q -j2 --fhir-documents $F/bulk-export/Patient.ndjson "
	    "$F/bulk-export/QuestionnaireResponse.ndjson -o '%2$s/bulk' && "
	    "./handout batch -q --fhir-documents examples/patients.xml -o '%2$s/native' && "
	    "build/gen_patients --format fhir-json 5 3 > '%2$s/g.json' && "
	    "./handout build -q --fhir-documents '%2$s/g.json' -o '%2$s/g' && "
	    "./handout build -q --fhir-documents '%2$s/contained.json' -o '%2$s/c.pdf' && "
	    "node tests/validators/validate.mjs '%2$s/q.json' '%2$s/q.xml' '%2$s'/*/DocumentReference.ndjson "
	    "'%2$s/DocumentReference.ndjson' "
	    "$F/client-transaction-bundle.json $F/bulk-export/*.ndjson; echo rc=$?; "
	    "cat '%2$s/client/DocumentReference.ndjson' '%2$s/bulk/DocumentReference.ndjson' "
	    "'%2$s/DocumentReference.ndjson'",
	    data_dir(), dir);
	int status;
	char *out = run_command(cmd, &status);
	ck_assert_msg(strstr(out, " problems\nrc=0\n") && strstr(out, "0 problems"), "%s", out);
	ck_assert_msg(strstr(out, "resources checked") && !strstr(out, "\n0 resources checked"), "%s", out);
	/* the client's Patients: by identifier, or no subject at all; no urn:uuid anywhere */
	ck_assert_msg(strstr(out, "\"subject\":{\"identifier\":{\"system\":\"http://clinic.example/fhir/sid/"
	                          "mrn\",\"value\":\"MRN-20417\"}}"),
	              "%s", out);
	ck_assert_msg(!strstr(out, "urn:uuid") && !strstr(out, "Patient/qr") && !strstr(out, "Patient/c1"),
	              "%s", out);
	/* the Bulk export's Patients exist: referenced, with the response */
	ck_assert_msg(
	    strstr(out, "\"subject\":{\"reference\":\"Patient/7f3a9c2e-41d5-4b8a-9e6f-0c1d2b3a4e5f\"}") &&
	        strstr(out, "\"related\":[{\"reference\":\"QuestionnaireResponse/"
	                    "3d6f8a1b-5e9c-4b2d-a7e0-1c4f9b8d2a57\"}]"),
	    "%s", out);
	free(out);
}
END_TEST

Suite *fhir_suite(void)
{
	Suite *s = suite_create("fhir");
	TCase *tc = tcase_create("read");
	tcase_add_test(tc, fixtures_are_refused_with_a_reason);
	tcase_add_test(tc, contained_patient_names_the_response);
	tcase_add_test(tc, values_of_every_type_at_any_depth);
	tcase_add_test(tc, bad_values_name_file_line_patient_and_question);
	tcase_add_test(tc, only_completed_and_amended_are_printed);
	tcase_add_test(tc, bundles_of_each_type);
	tcase_add_test(tc, ndjson_line_by_line);
	tcase_add_test(tc, json_documents);
	tcase_add_test(tc, values_must_have_their_fhir_types);
	tcase_add_test(tc, json_documents_say_their_lines);
	tcase_add_test(tc, a_huge_bundle_costs_only_its_file);
	tcase_add_test(tc, every_format_explains_alike);
	tcase_add_test(tc, exported_questionnaire_round_trips);
	tcase_add_test(tc, document_references_describe_the_files);
	tcase_add_test(tc, fhir_fixtures_explain_like_native);
	tcase_add_test(tc, several_responses_for_one_patient);
	tcase_add_test(tc, fhir_outputs_pass_independent_validators);
	tcase_set_timeout(tc, 120);
	suite_add_tcase(s, tc);
	return s;
}

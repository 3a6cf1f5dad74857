/* main.c: the command line of handout: check, explain, build. */
#include "ask.h"
#include "batch.h"
#include "content.h"
#include "diag.h"
#include "document.h"
#include "fhir_write.h"
#include "layout.h"
#include "mail.h"
#include "out_list.h"
#include "out_pdf.h"
#include "output.h"
#include "pdf.h"
#include "pipeline.h"
#include "reader.h"
#include "selection.h"
#include "settings.h"
#include "svg.h"
#include "util.h"
#include "xml.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "datadir.h" /* HANDOUT_DATADIR, made by the Makefile from PREFIX (DATADIR) */
#define HANDOUT_VERSION "0.1.0"

enum { EXIT_OK = 0, EXIT_SOME_FAILED = 1, EXIT_USAGE = 2, EXIT_STOPPED = 3 };

static const char usage_text[] =
    "Usage: handout COMMAND [OPTION]... [INPUT]...\n"
    "Turn questionnaire answers about lower back pain after a massage into\n"
    "personal, printable PDF handouts.\n"
    "\n"
    "An INPUT of - is standard input; -o - writes the one PDF or the Questionnaire to\n"
    "standard output.\n"
    "\n"
    "Commands:\n"
    "  check [INPUT]...       validate content, settings, template and fonts, and any\n"
    "                         answer files given; report problems as file:line: message\n"
    "  explain INPUT...       print what each patient's handout selects, one JSON line each\n"
    "  build INPUT... -o OUT  write handouts: OUT.pdf for one patient, or a folder\n"
    "                         OUT/<patient id>.pdf for many\n"
    "  batch INPUT... -o DIR  the same as build into a folder, for runs of any size:\n"
    "                         parallel, resumable, with DIR/manifest.csv\n"
    "  questionnaire [--format fhir-json|fhir-xml] [-o FILE]\n"
    "                         print the FHIR R4 Questionnaire the answers answer, for a\n"
    "                         record system's form builder (default fhir-json, stdout)\n"
    "  ask -o SHEET.pdf        ask the patient the questions at the table and make the\n"
    "                         sheet (--id, --name, --language, --save, --print)\n"
    "  form -o FORM.pdf        the blank questionnaire on paper (--language, -t);\n"
    "                         --csv-header prints the CSV header a form tool should use\n"
    "  draw FILE.svg -o OUT.pdf\n"
    "                         render one drawing alone on a page of its own size, to\n"
    "                         preview a drawing before putting it into content/\n"
    "\n"
    "Options:\n"
    "  -o, --output OUT       where build writes (a .pdf file or a folder)\n"
    "  -s, --settings FILE    the clinic's settings (name, address, phone, options)\n"
    "  -t, --template NAME    page design from templates/ (default: the settings' or a4)\n"
    "      --date YYYY-MM-DD  date printed when the answers carry none\n"
    "                         (default: SOURCE_DATE_EPOCH, else today)\n"
    "      --dump WHAT        build prints a stage as text instead of writing PDFs:\n"
    "                         selection, document, layout, or pages (a line per\n"
    "                         patient: pages, fill of each, what each break split)\n"
    "      --data DIR         folder holding content/, templates/ and fonts/\n"
    "  -j, --jobs N           worker threads (default: the number of processors)\n"
    "      --shard K/N        take only shard K of N (by a hash of the patient id), so\n"
    "                         N machines can split one run with no coordination\n"
    "      --resume           skip patients whose PDF is there and matches the manifest\n"
    "      --no-write         make every handout but write none (for timing)\n"
    "      --fhir-documents   build and batch into a folder also write\n"
    "                         DIR/DocumentReference.ndjson, one FHIR R4\n"
    "                         DocumentReference per PDF, for the record system\n"
    "      --format FORMAT    questionnaire: fhir-json (default) or fhir-xml\n"
    "      --id-column TITLE  CSV: the column holding the patient id (default: one titled\n"
    "                         id or Patient ID)\n"
    "      --ignore-column TITLE\n"
    "                         CSV: pass over this column (a form tool's column handout\n"
    "                         does not know); may be given several times\n"
    "      --language L       form and ask: the language (es, zh-Hans...; default English)\n"
    "      --id ID, --name NAME\n"
    "                         ask: the patient's id and name\n"
    "      --save FILE        ask: also keep the answers as native XML\n"
    "      --print            ask: send the sheet to the printer (lp)\n"
    "      --csv-header       form: print the CSV header a form tool should use\n"
    "      --mailing STYLE    batch: letters for window envelopes, din5008 (A4) or\n"
    "                         us10 (Letter), and print-ready DIR/mailing-NNNN.pdf;\n"
    "                         build: the one letter (or its --dump layout)\n"
    "      --bundle-size N    letters a mailing bundle (default 500)\n"
    "      --report           batch: also DIR/report.pdf for the staff: counts, whom\n"
    "                         to call (urgent, then prompt), causes and exercises,\n"
    "                         who was not mailed, every error\n"
    "  -q, --quiet            report errors only\n"
    "  -v, --verbose          report progress as well\n"
    "  -h, --help             show this help\n"
    "  -V, --version          show the version\n"
    "\n"
    "Exit status: 0 all done; 1 some patients were rejected (the others got their\n"
    "handouts); 2 usage, content, settings, template or output folder errors\n"
    "(nothing was done); 3 a run into a folder stopped because the disk is full or\n"
    "failing (whole manifest rows so far; --resume continues it).\n";

/* `handout COMMAND --help`: what that command does and the options it takes. */
static const struct {
	const char *command, *text;
} command_help[] = {
    {"check", "Usage: handout check [--settings FILE] [-t NAME] [--data DIR] [INPUT]...\n"
              "Validate the content, the settings, the template and the fonts, and any answer\n"
              "files given (native XML, FHIR XML, FHIR JSON or NDJSON); report each problem as\n"
              "file:line: message. Exit 0 when all is valid, 1 when some patients are not.\n"},
    {"explain", "Usage: handout explain [--data DIR] INPUT...\n"
                "Print what each patient's handout selects, one JSON object a line: causes, notice,\n"
                "exercises and the reason for each; {\"patient\":ID,\"error\":...} for a patient whose\n"
                "answers are rejected (exit 1). Inputs: native XML, FHIR XML, FHIR JSON or NDJSON\n"
                "(Patients before the responses naming them), CSV (ours, or as Google Forms,\n"
                "Microsoft Forms or a spreadsheet exports it: --id-column, --ignore-column); - is\n"
                "standard input.\n"},
    {"build", "Usage: handout build [OPTION]... INPUT... -o OUT\n"
              "Write handouts: OUT.pdf for one patient, else the folder OUT/<patient id>.pdf with\n"
              "manifest.csv (as batch does).\n"
              "  -s, --settings FILE   the clinic's settings      -t, --template NAME  page design\n"
              "      --date YYYY-MM-DD date when the answers carry none\n"
              "      --dump WHAT       print selection, document, layout or pages instead of PDFs\n"
              "      --fhir-documents  also write DocumentReference.ndjson beside the PDFs\n"
              "  -q, --quiet           errors only                -v, --verbose        progress too\n"},
    {"batch", "Usage: handout batch [OPTION]... INPUT... -o DIR\n"
              "Write DIR/<patient id>.pdf for every patient of every input, in parallel, each PDF\n"
              "whole or not at all, and DIR/manifest.csv in input order.\n"
              "  -s, --settings FILE   the clinic's settings      -t, --template NAME  page design\n"
              "  -j, --jobs N          worker threads             --shard K/N          a share of the ids\n"
              "      --resume          keep what an earlier run made and still matches\n"
              "      --fhir-documents  also write DIR/DocumentReference.ndjson (FHIR R4)\n"
              "      --mailing STYLE   letters for window envelopes (din5008 on A4, us10 on Letter)\n"
              "                        and print-ready bundles DIR/mailing-NNNN.pdf, duplex-safe\n"
              "      --bundle-size N   letters a bundle (default 500)\n"
              "      --report          DIR/report.pdf: counts, the call list, charts, errors\n"
              "      --no-write        make every handout, write none (timing)\n"
              "  -q, --quiet           errors only                -v, --verbose        progress too\n"},
    {"questionnaire", "Usage: handout questionnaire [--format fhir-json|fhir-xml] [-o FILE]\n"
                      "Print the FHIR R4 Questionnaire lbp-after-massage (version 1) made from\n"
                      "content/questionnaire.xml, for a record system's form builder; responses to it\n"
                      "are read back by explain, build and batch. Default: fhir-json to standard output.\n"},
    {"ask", "Usage: handout ask [--id ID] [--name NAME] [--language L] [--settings FILE] [-t NAME]\n"
            "                  [--save ANSWERS.xml] [--print] -o SHEET.pdf\n"
            "Ask the patient every question, in their language, and make their sheet. Choices\n"
            "are numbered: type a number or the choice's id (several, separated by spaces or\n"
            "commas, where the question takes several), y or n for yes or no, a number for a\n"
            "number; an empty line leaves the question unanswered (the pain score is asked\n"
            "again). A wrong answer says why and asks again. On a terminal each question has its\n"
            "own screen and the answers can be changed before the sheet is made; from a pipe it\n"
            "reads one answer a line and the end of input ends the questions (an end before the\n"
            "last one is said, and recorded by --save); a failed read makes no sheet.\n"
            "  --save FILE   also keep the answers as native XML   --print   send the sheet to\n"
            "                (to keep, or to make the sheet again)           the printer (lp)\n"},
    {"form", "Usage: handout form [--language L] [-t NAME] [--settings FILE] -o FORM.pdf\n"
             "       handout form --csv-header\n"
             "Write the blank questionnaire to print and fill in by hand: the clinic, lines for\n"
             "the name and date, every question with tick boxes, a 0-10 row for the pain and the\n"
             "body map to mark, in the language given (default English). --csv-header prints\n"
             "the header row a web form or spreadsheet should export for handout to read.\n"},
    {"draw", "Usage: handout draw FILE.svg -o OUT.pdf\n"
             "Render one drawing alone on a page of its own size, to preview it before putting\n"
             "it into content/diagrams/; unsupported SVG is reported with file, line and element.\n"},
};

typedef struct options {
	const char *command;
	const char *output;
	const char *settings;
	const char *template_name;
	const char *date;
	const char *data_dir;
	dump_kind dump;
	char **inputs;
	int ninputs;
	int jobs;
	int shard_k, shard_n;
	int resume;
	int no_write;
	int quiet;
	int fhir_documents;
	const char *format;
	const mail_style *mailing;
	long bundle_size;
	int report;
	const char *language;         /* form, ask */
	int csv_header;               /* form */
	const char *id, *name, *save; /* ask */
	int print;                    /* ask */
	const char *id_column;        /* --id-column */
	char **ignore_columns;        /* --ignore-column, each */
	size_t nignore;
	reader_options read; /* made by run() */
} options;

/* The command's own help, else the whole usage. */
static void print_help(const char *command)
{
	for (size_t i = 0; command && i < sizeof command_help / sizeof *command_help; i++)
		if (strcmp(command, command_help[i].command) == 0) {
			fputs(command_help[i].text, stdout);
			return;
		}
	fputs(usage_text, stdout);
}

/* fmt holds one %s, for what the operator typed: said escaped (diag_say). */
static int usage_error(const char *fmt, const char *arg)
{
	strbuf msg = {0};
	sb_printf(&msg, fmt, arg);
	diag_say("%s", msg.data);
	sb_free(&msg);
	fputs("Try 'handout --help'.\n", stderr);
	return EXIT_USAGE;
}

static int is_dir(const char *dir)
{
	struct stat st;
	return stat(dir, &st) == 0 && S_ISDIR(st.st_mode);
}

/* 1 when dir holds content/ (a data folder). */
static int has_content(const char *dir)
{
	char *sub = path_join(dir, "content");
	int ok = is_dir(sub);
	free(sub);
	return ok;
}

/* The data folder: --data, $HANDOUT_DATA, the folder it was installed into (DATADIR), then
 * beside the program as installed anywhere (BIN/../share/handout: a staged or moved
 * install), else the program's own folder (the source tree). */
static char *find_data_dir(const char *given)
{
	if (given)
		return xstrdup(given);
	const char *env = getenv("HANDOUT_DATA");
	if (env && *env)
		return xstrdup(env);
	if (has_content(HANDOUT_DATADIR))
		return xstrdup(HANDOUT_DATADIR);
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = '\0';
		char *slash = strrchr(exe, '/');
		if (slash)
			*slash = '\0';
		char *share = path_join(exe, "../share/handout");
		if (has_content(share))
			return share;
		free(share);
		return xstrdup(exe);
	}
	return xstrdup(".");
}

static int parse_options(int argc, char **argv, options *o)
{
	static const struct option longopts[] = {
	    {"output", required_argument, NULL, 'o'},
	    {"settings", required_argument, NULL, 's'},
	    {"template", required_argument, NULL, 't'},
	    {"date", required_argument, NULL, 'D'},
	    {"dump", required_argument, NULL, 'd'},
	    {"data", required_argument, NULL, 'R'},
	    {"quiet", no_argument, NULL, 'q'},
	    {"verbose", no_argument, NULL, 'v'},
	    {"help", no_argument, NULL, 'h'},
	    {"version", no_argument, NULL, 'V'},
	    {"jobs", required_argument, NULL, 'j'},
	    {"shard", required_argument, NULL, 'S'},
	    {"resume", no_argument, NULL, 'U'},
	    {"no-write", no_argument, NULL, 'W'},
	    {"fhir-documents", no_argument, NULL, 'X'},
	    {"format", required_argument, NULL, 'F'},
	    {"mailing", required_argument, NULL, 'M'},
	    {"bundle-size", required_argument, NULL, 'B'},
	    {"report", no_argument, NULL, 'P'},
	    {"language", required_argument, NULL, 'L'},
	    {"csv-header", no_argument, NULL, 'C'},
	    {"id", required_argument, NULL, 'I'},
	    {"name", required_argument, NULL, 'N'},
	    {"save", required_argument, NULL, 'A'},
	    {"print", no_argument, NULL, 'Q'},
	    {"id-column", required_argument, NULL, 'K'},
	    {"ignore-column", required_argument, NULL, 'G'},
	    {NULL, 0, NULL, 0},
	};
	int c;
	while ((c = getopt_long(argc, argv, "o:s:t:j:qvhV", longopts, NULL)) != -1) {
		switch (c) {
		case 'o':
			o->output = optarg;
			break;
		case 's':
			o->settings = optarg;
			break;
		case 't':
			o->template_name = optarg;
			break;
		case 'D':
			o->date = optarg;
			break;
		case 'R':
			o->data_dir = optarg;
			break;
		case 'd':
			if (strcmp(optarg, "selection") == 0)
				o->dump = DUMP_SELECTION;
			else if (strcmp(optarg, "document") == 0)
				o->dump = DUMP_DOCUMENT;
			else if (strcmp(optarg, "layout") == 0)
				o->dump = DUMP_LAYOUT;
			else if (strcmp(optarg, "pages") == 0)
				o->dump = DUMP_PAGES;
			else
				return usage_error(
				    "--dump takes selection, document, layout or pages, not '%s'", optarg);
			break;
		case 'j': {
			char *end;
			long n = strtol(optarg, &end, 10);
			if (*end || n < 1 || n > 256)
				return usage_error("-j takes a number of workers from 1 to 256, not '%s'",
				                   optarg);
			o->jobs = (int)n;
			break;
		}
		case 'S': {
			char tail;
			if (sscanf(optarg, "%d/%d%c", &o->shard_k, &o->shard_n, &tail) != 2 ||
			    o->shard_n < 1 || o->shard_k < 1 || o->shard_k > o->shard_n)
				return usage_error("--shard takes K/N with 1 <= K <= N, not '%s'", optarg);
			break;
		}
		case 'U':
			o->resume = 1;
			break;
		case 'W':
			o->no_write = 1;
			break;
		case 'X':
			o->fhir_documents = 1;
			break;
		case 'P':
			o->report = 1;
			break;
		case 'L':
			o->language = optarg;
			break;
		case 'C':
			o->csv_header = 1;
			break;
		case 'I':
			o->id = optarg;
			break;
		case 'N':
			o->name = optarg;
			break;
		case 'A':
			o->save = optarg;
			break;
		case 'Q':
			o->print = 1;
			break;
		case 'K':
			o->id_column = optarg;
			break;
		case 'G':
			o->ignore_columns =
			    xrealloc(o->ignore_columns, (o->nignore + 1) * sizeof *o->ignore_columns);
			o->ignore_columns[o->nignore++] = optarg;
			break;
		case 'M':
			if (!(o->mailing = mail_style_find(optarg)))
				return usage_error("--mailing takes din5008 (A4) or us10 (Letter), not '%s'",
				                   optarg);
			break;
		case 'B': {
			char *end;
			o->bundle_size = strtol(optarg, &end, 10);
			if (*end || o->bundle_size < 1 || o->bundle_size > 100000)
				return usage_error(
				    "--bundle-size takes a number of letters from 1 to 100000, not '%s'",
				    optarg);
			break;
		}
		case 'F':
			if (strcmp(optarg, "fhir-json") != 0 && strcmp(optarg, "fhir-xml") != 0)
				return usage_error("--format takes fhir-json or fhir-xml, not '%s'", optarg);
			o->format = optarg;
			break;
		case 'q':
			o->quiet = 1;
			diag_set_threshold(DIAG_ERROR);
			break;
		case 'v':
			diag_set_threshold(DIAG_NOTE);
			break;
		case 'h':
			print_help(o->command);
			exit(EXIT_OK);
		case 'V':
			printf("handout %s\n", HANDOUT_VERSION);
			exit(EXIT_OK);
		default:
			return EXIT_USAGE + 100;
		}
	}
	o->inputs = argv + optind;
	o->ninputs = argc - optind;
	return 0;
}

static int is_stdout(const char *out)
{
	return out && strcmp(out, "-") == 0;
}

/* Where an output went, for messages. */
static const char *output_name(const char *out)
{
	return is_stdout(out) ? "standard output" : out;
}

/* Writes one output: to path (whole or not at all, output.c), or to standard output for
 * "-". Returns 0, or -1 after reporting. */
static int write_output(const char *out, const void *data, size_t len)
{
	if (!is_stdout(out))
		return output_write_file(out, data, len);
	if (fwrite(data, 1, len, stdout) != len || fflush(stdout) != 0) {
		diag(DIAG_ERROR, NULL, 0, "cannot write to standard output: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/* The questionnaire's words in English (0) and each translation (1...), for the CSV reader:
 * a translation is loaded only when a CSV title or cell is not English. */
typedef struct wording_set {
	const resources *r;
	reader_wording w[MAX_LANGUAGES + 1];
	int loaded[MAX_LANGUAGES + 1];
} wording_set;

static const reader_wording *language_wording(void *ctx, size_t i)
{
	wording_set *ws = ctx;
	if (i > pipeline_language_count(ws->r) || i > MAX_LANGUAGES)
		return NULL;
	if (!ws->loaded[i]) {
		ws->loaded[i] = 1;
		const content *c =
		    i == 0 ? ws->r->content : pipeline_language(ws->r, pipeline_language_tag(ws->r, i - 1));
		if (c)
			ws->w[i] = (reader_wording){&c->questionnaire, locale_word(&c->words, W_YES),
			                            locale_word(&c->words, W_NO),
			                            locale_word(&c->words, W_FORM_NAME)};
	}
	return &ws->w[i];
}

/* Walks every patient of every input, calling fn for each; returns how many were rejected
 * (a malformed file counts as one). */
typedef void (*patient_fn)(void *ctx, const resources *r, patient *p);

typedef struct each_run {
	const resources *r;
	patient_fn fn;
	void *ctx;
} each_run;

static int each_one(void *ctx, patient *p)
{
	each_run *e = ctx;
	e->fn(e->ctx, e->r, p);
	patient_free(p);
	return 0;
}

static int each_patient(const options *o, const resources *r, patient_fn fn, void *ctx)
{
	each_run e = {r, fn, ctx};
	reader_stats st;
	reader_each(o->inputs, o->ninputs, &r->content->questionnaire, &o->read, each_one, &e, &st);
	return (int)(st.rejected + st.files_failed);
}

static void explain_one(void *ctx, const resources *r, patient *p)
{
	(void)ctx;
	strbuf line = {0};
	if (p->error) {
		selection_error_json(p, &line);
	} else {
		selection *s = selection_make(r->content, p);
		selection_to_json(s, p, &line);
		selection_free(s);
	}
	puts(line.data);
	sb_free(&line);
}

static void check_one(void *ctx, const resources *r, patient *p)
{
	(void)r;
	if (!p->error)
		++*(int *)ctx;
}

/* State of a build run into one file (a folder goes to run_batch), or of a dump. */
typedef struct build_run {
	const options *o;
	out_list *sinks; /* the file (or standard output) and its DocumentReference; NULL for a dump */
	int written;
	int failed;
	int several; /* -o -: patients after the one handout standard output takes */
} build_run;

static int ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a >= b && strcmp(s + a - b, suffix) == 0;
}

/* The handout made for p handed to the sinks: its file written (standard output's held until
 * the input has ended: see run), its DocumentReference beside it. */
static void put_handout(build_run *b, const resources *r, const patient *p, const handout_result *res)
{
	out_handout h = out_list_handout(r, p, res);
	out_place where;
	int rc = out_list_one(b->sinks, &h, &where);
	if (rc < 0)
		diag(DIAG_ERROR, p->file, p->line, "patient %s: no handout was made", p->id);
	if (rc != 0) {
		b->failed++;
		return;
	}
	b->written++;
	if (!is_stdout(b->o->output))
		diag(DIAG_NOTE, b->o->output, 0, "patient %s: %zu pages, %zu bytes", p->id, res->pages,
		     where.bytes);
}

static void build_one(void *ctx, const resources *r, patient *p)
{
	build_run *b = ctx;
	if (p->error)
		return;
	if (b->o->dump == DUMP_NONE && is_stdout(b->o->output) && b->written) {
		/* Standard output takes one PDF: none is written when a second patient asks too. */
		if (!b->several++)
			diag(DIAG_ERROR, p->file, p->line,
			     "patient %s: standard output (-o -) takes one handout and the input holds more; "
			     "give a folder",
			     p->id);
		return;
	}
	if (b->o->dump == DUMP_NONE && b->written && !is_stdout(b->o->output)) {
		diag(DIAG_ERROR, p->file, p->line,
		     "patient %s: %s is one file and already holds a handout; give a folder for several "
		     "patients",
		     p->id, b->o->output);
		b->failed++;
		return;
	}
	strbuf dump = {0};
	handout_result res;
	int rc = b->o->mailing ? pipeline_letter_dump(r, p, b->o->mailing, b->o->dump, &dump, &res)
	                       : pipeline_handout(r, p, b->o->dump, &dump, &res);
	if (rc != 0 && res.letter_error) {
		diag(DIAG_ERROR, p->file, p->line, "patient %s: no letter was made: %s", p->id,
		     res.letter_error);
		b->failed++;
	} else if (rc != 0) {
		diag(DIAG_ERROR, p->file, p->line, "patient %s: no handout was made", p->id);
		b->failed++;
	} else if (b->o->dump != DUMP_NONE) {
		if (b->o->dump != DUMP_SELECTION && b->o->dump != DUMP_PAGES)
			printf("# patient %s\n", p->id);
		fputs(dump.data ? dump.data : "", stdout);
		b->written++;
	} else {
		put_handout(b, r, p, &res);
	}
	sb_free(&dump);
	handout_result_free(&res);
}

/* handout batch (and build into a folder): the streaming, parallel engine. */
static int run_batch(const options *o, const resources *r)
{
	batch_options bo = {o->inputs,
	                    o->ninputs,
	                    o->output,
	                    o->jobs ? o->jobs : (int)sysconf(_SC_NPROCESSORS_ONLN),
	                    o->shard_n ? o->shard_k : 1,
	                    o->shard_n ? o->shard_n : 1,
	                    o->resume,
	                    !o->no_write,
	                    !o->quiet && isatty(STDERR_FILENO),
	                    o->fhir_documents,
	                    o->mailing,
	                    (size_t)o->bundle_size,
	                    o->report,
	                    &o->read};
	if (bo.jobs < 1)
		bo.jobs = 1;
	batch_stats st;
	int status = batch_run(r, &bo, &st);
	if (status == 2)
		return EXIT_USAGE;
	if (st.stopped && st.every_row) {
		diag_say(
		    "stopped: cannot write to %s (%s) after every patient: %zu handout%s written and %zu "
		    "patient%s rejected are in its manifest.csv, but the mailing bundles, the report or "
		    "DocumentReference.ndjson asked for are not all there. Free some space, then run "
		    "the same command with --resume to finish them.",
		    o->output, strerror(st.stop_err), st.ok, st.ok == 1 ? "" : "s", st.failed,
		    st.failed == 1 ? "" : "s");
		return EXIT_STOPPED;
	}
	if (st.stopped) {
		/* One line: how far the run got and how to go on. */
		diag_say("stopped: cannot write to %s (%s); %zu handout%s written and %zu patient%s rejected "
		         "are in its manifest.csv, %zu read after that were not made, nor any later ones. "
		         "Free some space, then run the same command with --resume to continue.",
		         o->output, strerror(st.stop_err), st.ok, st.ok == 1 ? "" : "s", st.failed,
		         st.failed == 1 ? "" : "s", st.discarded);
		return EXIT_STOPPED;
	}
	if (!o->quiet || st.failed || st.files_failed || st.outputs_failed) {
		strbuf line = {0};
		sb_printf(&line, "%zu handout%s %s %s", st.ok, st.ok == 1 ? "" : "s",
		          o->no_write ? "made (not written) for" : "written to", o->output);
		if (st.kept)
			sb_printf(&line, " (%zu kept from the earlier run)", st.kept);
		if (st.failed)
			sb_printf(&line, "; %zu patient%s got none (see above and %s/manifest.csv)",
			          st.failed, st.failed == 1 ? "" : "s", o->output);
		if (st.files_failed)
			sb_printf(&line, "; %zu input file%s could not be read to the end", st.files_failed,
			          st.files_failed == 1 ? "" : "s");
		if (st.outputs_failed)
			sb_printf(
			    &line,
			    "; %zu of the run's own files (bundles, report, DocumentReference.ndjson) could "
			    "not be written (see above)",
			    st.outputs_failed);
		diag_say("%s", line.data);
		sb_free(&line);
	}
	return status;
}

/* handout draw: one SVG alone on a page of its own size. */
static int run_draw(const options *o, const resources *r)
{
	drawing *d = svg_load(o->inputs[0]);
	if (!d)
		return EXIT_SOME_FAILED;
	layout_measure m;
	fonts_measure(pdf_fonts_metrics(r->fonts), &m);
	layout *l = layout_drawing(d, &m);
	unsigned char *pdf;
	size_t len;
	pdf_meta meta = {o->inputs[0], NULL, "Drawing preview", NULL, r->default_date, o->inputs[0]};
	int rc = out_pdf_document(r, l, &meta, 0, &pdf, &len);
	if (rc == 0) {
		rc = write_output(o->output, pdf, len);
		free(pdf);
	}
	if (rc == 0 && !o->quiet)
		diag_say("%s drawn to %s (%.0f x %.0f pt)%s", o->inputs[0], output_name(o->output),
		         l->width_pt, l->height_pt, d->warnings ? "; see the warnings above" : "");
	layout_free(l);
	drawing_free(d);
	return rc == 0 ? EXIT_OK : EXIT_SOME_FAILED;
}

/* handout form: the blank questionnaire, or with --csv-header the CSV header row. */
static int run_form(const options *o, const resources *r)
{
	const questionnaire *q = &r->content->questionnaire;
	if (o->csv_header) {
		printf("id,name,language,phone,birth-date,address");
		for (size_t i = 0; i < q->nquestions; i++)
			printf(",%s", q->questions[i].id);
		printf("\n");
		return fflush(stdout) == 0 ? EXIT_OK : EXIT_SOME_FAILED;
	}
	const content *c = pipeline_language(r, o->language);
	if (!c) {
		strbuf line = {0};
		sb_printf(&line, "there is no questionnaire in '%s'; content/ has English", o->language);
		for (size_t i = 0; i < pipeline_language_count(r); i++)
			sb_printf(&line, ", %s", pipeline_language_tag(r, i));
		diag_say("%s", line.data);
		sb_free(&line);
		return EXIT_USAGE;
	}
	document *doc;
	layout *l = pipeline_form(r, c, &doc);
	size_t len, pages = l->npages;
	unsigned char *pdf = NULL;
	pdf_meta meta = {doc->title,      r->settings->clinic_name, doc->subject, NULL,
	                 r->default_date, "the questionnaire",      r->profile};
	int rc = out_pdf_document(r, l, &meta, 1, &pdf, &len);
	layout_free(l);
	document_free(doc);
	if (rc != 0)
		return EXIT_SOME_FAILED;
	rc = write_output(o->output, pdf, len);
	free(pdf);
	if (rc == 0 && !o->quiet)
		diag_say("the questionnaire (%s, %zu page%s) written to %s", c->language, pages,
		         pages == 1 ? "" : "s", output_name(o->output));
	return rc == 0 ? EXIT_OK : EXIT_SOME_FAILED;
}

/* handout questionnaire: the FHIR Questionnaire, to stdout or -o FILE. */
static int run_questionnaire(const options *o, const resources *r)
{
	fhir_format f = o->format && strcmp(o->format, "fhir-xml") == 0 ? FHIR_XML : FHIR_JSON;
	char *text = fhir_questionnaire_text(&r->content->questionnaire, f);
	int rc = write_output(o->output ? o->output : "-", text, strlen(text));
	free(text);
	return rc == 0 ? EXIT_OK : EXIT_SOME_FAILED;
}

static int run(options *o)
{
	int is_check = strcmp(o->command, "check") == 0;
	int is_draw = strcmp(o->command, "draw") == 0;
	int is_batch = strcmp(o->command, "batch") == 0;
	int is_explain = strcmp(o->command, "explain") == 0;
	int is_build = strcmp(o->command, "build") == 0;
	int is_questionnaire = strcmp(o->command, "questionnaire") == 0;
	int is_form = strcmp(o->command, "form") == 0;
	int is_ask = strcmp(o->command, "ask") == 0;
	if (!is_check && !is_explain && !is_build && !is_draw && !is_batch && !is_questionnaire && !is_form &&
	    !is_ask)
		return usage_error("unknown command '%s'", o->command);
	if (is_ask && (o->ninputs || !o->output))
		return usage_error("%s takes no INPUT and needs -o SHEET.pdf", o->command);
	if ((o->id || o->name || o->save || o->print) && !is_ask)
		return usage_error("--id, --name, --save and --print are for ask, not %s", o->command);
	if (is_form && (o->ninputs || (!o->output && !o->csv_header)))
		return usage_error("%s takes no INPUT and needs -o FORM.pdf (or --csv-header)", o->command);
	if ((o->language && !is_form && !is_ask) || (o->csv_header && !is_form))
		return usage_error("--language is for form and ask, --csv-header for form; not for %s",
		                   o->command);
	if ((o->id_column || o->nignore) && !is_check && !is_explain && !is_build && !is_batch)
		return usage_error(
		    "--id-column and --ignore-column are for commands that read answers, not %s", o->command);
	if (is_questionnaire && o->ninputs)
		return usage_error("%s takes no INPUT", o->command);
	if (o->format && !is_questionnaire)
		return usage_error("--format is for the questionnaire command, not %s", o->command);
	if (o->fhir_documents && !is_batch && !is_build)
		return usage_error("--fhir-documents is for build and batch, not %s", o->command);
	if ((o->bundle_size || o->report) && !is_batch)
		return usage_error("--bundle-size and --report are for batch, not %s", o->command);
	if (o->mailing && !is_batch && !is_build)
		return usage_error("--mailing is for batch and build, not %s", o->command);
	if (o->bundle_size && !o->mailing)
		return usage_error("%s", "--bundle-size needs --mailing");
	if (is_batch && (o->ninputs == 0 || !o->output))
		return usage_error("%s needs INPUT files and -o DIR", o->command);
	if (is_batch && o->dump != DUMP_NONE)
		return usage_error("%s writes PDFs; use build --dump for a dump", o->command);
	if (is_draw && (o->ninputs != 1 || !o->output))
		return usage_error("%s takes one FILE.svg and -o OUT.pdf", o->command);
	if ((is_explain || is_build) && o->ninputs == 0)
		return usage_error("%s needs at least one INPUT file", o->command);
	if (is_build && !o->output && o->dump == DUMP_NONE)
		return usage_error("%s needs -o OUT (a .pdf file or a folder)", o->command);
	if (is_stdout(o->output) && (is_batch || is_ask || o->fhir_documents))
		return usage_error(
		    "%s",
		    is_ask ? "ask writes the sheet to a file and talks on standard output: give -o SHEET.pdf"
		           : "-o - writes one file to standard output; this command writes several: give a "
		             "folder");
	if (is_stdout(o->save))
		return usage_error("%s", "ask talks on standard output: give --save a file");
	if (is_stdout(o->output) && (is_build || is_form || is_draw) && o->dump == DUMP_NONE &&
	    !o->csv_header && isatty(STDOUT_FILENO))
		return usage_error("%s", "-o - would write a PDF to the terminal: redirect standard output "
		                         "to a file or a program");
	char *data = find_data_dir(o->data_dir);
	int to_folder =
	    is_build && o->dump == DUMP_NONE && !ends_with(o->output, ".pdf") && !is_stdout(o->output);
	resource_paths paths = {data,
	                        o->settings,
	                        o->template_name,
	                        o->date,
	                        !is_explain && !is_questionnaire && !(is_form && o->csv_header),
	                        is_check,
	                        is_batch || to_folder};
	resources *r = resources_load(&paths);
	free(data);
	if (!r)
		return EXIT_USAGE;
	if (o->mailing && !mail_style_fits(o->mailing, r->template)) {
		diag_say("--mailing %s is for %s paper; the template %s is not (use %s)", o->mailing->name,
		         o->mailing->paper, o->template_name ? o->template_name : "chosen",
		         strcmp(o->mailing->paper, "A4") == 0 ? "a4 or a4-large" : "letter or letter-large");
		resources_free(r);
		return EXIT_USAGE;
	}
	wording_set words = {r, {{0}}, {0}};
	o->read = (reader_options){o->id_column, o->ignore_columns, o->nignore, language_wording, &words};
	int status = EXIT_OK;
	if (is_ask) {
		ask_options ao = {o->id, o->name, o->language, o->output, o->save, o->print};
		status = ask_run(r, &ao);
	} else if (is_form) {
		status = run_form(o, r);
	} else if (is_questionnaire) {
		status = run_questionnaire(o, r);
	} else if (is_draw) {
		status = run_draw(o, r);
	} else if (is_batch || to_folder) {
		status = run_batch(o, r);
	} else if (is_explain) {
		fflush(stdout);
		status = each_patient(o, r, explain_one, NULL) ? EXIT_SOME_FAILED : EXIT_OK;
	} else if (is_check) {
		int valid = 0;
		int rejected = each_patient(o, r, check_one, &valid);
		if (o->ninputs)
			fprintf(stderr,
			        "handout: content, settings and template are valid; %d patients valid, %d "
			        "rejected\n",
			        valid, rejected);
		else
			fprintf(stderr, "handout: content, settings, template and fonts are valid\n");
		status = rejected ? EXIT_SOME_FAILED : EXIT_OK;
	} else {
		out_options oo = {NULL, o->output, 1, o->fhir_documents, o->mailing, 0, 0};
		build_run b = {o, o->dump == DUMP_NONE ? out_list_new(r, &oo) : NULL, 0, 0, 0};
		int rejected = each_patient(o, r, build_one, &b);
		if (b.several) {
			diag_say("nothing written to standard output: %d patients have handouts and -o - "
			         "takes one",
			         b.written + b.several);
			out_list_free(b.sinks);
			resources_free(r);
			return EXIT_USAGE;
		}
		int err;
		size_t failures = 0;
		if (b.sinks && (out_list_finish(b.sinks, &err, &failures) != 0 || failures))
			b.written--, b.failed++; /* standard output did not take the handout held */
		out_list_free(b.sinks);
		if (o->dump == DUMP_NONE && (!o->quiet || rejected + b.failed)) {
			strbuf line = {0};
			sb_printf(&line, "%d handout%s written to %s", b.written, b.written == 1 ? "" : "s",
			          output_name(o->output));
			if (rejected + b.failed)
				sb_printf(&line, "; %d patient%s got none (see above)", rejected + b.failed,
				          rejected + b.failed == 1 ? "" : "s");
			diag_say("%s", line.data);
			sb_free(&line);
		}
		status = rejected + b.failed ? EXIT_SOME_FAILED : EXIT_OK;
	}
	resources_free(r);
	return status;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return usage_error("%s", "missing COMMAND");
	options o = {0};
	if (argv[1][0] == '-') {
		/* Only --help and --version come without a command. */
		int rc = parse_options(argc, argv, &o);
		return rc ? EXIT_USAGE : usage_error("%s", "missing COMMAND");
	}
	o.command = argv[1];
	if (strcmp(o.command, "help") == 0) {
		print_help(argc > 2 ? argv[2] : NULL);
		return EXIT_OK;
	}
	int rc = parse_options(argc - 1, argv + 1, &o);
	if (rc)
		return EXIT_USAGE;
	umask(077); /* handouts hold health data: owner only */
	xml_init();
	int status = run(&o);
	free(o.ignore_columns);
	pdf_thread_done();
	xml_cleanup();
	return status;
}

#!/bin/sh
# make bench: speed, size and memory of batch runs on generated patients (fixed seed).
# Prints numbers; asserts nothing. Needs GNU time (Debian package time).
set -eu
cd "$(dirname "$0")/.."
N=${BENCH_PATIENTS:-4000}
JOBS=$(nproc)
WORK=$(mktemp -d /tmp/handout-bench-XXXXXX)
trap 'rm -rf "$WORK"' EXIT
./build/gen_patients "$N" 42 > "$WORK/patients.xml"

run() { # run LABEL ARGS...: prints seconds and peak KB of one batch
	label=$1; shift
	/usr/bin/time -f "%e %M" -o "$WORK/time" ./handout batch -q --settings examples/clinic.xml \
		--date 2026-11-24 "$@" >/dev/null 2>"$WORK/err" || { cat "$WORK/err"; exit 1; }
	read -r secs kb < "$WORK/time"
	echo "$label $secs $kb"
}

echo "handout benchmark: $N generated patients (seed 42), $(nproc) processors"
# -j1 and -jN in turn, three times each (with writes: each PDF flushed and renamed); the
# medians are printed.
median3() { printf '%s\n' "$@" | sort -n | sed -n 2p; }
for i in 1 2 3; do
	set -- $(run j1 -j1 "$WORK/patients.xml" -o "$WORK/j1.$i"); eval "s1_$i=$2 kb1_$i=$3"
	set -- $(run jN -j"$JOBS" "$WORK/patients.xml" -o "$WORK/jN.$i"); eval "sN_$i=$2 kbN_$i=$3"
done
s1=$(median3 "$s1_1" "$s1_2" "$s1_3"); sN=$(median3 "$sN_1" "$sN_2" "$sN_3")
kb1=$(median3 "$kb1_1" "$kb1_2" "$kb1_3"); kbN=$(median3 "$kbN_1" "$kbN_2" "$kbN_3")
mv "$WORK/j1.1" "$WORK/j1"; mv "$WORK/jN.1" "$WORK/jN"; rm -rf "$WORK"/j1.? "$WORK"/jN.?
cmp -s "$WORK/j1/manifest.csv" "$WORK/jN/manifest.csv" && same=identical || same=DIFFERENT
awk -F, -v n="$N" -v s1="$s1" -v sN="$sN" -v j="$JOBS" -v kb1="$kb1" -v kbN="$kbN" -v same="$same" '
	NR > 1 && $3 == "ok" { bytes += $5; pages += $4; ok++; if ($5 > max) max = $5; if ($4 <= 2) { b2 += $5; n2++ } }
	END {
		printf "  -j1: %6.0f handouts/s, %.2f ms per handout, peak memory %.1f MB\n", n / s1, 1000 * s1 / n, kb1 / 1024
		printf "  -j%d: %6.0f handouts/s, %.2f ms per handout, peak memory %.1f MB; %.2f times -j1\n", j, n / sN, 1000 * sN / n, kbN / 1024, s1 / sN
		printf "  per core at -j%d: %.0f handouts/s\n", j, n / sN / j
		printf "  size: %.1f KB average, %.1f KB largest, %.1f pages average", bytes / ok / 1024, max / 1024, pages / ok
		if (n2) printf "; handouts of 1-2 pages: %d, %.1f KB average", n2, b2 / n2 / 1024
		printf "\n  manifests of -j1 and -j%d: %s\n", j, same
	}' "$WORK/j1/manifest.csv"
rm -rf "$WORK/j1" "$WORK/jN"
for M in 10000 100000; do
	./build/gen_patients "$M" 7 > "$WORK/many.xml"
	set -- $(run m$M -j"$JOBS" --no-write "$WORK/many.xml" -o "$WORK/m$M")
	printf "  peak memory for %6d patients (made, not written): %.1f MB in %.0f s\n" "$M" "$(echo "$3 / 1024" | bc -l)" "$2"
	rm -rf "$WORK/m$M" "$WORK/many.xml"
done
./build/bench_floor . examples/clinic.xml examples/patients.xml 300 | sed 's/^/  /'

# Reading: the same patients as native XML and as FHIR Bulk NDJSON (Patients, then the
# responses), for explain (reading and selection only) and for a batch that writes.
R=${BENCH_READ_PATIENTS:-100000}
./build/gen_patients "$R" 11 > "$WORK/r.xml"
./build/gen_patients --format ndjson-patients "$R" 11 > "$WORK/Patient.ndjson"
./build/gen_patients --format ndjson-responses "$R" 11 > "$WORK/QuestionnaireResponse.ndjson"
./build/gen_patients --format fhir-xml "$R" 11 > "$WORK/bundle.xml"
explain() { # explain LABEL FILES...: prints CPU seconds, wall seconds and peak KB
	label=$1; shift
	/usr/bin/time -f "%U %S %e %M" -o "$WORK/time" ./handout explain "$@" > "$WORK/explain.$label" 2>"$WORK/err" ||
		{ cat "$WORK/err"; exit 1; }
	read -r u s e kb < "$WORK/time"
	printf "  explain %-16s %7.0f patients/s (%.2f s CPU), peak memory %.1f MB\n" "$label:" \
		"$(echo "$R / ($u + $s + 0.001)" | bc -l)" "$(echo "$u + $s" | bc -l)" "$(echo "$kb / 1024" | bc -l)"
}
echo "reading $R patients:"
explain native "$WORK/r.xml"
explain ndjson "$WORK/Patient.ndjson" "$WORK/QuestionnaireResponse.ndjson"
explain fhir-xml-bundle "$WORK/bundle.xml"
cmp -s "$WORK/explain.native" "$WORK/explain.ndjson" && cmp -s "$WORK/explain.native" "$WORK/explain.fhir-xml-bundle" &&
	echo "  explain output of the three: identical" || echo "  explain output of the three: DIFFERENT"
B=${BENCH_BATCH_READ:-4000}
head -n "$((B + 2))" "$WORK/r.xml" > "$WORK/b.xml" && echo "</patients>" >> "$WORK/b.xml"
head -n "$B" "$WORK/Patient.ndjson" > "$WORK/bP.ndjson"
head -n "$B" "$WORK/QuestionnaireResponse.ndjson" > "$WORK/bR.ndjson"
set -- $(run bn -j"$JOBS" "$WORK/b.xml" -o "$WORK/bn"); bn=$2
set -- $(run bj -j"$JOBS" --fhir-documents "$WORK/bP.ndjson" "$WORK/bR.ndjson" -o "$WORK/bj"); bj=$2
printf "  batch -j%d of %d: native %.0f handouts/s; NDJSON with --fhir-documents %.0f handouts/s\n" "$JOBS" "$B" \
	"$(echo "$B / $bn" | bc -l)" "$(echo "$B / $bj" | bc -l)"

# Mailing: letters into bundles (in input order, by the reading thread) against the same
# patients as separate PDFs only.
M=${BENCH_MAIL_PATIENTS:-2000}
./build/gen_patients "$M" 13 > "$WORK/mail.xml"
set -- $(run ms -j"$JOBS" "$WORK/mail.xml" -o "$WORK/ms"); ms=$2
set -- $(run mb -j"$JOBS" --mailing din5008 --report "$WORK/mail.xml" -o "$WORK/mb"); mb=$2; mbkb=$3
sep=$(awk -F, 'NR > 1 && $3 == "ok" { b += $5; n++ } END { printf "%.0f", b / n }' "$WORK/ms/manifest.csv")
letters=$(awk -F, 'NR > 1 && $17 != "" { n++ } END { print n + 0 }' "$WORK/mb/manifest.csv")
bundled=$(cat "$WORK"/mb/mailing-*.pdf | wc -c)
printf "mailing %d patients (-j%d): separate PDFs %.0f a second; with --mailing and --report %.0f letters a second\n" \
	"$M" "$JOBS" "$(echo "$M / $ms" | bc -l)" "$(echo "$letters / $mb" | bc -l)"
printf "  bytes a letter: %d in a separate PDF, %.0f in a bundle (%d letters in %d bundles, %d bytes); peak memory %.1f MB\n" \
	"$sep" "$(echo "$bundled / $letters" | bc -l)" "$letters" "$(ls "$WORK"/mb/mailing-*.pdf | wc -l)" "$bundled" \
	"$(echo "$mbkb / 1024" | bc -l)"

# Languages: the same patient's handout in English, Spanish and Chinese, each as its own
# process (median CPU of 21 runs, user + system, to the microsecond) and its size.
for L in en es zh-Hans; do
	sed -n '1,4p;/<patient id="P-0001">/,/<\/patient>/p' examples/patients.xml |
		sed "s#<name>#<language>$L</language><name>#" > "$WORK/lang-$L.xml"
	echo "</patients>" >> "$WORK/lang-$L.xml"
	./build/bench_cpu 21 ./handout build -q --date 2026-11-24 --settings examples/clinic.xml \
		"$WORK/lang-$L.xml" -o "$WORK/lang-$L.pdf" > "$WORK/cpu-$L"
done
en_cpu=$(cat "$WORK/cpu-en")
for L in en es zh-Hans; do
	printf "  handout of P-0001 in %-8s %6d bytes, %5.2f ms CPU as its own process (%.2f times English)\n" "$L:" \
		"$(wc -c < "$WORK/lang-$L.pdf")" "$(cat "$WORK/cpu-$L")" "$(echo "$(cat "$WORK/cpu-$L") / $en_cpu" | bc -l)"
done

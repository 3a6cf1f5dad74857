#!/bin/sh
# make pages: how the pages come out over a generated population, per template. For each,
# the page-count histogram of the non-urgent handouts (urgent and today sheets apart), their
# mean, how full the non-last pages are (percentiles of each handout's emptiest non-last
# page), how far handouts were condensed to fit the template's <pages max>, what the page
# breaks split, and the exercise drawings' heights. Prints numbers and
# asserts nothing (tests/check_typesetting.c asserts on a fixed population).
# usage: sh scripts/pages.sh [N [SEED]]
set -eu
N=${1:-300}
SEED=${2:-2026}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
./build/gen_patients --format population "$N" "$SEED" > "$T/population.xml"
echo "$N generated patients (seed $SEED), every answer drawn, en/es/zh-Hans"
for t in a4 letter a4-large letter-large; do
	./handout build -q -t "$t" --settings examples/clinic.xml --date 2026-11-24 --dump pages \
		"$T/population.xml" > "$T/$t.txt"
	limit=$(sed -n 's/.*<pages max="\([0-9]*\)".*/\1/p' "templates/$t.xml")
	full=$(sed -n 's/.*<pages .*fill="\([0-9]*\)".*/\1/p' "templates/$t.xml")
	spacing=$(sed -n 's/.*line-spacing="\([0-9.]*\)".*/\1/p' "templates/$t.xml")
	awk -v t="$t" -v limit="$limit" -v full="$full" -v spacing="$spacing" '
	function field(name,   i) { for (i = 2; i <= NF; i++) if (index($i, name "=") == 1) return substr($i, length(name) + 2); return "" }
	{
		notice = field("notice"); pages = field("pages") + 0
		nfill = split(field("fill"), fill, ",")
		nbreak = split(field("breaks"), brk, ",")
		if (notice == "urgent" || notice == "today") {
			sheets++; if (pages > 1) long_sheets++
		} else {
			n++; total += pages; hist[pages]++; if (pages > limit) over++
			condensed[field("condensed") + 0]++
			if (field("condensed") == "0" && field("spacing") + 0 < spacing + 0) closer++
			spacing_min = (spacing_min == "" || field("spacing") + 0 < spacing_min) ? field("spacing") + 0 : spacing_min
			if (pages > 1) {
				least = 100
				for (i = 1; i < nfill; i++) if (fill[i] + 0 < least) least = fill[i] + 0
				emptiest[++m] = least
				if (least < full) under++
				if (least < 50) under50++
			}
			if (nfill > 1 && fill[nfill] + 0 < 25) thin_last++
		}
		for (i = 1; i <= nbreak; i++) if (brk[i] != "none") split_kind[brk[i]]++
		nd = split(field("drawings"), dr, ",")
		for (i = 1; i <= nd; i++) {
			if (split(dr[i], kv, ":") < 2 || kv[1] ~ /^(pain-scale|body-map)$/) continue
			h = kv[2] + 0; if (!drawn || h < lowest_h) lowest_h = h; drawn = 1
		}
	}
	END {
		printf "\n%s: %d handouts, %d urgent or today sheets (%d over one page)\n", t, n, sheets, long_sheets
		printf "  pages:"; for (p = 1; p <= 20; p++) if (p in hist) printf " %d:%d", p, hist[p]
		printf "  mean %.2f, over %d: %d\n", n ? total / n : 0, limit, over
		# percentiles of the emptiest non-last page of each handout (insertion sort)
		for (i = 1; i <= m; i++) for (j = i; j > 1 && emptiest[j - 1] > emptiest[j]; j--) { x = emptiest[j]; emptiest[j] = emptiest[j - 1]; emptiest[j - 1] = x }
		if (m) printf "  emptiest non-last page: min %d%%, 5th %d%%, median %d%%; under %d%%: %d (%.1f%%), under 50%%: %d\n",
			emptiest[1], emptiest[int(m * 0.05) + 1], emptiest[int(m / 2) + 1], full, under, 100 * under / m, under50
		printf "  condensed to fit %d pages: not %d, lines closer only %d, causes in brief %d, and no exercise log %d, and the pain in words %d (closest line spacing %.2f)\n", limit, condensed[0] - closer, closer, condensed[1], condensed[2], condensed[3], spacing_min
		printf "  last page under 25%% full: %d\n", thin_last
		printf "  breaks:"; for (k in split_kind) printf " %s %d", k, split_kind[k]; printf "\n"
		printf "  shortest exercise drawing: %d pt (%.0f mm)\n", lowest_h, lowest_h * 25.4 / 72
	}' "$T/$t.txt"
done

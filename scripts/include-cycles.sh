#!/bin/sh
# include-cycles.sh: fails when the modules of src/ include each other in a circle.
# A module is a name: src/NAME.c and src/NAME.h (a header no .c owns, such as reader_int.h,
# is a module of its own, unless it includes NAME.h: then it is NAME's private part, as
# layout_int.h is layout's). NAME depends on OTHER when either of its files includes
# "OTHER.h"; tsort (coreutils) reports any circle in those dependencies.
# Usage: sh scripts/include-cycles.sh [SRC_DIR]
src=${1:-src}
# NAME_int is NAME's own when src/NAME_int.h includes "NAME.h".
module_of() {
	case $1 in
	*_int) base=${1%_int}
		if grep -q "^#include \"$base.h\"" "$src/$1.h" 2>/dev/null; then echo "$base"; return; fi ;;
	esac
	echo "$1"
}
pairs=$(awk '
	FNR == 1 { m = FILENAME; sub(/.*\//, "", m); sub(/\.[ch]$/, "", m) }
	/^[ \t]*#[ \t]*include[ \t]*"[A-Za-z0-9_]+\.h"/ {
		d = $0; sub(/^[^"]*"/, "", d); sub(/\.h".*/, "", d)
		if (d != m) print m, d
	}' "$src"/*.c "$src"/*.h | while read -r m d; do
	[ -f "$src/$d.h" ] && echo "$m $d"
done | while read -r m d; do
	echo "$(module_of "$m") $(module_of "$d")"
done | awk '$1 != $2' | sort -u)
if ! out=$(printf '%s\n' "$pairs" | tsort 2>&1 >/dev/null) || [ -n "$out" ]; then
	echo "include-cycles: the modules of $src include each other in a circle:" >&2
	printf '%s\n' "$out" | sed -n 's/^tsort: //p' | grep -v 'input contains a loop' | sed 's/^/  /' >&2
	exit 1
fi
echo "include-cycles: no circle among the $(printf '%s\n' "$pairs" | wc -l) includes between modules of $src"

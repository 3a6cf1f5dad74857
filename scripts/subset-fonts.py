#!/usr/bin/python3
"""Pre-subset the handout's TrueType faces into fonts/ (run by hand, not by the build).

Needs Debian's python3-fonttools and fonts-noto-core. Writes hint-free subsets holding
Basic Latin, Latin-1, Latin Extended-A and the punctuation the content uses (the faces every
handout embeds), and the -Extra faces with Latin Extended-B and Extended Additional, Greek and
Cyrillic (the alphabets of patients' names that need no shaping; a document embeds them only
when a name needs them), with every
composite glyph decomposed (libharu 2.3 drops accents of nested composites) and a tiny
no-op `prep` program (libharu 2.3 fails to save some fonts without one, upstream #305).
"""
import sys
from fontTools import subset
from fontTools.ttLib import TTFont, newTable
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.pens.recordingPen import DecomposingRecordingPen

SOURCES = {
    "NotoSans-Regular.ttf": "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
    "NotoSans-Bold.ttf": "/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf",
}
UNICODES = (list(range(0x20, 0x7F)) + list(range(0xA0, 0x180)) +
            [0x2013, 0x2014, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2026,
             0x20AC, 0x2122, 0x2212, 0x00B7, 0x2190, 0x2192, 0x2264, 0x2265])


# Names in alphabets that need no shaping, beyond the main faces: Latin Extended-B and
# Extended Additional (Romanian, Vietnamese...), Greek, Cyrillic.
EXTRA_UNICODES = (list(range(0x20, 0x7F)) + list(range(0x180, 0x250)) + list(range(0x370, 0x400)) +
                  list(range(0x400, 0x530)) + list(range(0x1E00, 0x1F00)))


def decompose_composites(font):
    glyf = font["glyf"]
    glyph_set = font.getGlyphSet()
    for name in font.getGlyphOrder():
        glyph = glyf[name]
        if not glyph.isComposite():
            continue
        recording = DecomposingRecordingPen(glyph_set)
        glyph_set[name].draw(recording)
        pen = TTGlyphPen(None)
        recording.replay(pen)
        glyf[name] = pen.glyph()


def rename(font, suffix):
    """A second subset of a face needs a name of its own: libharu keeps one font per name."""
    for record in font["name"].names:
        if record.nameID in (1, 3, 4, 6):
            text = record.toUnicode()
            if record.nameID == 6:
                family, _, style = text.partition("-")
                text = f"{family}{suffix}-{style}" if style else f"{text}{suffix}"
            else:
                text = text.replace("Noto Sans", f"Noto Sans {suffix}")
            record.string = text


def fill_cmap(font, ranges):
    """Maps every code point of the ranges that has no glyph to .notdef, so that each range
    is one cmap segment: libharu 2.3 searches the segments one by one for every character it
    shows, and GB 2312's scattered characters made thousands of them (a Chinese handout cost
    four times an English one)."""
    for table in font["cmap"].tables:
        if table.format != 4:
            continue
        for lo, hi in ranges:
            for cp in range(lo, hi + 1):
                table.cmap.setdefault(cp, ".notdef")


def subset_one(src, out_path, unicodes, suffix=None, fill_ranges=None):
    if True:
        options = subset.Options()
        options.hinting = False
        options.layout_features = []
        options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14]
        options.notdef_outline = True
        options.glyph_names = False
        font = TTFont(src)
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=unicodes)
        subsetter.subset(font)
        decompose_composites(font)
        # Once decomposed, the parts of composite glyphs (Droid's CJK are built of them) are
        # used by nothing: a second pass drops them.
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=unicodes)
        subsetter.subset(font)
        for tag in ("GDEF", "GPOS", "GSUB", "DSIG"):
            if tag in font:
                del font[tag]
        prep = newTable("prep")
        prep.program = __import__("fontTools.ttLib.tables.ttProgram", fromlist=["Program"]).Program()
        prep.program.fromBytecode(bytes([0xB0, 0x00, 0x21]))
        font["prep"] = prep
        if suffix:
            rename(font, suffix)
        if fill_ranges:
            fill_cmap(font, fill_ranges)
        font.save(out_path)
        print(f"{out_path}: {len(font.getGlyphOrder())} glyphs")


def main(out_dir):
    for out_name, src in SOURCES.items():
        subset_one(src, f"{out_dir}/{out_name}", UNICODES)
        subset_one(src, f"{out_dir}/{out_name[:-4]}-Extra.ttf", EXTRA_UNICODES, "Extra")
    subset_one(CJK_SOURCE, f"{out_dir}/DroidSansFallback-GB2312.ttf", CJK_UNICODES,
               fill_ranges=[(0x4E00, 0x9FA5), (0x3000, 0x303F), (0xFF01, 0xFF5E)])


# Chinese names (and, later, handouts): the 6,763 characters of GB 2312 with CJK punctuation
# and full-width forms, from Droid Sans Fallback (Debian fonts-droid-fallback, Apache 2.0).
CJK_SOURCE = "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"


def gb2312():
    chars = set()
    for hi in range(0xB0, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                chars.add(ord(bytes([hi, lo]).decode("gb2312")))
            except UnicodeDecodeError:
                pass
    return sorted(chars)


CJK_UNICODES = (list(range(0x20, 0x7F)) + list(range(0x3000, 0x3040)) + list(range(0xFF01, 0xFF5F)) +
                [0x00B7, 0x2014, 0x2018, 0x2019, 0x201C, 0x201D, 0x2026] + gb2312())


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "fonts")

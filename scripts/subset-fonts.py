#!/usr/bin/python3
"""Pre-subset the handout's TrueType faces into fonts/ (run by hand, not by the build).

Usage: subset-fonts.py [--only noto|cjk] [DIR]   (DIR defaults to fonts)

Needs Debian's python3-fonttools, fonts-noto-core and fonts-wqy-microhei. Writes hint-free
subsets holding Basic Latin, Latin-1, Latin Extended-A and the punctuation the content uses
(the faces every handout embeds), and the -Extra faces with Latin Extended-B and Extended
Additional, Greek and Cyrillic (the alphabets of patients' names that need no shaping; a
document embeds them only when a name needs them), with every composite glyph decomposed
(libharu 2.3 drops accents of nested composites) and a tiny no-op `prep` program (libharu
2.3 fails to save some fonts without one, upstream #305).

The CJK face (`--only cjk` makes just that one) is cut from WenQuanYi Micro Hei (Debian
fonts-wqy-microhei: Apache 2.0, or GPL 3 with a font exception; handout takes it under
Apache 2.0), itself made from Droid Sans Fallback. Its composite glyphs (it builds most
ideographs and syllables of parts) are kept: none is nested, the parts get the lowest glyph
ids (see parts_first), where libharu 2.3 finds them.
Decomposed, the file would be twice as large, and every run hashes every byte of it
(fingerprint.c).
"""
import sys
from fontTools import subset
from fontTools.ttLib import newTable
from fontTools.ttLib.tables._g_l_y_f import Glyph
from fontTools.ttLib.tables.ttProgram import Program
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

# Chinese, Japanese and Korean names, and Chinese handouts: the first face of WenQuanYi
# Micro Hei's collection. It has every CJK Unified Ideograph up to Unicode 5.1 (U+4E00 to
# U+9FC3, 20,932; the 60 added since, U+9FC4-U+9FFF, no packaged TrueType sans face has),
# 302 compatibility ideographs, 180 kana, all 11,172 Hangul syllables, CJK punctuation and
# full-width forms; no Hangul jamo and no CJK Extension A.
CJK_SOURCE = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
CJK_NAME = "WQYMicroHei-CJK.ttf"
CJK_UNICODES = (list(range(0x20, 0x7F)) + list(range(0x3000, 0x3100)) + list(range(0x3130, 0x3190)) +
                list(range(0x4E00, 0xA000)) + list(range(0xAC00, 0xD7A4)) + list(range(0xF900, 0xFB00)) +
                list(range(0xFF01, 0xFFF0)) + [0x00B7, 0x2014, 0x2018, 0x2019, 0x201C, 0x201D, 0x2026])


def decompose_composites(font):
    glyf = font["glyf"]
    glyph_set = font.getGlyphSet()
    for name in font.getGlyphOrder():
        if not glyf[name].isComposite():
            continue
        recording = DecomposingRecordingPen(glyph_set)
        glyph_set[name].draw(recording)
        pen = TTGlyphPen(None)
        recording.replay(pen)
        glyph = pen.glyph()
        glyf[name] = glyph if glyph.numberOfContours else Glyph()


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


def parts_first(font):
    """Gives the parts of composite glyphs the lowest glyph ids: libharu 2.3 reads a
    component's glyph id as a signed 16-bit number when it marks the parts a document
    needs, so a part at 32,768 or above (Micro Hei keeps its 14,000 parts last, past
    46,000) would be left out of every PDF."""
    glyf = font["glyf"]
    order = font.getGlyphOrder()
    parts = {c.glyphName for name in order if glyf[name].isComposite() for c in glyf[name].components}
    new_order = [order[0]] + [n for n in order[1:] if n in parts] + [n for n in order[1:] if n not in parts]
    assert sum(1 for n in new_order if n in parts) < 32767
    font.setGlyphOrder(new_order)
    glyf.glyphOrder = new_order


def subset_one(src, out_path, unicodes, suffix=None, decompose=True, drop=()):
    options = subset.Options()
    options.hinting = False
    options.layout_features = []
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14]
    options.notdef_outline = True
    options.glyph_names = False
    options.font_number = 0
    font = subset.load_font(src, options)
    font.recalcBBoxes = True  # a decomposed glyph gets its own bounds
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=unicodes)
    subsetter.subset(font)
    if decompose:
        decompose_composites(font)
        # Once decomposed, the parts of composite glyphs are used by nothing: a second pass
        # drops them.
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=unicodes)
        subsetter.subset(font)
    for tag in ("GDEF", "GPOS", "GSUB", "DSIG") + tuple(drop):
        if tag in font:
            del font[tag]
    prep = newTable("prep")
    prep.program = Program()
    prep.program.fromBytecode(bytes([0xB0, 0x00, 0x21]))
    font["prep"] = prep
    if suffix:
        rename(font, suffix)
    if not decompose:
        parts_first(font)
    font.save(out_path)
    print(f"{out_path}: {len(font.getGlyphOrder())} glyphs")


def main(out_dir, only=None):
    if only in (None, "noto"):
        for out_name, src in SOURCES.items():
            subset_one(src, f"{out_dir}/{out_name}", UNICODES)
            subset_one(src, f"{out_dir}/{out_name[:-4]}-Extra.ttf", EXTRA_UNICODES, "Extra")
    if only in (None, "cjk"):
        # vhea, vmtx: vertical writing, which handout never does; FFTM, gasp: FontForge's
        # and the rasteriser's notes, which no PDF reader uses.
        subset_one(CJK_SOURCE, f"{out_dir}/{CJK_NAME}", CJK_UNICODES, decompose=False,
                   drop=("vhea", "vmtx", "gasp", "FFTM"))


if __name__ == "__main__":
    args = sys.argv[1:]
    only = None
    if args[:1] == ["--only"]:
        only, args = args[1], args[2:]
    main(args[0] if args else "fonts", only)

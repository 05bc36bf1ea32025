#!/usr/bin/env bash
# Regenerates the bundled PDF fonts in this directory from their published
# sources. Needs npm (or the packs already in $PACKS), tar, and Debian's
# python3-fonttools (/usr/bin/python3 -m fontTools.subset).
#
#   NotoSerifSC-Regular.ttf  body, tables      GBK    @expo-google-fonts/noto-serif-sc@0.4.3 (400Regular)
#   NotoSerifSC-Bold.ttf     title             GB2312 @expo-google-fonts/noto-serif-sc@0.4.3 (700Bold)
#   NotoSansSC-Medium.ttf    一、 headings     GB2312 @expo-google-fonts/noto-sans-sc@0.4.3  (500Medium)
#   LXGWWenKai-Regular.ttf   （一） headings   GB2312 Debian fonts-lxgw-wenkai
#
# All are SIL OFL 1.1 (OFL.txt); the OFL allows subsetting. Hinting and
# OpenType layout tables are dropped: fpdf uses neither. The body face covers
# GBK, which holds the rare characters of agency and place names. The title
# and heading faces are cut to GB2312 to keep the binary small (their text is
# mostly the format's own); a title or heading holding a character outside
# GB2312 is drawn in the body face instead (see fonts.go), so nothing is lost.
#
# Usage: render/pdf/fonts/make-fonts.sh [PACKS_DIR]   (default /tmp/npmfonts)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
packs=${1:-/tmp/npmfonts}
py=/usr/bin/python3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

pack() { # name version → path of the .tgz
	local name=$1 ver=$2 file
	file=$(echo "${name#@}" | tr / -)-$ver.tgz
	if [ ! -f "$packs/$file" ]; then
		mkdir -p "$packs"
		(cd "$packs" && npm pack --silent "$name@$ver" >/dev/null)
	fi
	echo "$packs/$file"
}

serif=$(pack @expo-google-fonts/noto-serif-sc 0.4.3)
sans=$(pack @expo-google-fonts/noto-sans-sc 0.4.3)
mkdir -p "$work/serif" "$work/sans"
tar -xzf "$serif" -C "$work/serif" package/400Regular/NotoSerifSC_400Regular.ttf package/700Bold/NotoSerifSC_700Bold.ttf
tar -xzf "$sans" -C "$work/sans" package/500Medium/NotoSansSC_500Medium.ttf
kai=/usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf
[ -f "$kai" ] || { echo "缺少 $kai：请安装 Debian 软件包 fonts-lxgw-wenkai" >&2; exit 1; }

# The character sets: every BMP character the codec encodes, plus ASCII,
# Latin-1, general punctuation, CJK symbols, full-width forms, circled
# numbers and the like that reports use.
"$py" - "$work" <<'PY'
import sys
work = sys.argv[1]
extra = set(range(0x20, 0x7f)) | set(range(0xa0, 0x100)) | set(range(0x2010, 0x2070)) \
    | set(range(0x2100, 0x2190)) | set(range(0x2460, 0x24ff)) | set(range(0x3000, 0x3040)) \
    | set(range(0xff01, 0xff5f)) | set(range(0xffe0, 0xffe7)) | {0x2212, 0x2215, 0x221a, 0x2236, 0x25a1, 0x25cb, 0x25cf, 0x2605, 0x2606}
for codec in ("gbk", "gb2312"):
    cps = set(extra)
    for cp in range(0x80, 0x10000):
        if 0xd800 <= cp < 0xe000 or 0xe000 <= cp < 0xf900:  # surrogates, private use
            continue
        try:
            chr(cp).encode(codec)
        except UnicodeEncodeError:
            continue
        cps.add(cp)
    with open(f"{work}/{codec}.txt", "w") as f:
        for cp in sorted(cps):
            f.write(f"U+{cp:04X}\n")
PY

subset() { # in out charset
	"$py" -m fontTools.subset "$1" --unicodes-file="$work/$3.txt" --output-file="$here/$2" \
		--no-hinting --layout-features= --drop-tables+=GSUB,GPOS,GDEF,BASE,STAT,vhea,vmtx,gasp,DSIG \
		--name-IDs='*' --name-languages='*' --notdef-outline --recalc-bounds
}
subset "$work/serif/package/400Regular/NotoSerifSC_400Regular.ttf" NotoSerifSC-Regular.ttf gbk
subset "$work/serif/package/700Bold/NotoSerifSC_700Bold.ttf" NotoSerifSC-Bold.ttf gb2312
subset "$work/sans/package/500Medium/NotoSansSC_500Medium.ttf" NotoSansSC-Medium.ttf gb2312
subset "$kai" LXGWWenKai-Regular.ttf gb2312
ls -l "$here"/*.ttf

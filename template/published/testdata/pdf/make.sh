#!/usr/bin/env bash
# Makes the PDF fixtures the way agencies make their PDFs, from the
# examples: nianbao's own PDF, Word-like export (LibreOffice from nianbao's
# DOCX, merged table cells and all), and a browser's print of the HTML page
# (Chromium), on A4, US Letter and A5 and in three sets of fonts. The PDFs
# are committed, so the tests need neither LibreOffice nor Chromium.
# Needs: go, soffice, chromium, python3. Run from this folder:
#   bash make.sh          (all of them)
#   bash make.sh blanks   (only the PDFs of chengnan-2024-blanks.yaml)
set -euo pipefail
here=$(pwd)
root=$(cd ../../../.. && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$root" && go build -o "$tmp/nianbao" ./cmd/nianbao)

render() { # example → $tmp/NAME.{pdf,docx,html}
	local ex=$1 name=$2
	mkdir -p "$tmp/$name"
	"$tmp/nianbao" render "$root/examples/$ex.yaml" -o "$tmp/$name" --format pdf,docx,html >/dev/null
	for f in "$tmp/$name"/*; do mv "$f" "$tmp/$name/out.${f##*.}"; done
}

lo() { # docx → pdf with LibreOffice
	soffice --headless --convert-to pdf --outdir "$tmp/lo" "$1" >/dev/null 2>&1
	mv "$tmp/lo/$(basename "${1%.docx}").pdf" "$2"
}

chrome() { # html → pdf with Chromium's print, page size $3
	local html=$1 out=$2 size=$3
	sed "s|</head>|<style>@page{size:$size}</style></head>|" "$html" >"$tmp/print.html"
	chromium --headless --no-sandbox --disable-gpu --no-pdf-header-footer \
		--print-to-pdf="$out" "file://$tmp/print.html" >/dev/null 2>&1
}

letter() { # a DOCX on US Letter: page size in the section properties
	python3 - "$1" "$2" <<'PY'
import sys, zipfile, re
src, dst = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(src) as zi, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zo:
    for it in zi.infolist():
        data = zi.read(it.filename)
        if it.filename == "word/document.xml":
            data = re.sub(rb'<w:pgSz [^>]*/>', b'<w:pgSz w:w="12240" w:h="15840"/>', data)
        zo.writestr(it, data)
PY
}

nolines_html() { # the page with its tables' borders removed
	sed -e 's/border:1px solid #000/border:none/g' -e 's/border="[0-9]*"//g' \
		-e 's|</head>|<style>table,td,th{border:none !important}</style></head>|' "$1" >"$2"
}

nolines_docx() { # a DOCX whose tables draw no borders
	python3 - "$1" "$2" <<'PY'
import sys, zipfile, re
src, dst = sys.argv[1], sys.argv[2]
none = b'<w:tblBorders>' + b''.join(b'<w:%s w:val="nil"/>' % s for s in (b"top", b"left", b"bottom", b"right", b"insideH", b"insideV")) + b'</w:tblBorders>'
with zipfile.ZipFile(src) as zi, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zo:
    for it in zi.infolist():
        data = zi.read(it.filename)
        if it.filename == "word/document.xml":
            data = re.sub(rb'<w:tblBorders>.*?</w:tblBorders>', none, data)
        zo.writestr(it, data)
PY
}

blanks() { # the report with blank cells, without its draft marks
	local name=$1
	mkdir -p "$tmp/$name"
	"$tmp/nianbao" render "$here/chengnan-2024-blanks.yaml" -o "$tmp/$name" --format docx,html --draft >/dev/null 2>&1 || true
	for f in "$tmp/$name"/*; do mv "$f" "$tmp/$name/out.${f##*.}"; done
	sed -e 's|<div class="nb-watermark"[^<]*</div>||' -e 's|<p class="nb-draft"[^<]*</p>||' "$tmp/$name/out.html" >"$tmp/$name/clean.html"
	python3 - "$tmp/$name/out.docx" "$tmp/$name/clean.docx" <<'PY'
import sys, zipfile
src, dst = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(src) as zi, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zo:
    for it in zi.infolist():
        data = zi.read(it.filename)
        if it.filename.startswith("word/header"):
            data = data.replace("草稿（未通过校验）".encode(), b"")
        zo.writestr(it, data)
PY
}

if [ "${1:-}" = blanks ]; then
	# blank cells in tables without borders: read as blank by the header columns' x-positions
	blanks bl
	nolines_html "$tmp/bl/clean.html" "$tmp/bl/nolines.html"
	chrome "$tmp/bl/nolines.html" "$here/chengnan-2024-blanks-chromium-nolines.pdf" A4
	chrome "$tmp/bl/nolines.html" "$here/chengnan-2024-blanks-chromium-nolines-a5.pdf" A5
	nolines_docx "$tmp/bl/clean.docx" "$tmp/bl/nolines.docx"
	lo "$tmp/bl/nolines.docx" "$here/chengnan-2024-blanks-libreoffice-nolines.pdf"
	ls -l "$here"/*blanks*.pdf
	exit 0
fi

render chengnan-scjg-2024 cn
cp "$tmp/cn/out.pdf" "$here/chengnan-2024-nianbao.pdf"
lo "$tmp/cn/out.docx" "$here/chengnan-2024-libreoffice.pdf"
chrome "$tmp/cn/out.html" "$here/chengnan-2024-chromium.pdf" A4
# tables without drawn borders: read by the x-positions of their columns
nolines_html "$tmp/cn/out.html" "$tmp/cn/nolines.html"
chrome "$tmp/cn/nolines.html" "$here/chengnan-2024-chromium-nolines.pdf" A4

render baishan-2022 bs
cp "$tmp/bs/out.pdf" "$here/baishan-2022-nianbao.pdf"
letter "$tmp/bs/out.docx" "$tmp/bs/letter.docx"
lo "$tmp/bs/letter.docx" "$here/baishan-2022-libreoffice-letter.pdf"
nolines_docx "$tmp/bs/out.docx" "$tmp/bs/nolines.docx"
lo "$tmp/bs/nolines.docx" "$here/baishan-2022-libreoffice-nolines.pdf"

render rushanzhai-2022 rs
chrome "$tmp/rs/out.html" "$here/rushanzhai-2022-chromium-a5.pdf" A5
lo "$tmp/rs/out.docx" "$here/rushanzhai-2022-libreoffice.pdf"
# long paragraphs with figures and quotes where lines wrap (a line ends
# short when the next word, “98.83%,” or an opening quote, does not fit)
render baoshan-zwfw-2024 bz
cp "$tmp/bz/out.pdf" "$here/baoshan-2024-nianbao.pdf"
lo "$tmp/bz/out.docx" "$here/baoshan-2024-libreoffice.pdf"

# a browser's print with its running head and foot (date, title, address,
# page number) on every page
render chengnan-scjg-2023 c3
sed "s|</head>|<style>@page{size:A4}</style></head>|" "$tmp/c3/out.html" >"$tmp/c3/print.html"
chromium --headless --no-sandbox --disable-gpu --print-to-pdf="$here/chengnan-2023-chromium-headers.pdf" \
	"file://$tmp/c3/print.html" >/dev/null 2>&1
# nianbao's draft: “草稿（未通过校验）” in the head and across every page
sed 's/^scope: .*/scope: ~/' "$root/examples/chengnan-scjg-2023.yaml" >"$tmp/c3/draft.yaml"
mkdir -p "$tmp/c3d"
"$tmp/nianbao" render "$tmp/c3/draft.yaml" -o "$tmp/c3d" --format pdf,docx --draft >/dev/null || true
cp "$tmp/c3d"/*.pdf "$here/chengnan-2023-nianbao-draft.pdf"
lo "$(ls "$tmp/c3d"/*.docx)" "$here/chengnan-2023-libreoffice-draft.pdf"

ls -l "$here"/*.pdf

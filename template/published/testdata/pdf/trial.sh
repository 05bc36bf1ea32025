#!/usr/bin/env bash
# Makes the trial PDFs (testdata/pdf/trial-*.pdf) from the trial sources
# that TestTrialSources writes (the seeds' narratives with the trial figure
# sets, as web pages and Word files): Chromium's print on 16K, A4 landscape,
# US Letter and A4 with a large font, in Noto Serif and Noto Sans CJK;
# LibreOffice from Word files with merged cells, 表三 split into two tables,
# on A4, 16K landscape and Letter; and a scan (the pages as images, no text
# layer). The PDFs are committed, so the tests need neither Chromium nor
# LibreOffice. Needs: go, chromium, soffice, pdftoppm, ImageMagick's convert.
# Run from this folder:
#   bash trial.sh
set -euo pipefail
here=$(pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd ../.. && go test -count=1 -run '^TestTrialSources$' -trialsrc "$tmp" . >/dev/null)

chrome() { # html → pdf with Chromium's print: page size, CSS for the text
	local html=$1 out=$2 size=$3 css=$4
	sed "s|</head>|<style>@page{size:$size} $css</style></head>|" "$tmp/$html" >"$tmp/print.html"
	chromium --headless --no-sandbox --disable-gpu --no-pdf-header-footer \
		--print-to-pdf="$out" "file://$tmp/print.html" >/dev/null 2>&1
}

lo() { # docx → pdf with LibreOffice
	soffice --headless --convert-to pdf --outdir "$tmp/lo" "$tmp/$1" >/dev/null 2>&1
	mv "$tmp/lo/${1%.docx}.pdf" "$2"
}

chrome 'h2-001@000-thead.html' "$here/trial-h2-001-chromium-16k.pdf" '184mm 260mm' 'body,td,th{font-family:"Noto Serif CJK SC"}'
chrome 'blank@002-split.html' "$here/trial-blank-chromium-a4-landscape.pdf" 'A4 landscape' ''
chrome '000-br.html' "$here/trial-000-chromium-letter-sans.pdf" 'letter' 'body,td,th{font-family:"Noto Sans CJK SC"}'
chrome '003-plain.html' "$here/trial-003-chromium-a4-large.pdf" 'A4' 'body,td,th{font-size:16pt}'
lo 'h2-001@000-split-sans.docx' "$here/trial-h2-001-libreoffice-split.pdf"
lo 'blank@002-16k-landscape.docx' "$here/trial-blank-libreoffice-16k-landscape.pdf"
lo '000-letter.docx' "$here/trial-000-libreoffice-letter.pdf"

# a scan: the first two pages of a report as grey JPEG images, no text
# layer, each page one image (as a scanner's PDF holds them)
pdftoppm -gray -r 60 -f 1 -l 2 -jpeg -jpegopt quality=40 "$here/trial-000-libreoffice-letter.pdf" "$tmp/scan"
python3 - "$here/trial-scan.pdf" "$tmp"/scan-*.jpg <<'PY'
import sys, struct
out, jpgs = sys.argv[1], sys.argv[2:]
def size(d):  # width, height from the JPEG's SOF marker
    i = 2
    while i < len(d):
        m, n = d[i + 1], struct.unpack(">H", d[i + 2:i + 4])[0]
        if m in (0xC0, 0xC1, 0xC2):
            h, w = struct.unpack(">HH", d[i + 5:i + 9])
            return w, h
        i += 2 + n
objs = ["<< /Type /Catalog /Pages 2 0 R >>", None]
kids = []
for j in jpgs:
    d = open(j, "rb").read()
    w, h = size(d)
    pw, ph = w * 72 / 60, h * 72 / 60
    img = len(objs) + 1
    objs.append(b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /DCTDecode /Length %d >>\nstream\n" % (w, h, len(d)) + d + b"\nendstream")
    c = b"q %.2f 0 0 %.2f 0 0 cm /Im0 Do Q" % (pw, ph)
    objs.append(b"<< /Length %d >>\nstream\n" % len(c) + c + b"\nendstream")
    objs.append("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %.2f %.2f] /Resources << /XObject << /Im0 %d 0 R >> >> /Contents %d 0 R >>" % (pw, ph, img, img + 1))
    kids.append(len(objs))
objs[1] = "<< /Type /Pages /Kids [%s] /Count %d >>" % (" ".join("%d 0 R" % k for k in kids), len(kids))
b, offs = bytearray(b"%PDF-1.4\n"), []
for i, o in enumerate(objs):
    offs.append(len(b))
    b += b"%d 0 obj\n" % (i + 1) + (o.encode() if isinstance(o, str) else o) + b"\nendobj\n"
x = len(b)
b += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1) + b"".join(b"%010d 00000 n \n" % o for o in offs)
b += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, x)
open(out, "wb").write(b)
PY
ls -l "$here"/trial-*.pdf

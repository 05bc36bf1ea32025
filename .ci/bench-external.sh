#!/usr/bin/env bash
# Times, per example, the whole `nianbao render --format pdf` process against
# the external converters an office might use instead: Chromium headless
# --print-to-pdf of nianbao's HTML and LibreOffice --convert-to pdf of its
# DOCX. Each time is the best of three runs, in milliseconds; a converter
# that is not installed is reported as such and skipped.
set -uo pipefail
cd "$(dirname "$0")/.."
GO=${GO:-go}
$GO build -o bin/nianbao ./cmd/nianbao || exit 2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
chromium=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
soffice=$(command -v soffice || command -v libreoffice || true)
[ -n "$chromium" ] || echo "未安装 Chromium：跳过 HTML→PDF 计时"
[ -n "$soffice" ] || echo "未安装 LibreOffice：跳过 DOCX→PDF 计时"

ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
# best CMD...: the shortest of three runs, or "—" when the command fails.
best() {
	local b="" t0 t
	for _ in 1 2 3; do
		t0=$(date +%s%N)
		"$@" >/dev/null 2>&1 || { echo "—"; return; }
		t=$(ms "$t0")
		if [ -z "$b" ] || [ "$t" -lt "$b" ]; then b=$t; fi
	done
	echo "$b"
}
ratio() { if [[ $1 =~ ^[0-9]+$ && $2 =~ ^[0-9]+$ && $2 -gt 0 ]]; then awk -v a="$1" -v b="$2" 'BEGIN{printf "%.0f×", a/b}'; else echo "—"; fi; }

# a warm LibreOffice profile, so its first start is not timed
[ -n "$soffice" ] && "$soffice" --headless "-env:UserInstallation=file://$tmp/lo" --terminate_after_init >/dev/null 2>&1

printf "%-26s %10s %12s %12s %10s %10s\n" "例子（毫秒）" "nianbao" "Chromium" "LibreOffice" "Chr/nb" "LO/nb"
for f in examples/*.yaml; do
	name=$(basename "$f" .yaml)
	out="$tmp/$name"
	mkdir -p "$out"
	./bin/nianbao render --draft --format html,docx -o "$out" "$f" >/dev/null 2>&1
	html=$(ls "$out"/*.html 2>/dev/null | head -1)
	docx=$(ls "$out"/*.docx 2>/dev/null | head -1)
	nb=$(best ./bin/nianbao render --draft --format pdf -o "$out/nb" "$f")
	chr="—"; lo="—"
	[ -n "$chromium" ] && [ -n "$html" ] && chr=$(best "$chromium" --headless --no-sandbox --disable-gpu --no-first-run \
		--disable-background-networking --no-pdf-header-footer "--print-to-pdf=$out/chromium.pdf" "file://$html")
	[ -n "$soffice" ] && [ -n "$docx" ] && lo=$(best "$soffice" --headless "-env:UserInstallation=file://$tmp/lo" \
		--convert-to pdf --outdir "$out/lo" "$docx")
	printf "%-26s %10s %12s %12s %10s %10s\n" "$name" "$nb" "$chr" "$lo" "$(ratio "$chr" "$nb")" "$(ratio "$lo" "$nb")"
done

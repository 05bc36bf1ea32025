#!/usr/bin/env bash
# Installs the programs the tests call when they are missing. Tests that need
# one fail loudly when it is absent; this script makes sure it is not.
set -euo pipefail
need=()
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
# the PDF tests check the file's syntax, outline and structure with qpdf
command -v qpdf      >/dev/null 2>&1 || need+=(qpdf)
command -v soffice   >/dev/null 2>&1 || need+=(libreoffice-writer libreoffice-calc)
[ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import openpyxl' >/dev/null 2>&1 || need+=(python3-openpyxl)
# the PDF/A and PDF/UA checks (render/pdf/testdata/pdfa_check.py) walk the
# PDF with pikepdf and read its font programs with fontTools
[ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import pikepdf, fontTools' >/dev/null 2>&1 || need+=(python3-pikepdf python3-fonttools)
# the workbook acceptance test drives LibreOffice from Debian's python
[ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import uno' >/dev/null 2>&1 || need+=(python3-uno)
# LibreOffice needs a CJK font to lay out the DOCX the tests convert
command -v fc-list >/dev/null 2>&1 && fc-list :lang=zh 2>/dev/null | grep -q . || need+=(fonts-noto-cjk)
# the browser tests (cmd/internal/browsertest) drive Debian's Chromium and
# load axe-core from npm; no browser build is downloaded
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v npm >/dev/null 2>&1 || need+=(npm)
# the collection server's store runs its tests against PostgreSQL too
# (.ci/postgres.sh starts Debian's cluster)
ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 && command -v pg_ctlcluster >/dev/null 2>&1 || need+=(postgresql)
# axe-core, pinned by .ci/browser/package-lock.json, into .ci/browser/node_modules
axe() {
	local dir want have
	dir="$(dirname "$0")/browser"
	want=$(sed -n 's/.*"axe-core": "\(.*\)".*/\1/p' "$dir/package.json")
	have=$(sed -n 's/.*"version": "\(.*\)".*/\1/p' "$dir/node_modules/axe-core/package.json" 2>/dev/null | head -1 || true)
	[ "$have" = "$want" ] && return 0
	echo "安装 axe-core $want（npm ci）"
	npm ci --prefix "$dir" --no-audit --no-fund --loglevel=error >/dev/null
}
if [ ${#need[@]} -eq 0 ]; then
	axe
	exit 0
fi
echo "安装测试所需的软件包：${need[*]}"
if [ "$(id -u)" -ne 0 ]; then
	SUDO=sudo
else
	SUDO=
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
axe

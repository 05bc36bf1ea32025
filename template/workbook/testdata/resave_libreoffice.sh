#!/usr/bin/env bash
# Re-saves a workbook with LibreOffice headless (soffice --convert-to xlsx),
# as a member of staff would by opening it in LibreOffice Calc and saving.
# Usage: resave_libreoffice.sh IN.xlsx OUT.xlsx
set -euo pipefail
in=$(realpath "$1"); out=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/in" "$tmp/out"
cp "$in" "$tmp/in/book.xlsx"
soffice -env:UserInstallation=file://"$tmp/profile" --headless --norestore \
	--convert-to 'xlsx:Calc MS Excel 2007 XML' --outdir "$tmp/out" "$tmp/in/book.xlsx" >/dev/null
cp "$tmp/out/book.xlsx" "$out"

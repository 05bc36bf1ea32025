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
# the workbook acceptance test drives LibreOffice from Debian's python
[ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import uno' >/dev/null 2>&1 || need+=(python3-uno)
# LibreOffice needs a CJK font to lay out the DOCX the tests convert
command -v fc-list >/dev/null 2>&1 && fc-list :lang=zh 2>/dev/null | grep -q . || need+=(fonts-noto-cjk)
[ ${#need[@]} -eq 0 ] && exit 0
echo "安装测试所需的软件包：${need[*]}"
if [ "$(id -u)" -ne 0 ]; then
	SUDO=sudo
else
	SUDO=
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null

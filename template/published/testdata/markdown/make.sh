#!/usr/bin/env bash
# Makes the Markdown fixtures the way converters make them: pandoc from the
# Word and HTML layout fixtures (GitHub pipe tables; merged cells become
# empty cells). The files are committed, so the tests need no pandoc.
# Needs: pandoc. Run from this folder: bash make.sh
set -euo pipefail
for id in 000 001 002 003; do
	pandoc -f docx -t gfm "../layouts/$id-attachment.docx" -o "$id-pandoc-docx.md"
	pandoc -f html -t gfm-raw_html "../layouts/$id-plain.html" -o "$id-pandoc-html.md"
done
ls -l ./*.md

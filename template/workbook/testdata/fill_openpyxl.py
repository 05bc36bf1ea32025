#!/usr/bin/python3
"""Fill a nianbao workbook template with Debian's python3-openpyxl.

Usage: /usr/bin/python3 fill_openpyxl.py TEMPLATE.xlsx PLAN.json OUT.xlsx

PLAN.json is a list of [sheet, cell, value, kind]: kind "number" writes the
value as a number, "text" writes it as a string (a number typed as text).
openpyxl rewrites the whole package with its own writer, so OUT.xlsx is a
workbook written by a different library than nianbao's.
"""
import json
import sys

import openpyxl


def main():
    template, plan, out = sys.argv[1:4]
    wb = openpyxl.load_workbook(template)
    with open(plan, encoding="utf-8") as f:
        cells = json.load(f)
    for sheet, ref, value, kind in cells:
        ws = wb[sheet]
        if kind == "number":
            n = float(value)
            ws[ref] = int(n) if n.is_integer() else n
        else:
            ws[ref] = value
            ws[ref].data_type = "s"
    wb.properties.creator = "openpyxl"
    wb.save(out)


if __name__ == "__main__":
    main()

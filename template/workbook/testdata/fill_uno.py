#!/usr/bin/python3
"""Fill a nianbao workbook template in LibreOffice, the way a person types.

Usage: /usr/bin/python3 fill_uno.py TEMPLATE.xlsx PLAN.json OUT.xlsx [RED.json]

Starts LibreOffice headless with a private profile, opens the template,
types every value of PLAN.json (a list of [sheet, cell, value, kind]) into
its cell — kind "number" is typed as input (XCell.setFormula, what the
keyboard does), kind "text" is entered as a text string (a number pasted as
text) — and saves the result as .xlsx with LibreOffice's own filter. With RED.json,
it then writes the cells that LibreOffice shows red (the conditional
formats of nianbao's red style whose condition holds) as a list of
"sheet!cell", evaluating each condition in a spare cell of the unsaved
document.
Needs python3-uno (Debian) and soffice.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

import uno
from com.sun.star.beans import PropertyValue


def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def main():
    template, plan, out = (os.path.abspath(a) for a in sys.argv[1:4])
    red_out = os.path.abspath(sys.argv[4]) if len(sys.argv) > 4 else None
    with open(plan, encoding="utf-8") as f:
        cells = json.load(f)
    profile = tempfile.mkdtemp(prefix="nianbao-lo-")
    pipe = "nianbao%d" % os.getpid()
    proc = subprocess.Popen(
        ["soffice", "--headless", "--invisible", "--norestore", "--nologo", "--nodefault",
         "-env:UserInstallation=" + uno.systemPathToFileUrl(profile),
         "--accept=pipe,name=%s;urp;StarOffice.ComponentContext" % pipe],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext(
            "com.sun.star.bridge.UnoUrlResolver", local)
        ctx = None
        for _ in range(240):
            try:
                ctx = resolver.resolve(
                    "uno:pipe,name=%s;urp;StarOffice.ComponentContext" % pipe)
                break
            except Exception:
                if proc.poll() is not None:
                    sys.exit("soffice exited before accepting a connection")
                time.sleep(0.25)
        if ctx is None:
            sys.exit("could not connect to soffice")
        desktop = ctx.ServiceManager.createInstanceWithContext(
            "com.sun.star.frame.Desktop", ctx)
        doc = desktop.loadComponentFromURL(
            uno.systemPathToFileUrl(template), "_blank", 0, (prop("Hidden", True),))
        if doc is None:
            sys.exit("LibreOffice could not open " + template)
        sheets = doc.Sheets
        for sheet, ref, value, kind in cells:
            cell = sheets.getByName(sheet).getCellRangeByName(ref)
            if kind == "number":
                cell.setFormula(value)
            else:
                cell.setString(value)
        doc.calculateAll()
        doc.storeToURL(uno.systemPathToFileUrl(out),
                       (prop("FilterName", "Calc MS Excel 2007 XML"),))
        if red_out:
            with open(red_out, "w", encoding="utf-8") as f:
                json.dump(red_cells(doc), f, ensure_ascii=False)
        doc.close(True)
        try:
            desktop.terminate()
        except Exception:
            pass  # the bridge closes as soffice exits
        proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        shutil.rmtree(profile, ignore_errors=True)


RED = 0xFFC7CE  # the fill of nianbao's red conditional style


def column_name(c):
    name = ""
    c += 1
    while c:
        c, r = divmod(c - 1, 26)
        name = chr(65 + r) + name
    return name


def red_cells(doc):
    """The cells whose red conditional format's condition holds: every
    conditional format of every sheet (a cell may be in several), each
    condition evaluated in a spare cell."""
    styles = doc.StyleFamilies.getByName("CellStyles")
    red_style = {}
    out = set()
    sheets = doc.Sheets
    for si in range(sheets.getCount()):
        sh = sheets.getByIndex(si)
        try:
            sh.unprotect("")
        except Exception:
            pass
        cursor = sh.createCursor()
        cursor.gotoEndOfUsedArea(False)
        spare = sh.getCellByPosition(cursor.RangeAddress.EndColumn + 20, 0)
        for cf in sh.ConditionalFormats.getConditionalFormats():
            formulas = []
            for i in range(cf.getCount()):
                e = cf.getByIndex(i)
                try:
                    name, formula = e.getPropertyValue("StyleName"), e.getPropertyValue("Formula1")
                except Exception:
                    continue  # not a formula condition
                if name not in red_style:
                    try:
                        red_style[name] = styles.getByName(name).CellBackColor == RED
                    except Exception:
                        red_style[name] = False
                if red_style[name]:
                    formulas.append(formula)
            if not formulas:
                continue
            hold = False
            for formula in formulas:
                # this API gives the formula with "," between arguments;
                # setFormula reads ";" (nianbao's conditions hold no text)
                spare.setFormula("=" + formula.replace(",", ";"))
                if spare.getValue() != 0:
                    hold = True
            if not hold:
                continue
            for a in cf.Range.getRangeAddresses():
                for r in range(a.StartRow, a.EndRow + 1):
                    for c in range(a.StartColumn, a.EndColumn + 1):
                        out.add("%s!%s%d" % (sh.Name, column_name(c), r + 1))
        spare.setString("")
    return sorted(out)


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""Fill a nianbao workbook template in LibreOffice, the way a person types.

Usage: /usr/bin/python3 fill_uno.py TEMPLATE.xlsx PLAN.json OUT.xlsx

Starts LibreOffice headless with a private profile, opens the template,
types every value of PLAN.json (a list of [sheet, cell, value, kind]) into
its cell — kind "number" is typed as input (XCell.setFormula, what the
keyboard does), kind "text" is entered as a text string (a number pasted as
text) — and saves the result as .xlsx with LibreOffice's own filter.
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


if __name__ == "__main__":
    main()

# Checks a subset of the PDF/A-2b and PDF/UA-1 rules veraPDF applies to
# nianbao's PDFs (rule numbers in the messages), by walking the file with
# pikepdf (qpdf) and reading the embedded font programs with fontTools.
# It is no validator: it checks what nianbao's files are made of (Type0
# fonts with CIDFontType2 descendants) and stops on other kinds of file.
# Run by TestPDFAChecks; by hand: /usr/bin/python3 pdfa_check.py FILE.pdf …
# Exit status 1 when a check fails.
import sys, io, re, pikepdf
from fontTools.ttLib import TTFont
def check(path):
    errs=[]; n=0
    pdf=pikepdf.open(path)
    root=pdf.Root
    def need(cond, msg):
        nonlocal n; n+=1
        if not cond: errs.append(msg)
    need(pdf.pdf_version>='1.4', 'version')
    need('/Metadata' in root, 'catalog Metadata (A 6.6.2.1)')
    xmp=bytes(root.Metadata.read_bytes()).decode('utf8') if '/Metadata' in root else ''
    need('<pdfaid:part>2</pdfaid:part>' in xmp and '<pdfaid:conformance>B</pdfaid:conformance>' in xmp, 'pdfaid')
    need('<pdfuaid:part>1</pdfuaid:part>' in xmp, 'pdfuaid (UA 5)')
    need('dc:title' in xmp, 'dc:title (UA 7.1)')
    need(root.get('/ViewerPreferences',{}).get('/DisplayDocTitle')==True, 'DisplayDocTitle (UA 7.1)')
    need(str(root.get('/Lang',''))!='', 'Lang (UA 7.2)')
    need(root.get('/MarkInfo',{}).get('/Marked')==True, 'MarkInfo Marked (UA 7.1)')
    need('/StructTreeRoot' in root, 'StructTreeRoot (UA 7.1)')
    ois=root.get('/OutputIntents',[])
    need(len(ois)==1 and ois[0].get('/S')=='/GTS_PDFA1' and '/DestOutputProfile' in ois[0], 'OutputIntent (A 6.2.3)')
    if ois:
        icc=ois[0].DestOutputProfile
        need(int(icc.N)==3, 'ICC N')
        prof=icc.read_bytes(); need(prof[36:40]==b'acsp' and prof[12:16]==b'mntr' and prof[16:20]==b'RGB ', 'ICC header (A 6.2.3)')
    tr=pdf.trailer
    need('/ID' in tr, 'trailer ID (A 6.1.3)')
    need('/Encrypt' not in tr, 'no encryption (A 6.1.3)')
    info=tr.get('/Info')
    if info is not None and '/Title' in info:
        need(str(info.Title) in xmp, 'Info Title = dc:title (A 6.6.3)')
    # fonts
    seen=set()
    for pno,page in enumerate(pdf.pages):
        need('/StructParents' in page.obj, f'page {pno+1} StructParents')
        need(page.obj.get('/Tabs')=='/S', f'page {pno+1} Tabs /S (UA 7.18.3)')
        fonts=page.obj.Resources.get('/Font',{})
        for name,f in fonts.items():
            if f.objgen in seen: continue
            seen.add(f.objgen)
            need(f.Subtype=='/Type0' and '/ToUnicode' in f, f'{name} Type0 with ToUnicode (UA 7.21.7)')
            d=f.DescendantFonts[0]
            need(d.Subtype=='/CIDFontType2' and '/CIDToGIDMap' in d, f'{name} CIDToGIDMap (A 6.2.11.3.2)')
            si=d.CIDSystemInfo
            need(str(si.Registry)=='Adobe' and str(si.Ordering)=='Identity', 'CIDSystemInfo Identity-H compatible (A 6.2.11.3.1)')
            fd=d.FontDescriptor
            need('/FontFile2' in fd, f'{name} embedded (A 6.2.11.4.1)')
            bf=str(f.BaseFont); need(re.match(r'^/[A-Z]{6}\+', bf) is not None and str(fd.FontName)==bf, f'{name} subset tag {bf}')
            prog=fd.FontFile2.read_bytes()
            need(int(fd.FontFile2.Length1)==len(prog), 'Length1')
            tt=TTFont(io.BytesIO(prog))
            upem=tt['head'].unitsPerEm; hm=tt['hmtx'].metrics; order=tt.getGlyphOrder()
            dw=int(d.get('/DW',1000)); w={}
            W=list(d.get('/W',[]))
            i=0
            while i<len(W):
                c=int(W[i])
                if isinstance(W[i+1], pikepdf.Array):
                    for k,v in enumerate(W[i+1]): w[c+k]=float(v)
                    i+=2
                else:
                    for cc in range(c,int(W[i+1])+1): w[cc]=float(W[i+2])
                    i+=3
            bad=0
            for gid in range(1,len(order)):
                adv=hm[order[gid]][0]*1000/upem
                if abs(w.get(gid,dw)-adv)>1: bad+=1
            need(bad==0, f'{name}: {bad} glyph widths differ from the program (A 6.2.11.5)')
    # every content stream operator inside marked content or artifact (UA 7.1), roughly
    for pno,page in enumerate(pdf.pages):
        depth=0; loose=0
        for operands,op in pikepdf.parse_content_stream(page):
            o=str(op)
            if o in ('BMC','BDC'): depth+=1
            elif o=='EMC': depth-=1
            elif o in ('Tj','TJ',"'",'"','f','F','f*','S','s','B','B*','b','b*','Do','sh') and depth==0: loose+=1
        need(loose==0 and depth==0, f'page {pno+1}: {loose} painting operators outside marked content (UA 7.1)')
    # structure: Figure Alt, TH Scope, tables' THead/TBody
    def walk(e, acc):
        if isinstance(e, pikepdf.Dictionary) and e.get('/Type')=='/StructElem':
            acc.append(e)
            k=e.get('/K')
            if isinstance(k, pikepdf.Array):
                for x in k: walk(x, acc)
            elif k is not None: walk(k, acc)
    els=[]; walk(root.StructTreeRoot.K if not isinstance(root.StructTreeRoot.K, pikepdf.Array) else root.StructTreeRoot.K[0], els)
    for e in els:
        s=str(e.S)
        if s=='/Figure': need('/Alt' in e, 'Figure Alt (UA 7.3)')
        if s=='/TH': need('/Scope' in e.get('/A',{}), 'TH Scope (UA 7.5)')
    kinds=[str(e.S) for e in els]
    need('/H1' in kinds and '/Table' in kinds, 'headings and tables tagged')
    return n, errs
failed=0
for p in sys.argv[1:]:
    n,errs=check(p)
    failed+=len(errs)
    print(f'{p.split("/")[-1]}: {n} checks, {len(errs)} failed'); [print('   ',e) for e in errs]
sys.exit(1 if failed else 0)

package pdf

import (
	"bytes"
	"fmt"
)

// Tagged PDF (ISO 32000-1 §14.8). fpdf cannot write a structure tree, so
// the painter marks every piece of text it draws as marked content with an
// MCID ("/P <</MCID 3>> BDC … EMC") and page furniture (page numbers, table
// rules, the draft mark, table headers repeated on a later page) as
// artifacts; the tagger records which structure element each MCID belongs
// to, and finish writes the tree: Document → H1 (title), H2 (一、), H3
// (（一）), P (paragraphs, the signature), Table → THead/TBody → TR → TH (header cells,
// Scope Column; row labels, Scope Row) / TD, with RowSpan and ColSpan.

type selem struct {
	typ    string
	attrs  string // e.g. /A <</O /Table /Scope /Column>>
	parent *selem
	kids   []*selem
	mcrs   []mcr
	num    int
}

type mcr struct{ page, mcid int } // page: 0-based

type tagger struct {
	root  *selem
	cur   *selem     // the element receiving the text drawn now; nil: artifact
	pages [][]*selem // per page: MCID → element
}

func newTagger() *tagger {
	return &tagger{root: &selem{typ: "Document"}}
}

// add starts an element under parent (the document when nil).
func (t *tagger) add(parent *selem, typ, attrs string) *selem {
	if parent == nil {
		parent = t.root
	}
	e := &selem{typ: typ, attrs: attrs, parent: parent}
	parent.kids = append(parent.kids, e)
	return e
}

// begin returns the operator that opens marked content on page (1-based)
// for the current element, or an artifact when there is none.
func (t *tagger) begin(page int) string {
	if t == nil {
		return ""
	}
	if t.cur == nil {
		return "/Artifact BMC"
	}
	for len(t.pages) < page {
		t.pages = append(t.pages, nil)
	}
	id := len(t.pages[page-1])
	t.pages[page-1] = append(t.pages[page-1], t.cur)
	t.cur.mcrs = append(t.cur.mcrs, mcr{page - 1, id})
	return fmt.Sprintf("/%s <</MCID %d>> BDC", t.cur.typ, id)
}

func (t *tagger) end() string {
	if t == nil {
		return ""
	}
	return "EMC"
}

// objects numbers the elements and returns them with the StructTreeRoot
// (object rootNum) and the ParentTree.
func (t *tagger) objects(rootNum int, pages []int, alloc func() int) []*rawObj {
	var all []*selem
	var walk func(e *selem)
	walk = func(e *selem) {
		e.num = alloc()
		all = append(all, e)
		for _, k := range e.kids {
			walk(k)
		}
	}
	walk(t.root)
	parentTree := alloc()
	var objs []*rawObj
	for _, e := range all {
		var b bytes.Buffer
		parent := rootNum
		if e.parent != nil {
			parent = e.parent.num
		}
		fmt.Fprintf(&b, "<</Type /StructElem /S /%s /P %d 0 R", e.typ, parent)
		if e.attrs != "" {
			b.WriteString(" " + e.attrs)
		}
		if len(e.mcrs) > 0 && e.mcrs[0].page < len(pages) {
			fmt.Fprintf(&b, " /Pg %d 0 R", pages[e.mcrs[0].page])
		}
		b.WriteString(" /K [")
		for _, k := range e.kids {
			fmt.Fprintf(&b, "%d 0 R ", k.num)
		}
		for _, m := range e.mcrs {
			switch {
			case m.page == e.mcrs[0].page: // on the element's /Pg
				fmt.Fprintf(&b, "%d ", m.mcid)
			case m.page < len(pages):
				fmt.Fprintf(&b, "<</Type /MCR /Pg %d 0 R /MCID %d>> ", pages[m.page], m.mcid)
			}
		}
		b.WriteString("]>>")
		objs = append(objs, &rawObj{num: e.num, dict: b.Bytes()})
	}
	var pt bytes.Buffer
	pt.WriteString("<</Nums [")
	for i := range pages {
		fmt.Fprintf(&pt, "%d [", i)
		if i < len(t.pages) {
			for _, e := range t.pages[i] {
				fmt.Fprintf(&pt, "%d 0 R ", e.num)
			}
		}
		pt.WriteString("] ")
	}
	pt.WriteString("]>>")
	objs = append(objs, &rawObj{num: parentTree, dict: pt.Bytes()},
		&rawObj{num: rootNum, dict: []byte(fmt.Sprintf("<</Type /StructTreeRoot /K [%d 0 R] /ParentTree %d 0 R /ParentTreeNextKey %d>>", t.root.num, parentTree, len(pages)))})
	return objs
}

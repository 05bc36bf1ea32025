package pdftext

import (
	"bytes"
	"compress/zlib"
	"encoding/ascii85"
	"errors"
	"io"
	"sort"
	"strconv"
)

// Errors of Read; callers explain them to the user.
var (
	ErrNotPDF    = errors.New("not a PDF file")
	ErrEncrypted = errors.New("encrypted PDF")
	ErrNoPages   = errors.New("no pages found")
	ErrTooLarge  = errors.New("PDF exceeds the reader's limits")
)

// Limits bound the work done on one file.
const (
	maxObjects     = 200000
	maxStream      = 32 << 20 // decoded bytes of one stream
	maxDecodedAll  = 96 << 20 // decoded bytes of all streams
	maxPages       = 2000
	maxOps         = 2000000 // content operators interpreted, all pages
	maxGlyphs      = 1000000
	maxResolveHops = 32
)

// doc is a PDF file: every object found in it, by number.
type doc struct {
	data    []byte
	objs    map[int64]object // objects parsed so far
	at      map[int64][]int  // where the objects not yet parsed are defined, in file order
	decoded int              // bytes decoded so far
	trailer []map[string]object
	cache   map[int64]object // decoded object streams
	zr      io.ReadCloser    // a zlib reader, reset for each stream
	zb      bytes.Reader
	scratch []object // the lexers' array scratch, kept between objects
}

// objAt is where an object's definition "N G obj" ends, and its number.
type objAt struct {
	num int64
	end int
}

// objHeaders finds every "N G obj" in the file (at most maxObjects+1).
func objHeaders(b []byte) []objAt {
	var out []objAt
	isWS := func(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }
	isDigit := func(c byte) bool { return c >= '0' && c <= '9' }
	for off := 0; len(out) <= maxObjects; {
		i := bytes.Index(b[off:], []byte("obj"))
		if i < 0 {
			break
		}
		k := off + i
		off = k + 3
		if off < len(b) && !isSpace(b[off]) && !isDelim(b[off]) {
			continue // "objects", "obj1"
		}
		// backwards: white space, the generation, white space, the number
		j := k
		for j > 0 && isWS(b[j-1]) {
			j--
		}
		if j == k {
			continue
		}
		g := j
		for j > 0 && isDigit(b[j-1]) && g-j < 5 {
			j--
		}
		if j == g {
			continue
		}
		w := j
		for j > 0 && isWS(b[j-1]) {
			j--
		}
		if j == w {
			continue
		}
		e := j
		for j > 0 && isDigit(b[j-1]) && e-j < 10 {
			j--
		}
		if j == e || j > 0 && isDigit(b[j-1]) {
			continue
		}
		n, err := strconv.ParseInt(string(b[j:e]), 10, 64)
		if err != nil {
			continue
		}
		out = append(out, objAt{num: n, end: off})
	}
	return out
}

// open reads the objects of a PDF by scanning the file for "N G obj"
// rather than trusting the cross-reference table, so a broken or missing
// xref still reads; a later definition of an object replaces an earlier
// one (incremental updates). Objects inside object streams are read too.
func open(data []byte) (*doc, error) {
	head := data[:min(len(data), 1024)]
	if !bytes.Contains(head, []byte("%PDF-")) {
		return nil, ErrNotPDF
	}
	d := &doc{data: data, objs: map[int64]object{}, at: map[int64][]int{}}
	locs := objHeaders(data)
	if len(locs) > maxObjects {
		return nil, ErrTooLarge
	}
	// objects are parsed when first needed (a browser's PDF holds hundreds
	// of structure elements nobody reads), but object and xref streams now
	var objStreams []object
	for k, m := range locs {
		end := len(data)
		if k+1 < len(locs) {
			end = max(m.end, locs[k+1].end)
		}
		region := data[m.end:end]
		if !bytes.Contains(region, []byte("ObjStm")) && !bytes.Contains(region, []byte("XRef")) {
			d.at[m.num] = append(d.at[m.num], m.end)
			delete(d.objs, m.num)
			continue
		}
		o, ok := d.parseAt(m.end)
		if !ok {
			continue
		}
		delete(d.at, m.num)
		d.objs[m.num] = o
		switch name(o.d["Type"]) {
		case "ObjStm":
			objStreams = append(objStreams, o)
		case "XRef":
			d.trailer = append(d.trailer, o.d)
		}
	}
	// trailers of classic xref tables
	for _, i := range indexAll(data, []byte("trailer")) {
		l := &lexer{b: data, pos: i + len("trailer")}
		if o, ok := l.parse(0); ok && o.k == kDict {
			d.trailer = append(d.trailer, o.d)
		}
	}
	for _, t := range d.trailer {
		if _, ok := t["Encrypt"]; ok {
			return nil, ErrEncrypted
		}
	}
	for _, s := range objStreams {
		d.readObjStream(s)
	}
	return d, nil
}

// parseAt parses the object defined at pos (just after "N G obj"); ok is
// false when nothing usable is there.
func (d *doc) parseAt(pos int) (object, bool) {
	l := &lexer{b: d.data, pos: pos, scratch: d.scratch}
	o, ok := l.parse(0)
	d.scratch = l.scratch[:0]
	if !ok && o.k != kDict {
		return object{}, false
	}
	if o.k == kDict {
		save := l.pos
		if t, _, w := l.next(); t == tWord && w == "stream" {
			o = d.streamAt(o, l.pos)
		} else {
			l.pos = save
		}
	}
	return o, true
}

// obj returns object n, parsing it the first time: its last definition
// in the file that parses (a later one replaces an earlier one).
func (d *doc) obj(n int64) object {
	if o, ok := d.objs[n]; ok {
		return o
	}
	ps, ok := d.at[n]
	if !ok {
		return object{}
	}
	delete(d.at, n)
	var o object
	for i := len(ps) - 1; i >= 0; i-- {
		if x, ok := d.parseAt(ps[i]); ok {
			o = x
			break
		}
	}
	d.objs[n] = o
	return o
}

// parseAll parses every object not yet parsed (a file without a usable
// trailer or page tree is searched object by object).
func (d *doc) parseAll() {
	ns := make([]int64, 0, len(d.at))
	for n := range d.at {
		ns = append(ns, n)
	}
	sort.Slice(ns, func(i, j int) bool { return ns[i] < ns[j] })
	for _, n := range ns {
		d.obj(n)
	}
}

func indexAll(b, sep []byte) []int {
	var out []int
	for off := 0; len(out) < 1000; {
		i := bytes.Index(b[off:], sep)
		if i < 0 {
			break
		}
		out = append(out, off+i)
		off += i + len(sep)
	}
	return out
}

// streamAt reads the raw data of a stream starting at pos (after the
// keyword "stream"): its /Length when that fits, else up to "endstream".
func (d *doc) streamAt(dict object, pos int) object {
	b := d.data
	if pos < len(b) && b[pos] == '\r' {
		pos++
	}
	if pos < len(b) && b[pos] == '\n' {
		pos++
	}
	end := -1
	if ln, ok := dict.d["Length"]; ok && ln.k == kInt && ln.i >= 0 && int64(pos)+ln.i <= int64(len(b)) {
		e := pos + int(ln.i)
		rest := b[e:min(len(b), e+32)]
		if bytes.Contains(rest, []byte("endstream")) {
			end = e
		}
	}
	if end < 0 {
		i := bytes.Index(b[pos:], []byte("endstream"))
		if i < 0 {
			end = len(b)
		} else {
			end = pos + i
			for end > pos && (b[end-1] == '\n' || b[end-1] == '\r') {
				end--
			}
		}
	}
	return object{k: kStream, d: dict.d, data: b[pos:end]}
}

// readObjStream adds the objects of an object stream that are not defined
// directly in the file.
func (d *doc) readObjStream(s object) {
	data, err := d.decode(s)
	if err != nil {
		return
	}
	n, _ := d.resolve(s.d["N"]).num()
	first, _ := d.resolve(s.d["First"]).num()
	if n <= 0 || n > maxObjects || first < 0 || int(first) > len(data) {
		return
	}
	l := &lexer{b: data[:int(first)]}
	type entry struct{ num, off int64 }
	var es []entry
	for i := 0; i < int(n); i++ {
		a, ok1 := l.parse(0)
		b, ok2 := l.parse(0)
		if !ok1 || !ok2 || a.k != kInt || b.k != kInt {
			break
		}
		es = append(es, entry{a.i, b.i})
	}
	for _, e := range es {
		if _, ok := d.objs[e.num]; ok {
			continue
		}
		if _, ok := d.at[e.num]; ok {
			continue
		}
		off := int(first) + int(e.off)
		if e.off < 0 || off >= len(data) {
			continue
		}
		l := &lexer{b: data, pos: off}
		if o, ok := l.parse(0); ok {
			d.objs[e.num] = o
		}
		if len(d.objs) > maxObjects {
			return
		}
	}
}

// resolve follows references (a bounded number of hops: loops end).
func (d *doc) resolve(o object) object {
	for i := 0; o.k == kRef; i++ {
		if i >= maxResolveHops {
			return object{}
		}
		o = d.obj(o.i)
	}
	return o
}

func name(o object) string {
	if o.k == kName {
		return o.s
	}
	return ""
}

// get returns a resolved dictionary entry.
func (d *doc) get(dict map[string]object, key string) object {
	if dict == nil {
		return object{}
	}
	return d.resolve(dict[key])
}

var errFilter = errors.New("unsupported stream filter")

// decode returns a stream's decoded data: FlateDecode (with PNG
// predictors), ASCIIHexDecode and ASCII85Decode; other filters (images)
// are an error. The total decoded is bounded.
func (d *doc) decode(s object) ([]byte, error) {
	if s.k != kStream {
		return nil, errFilter
	}
	data := s.data
	f := d.get(s.d, "Filter")
	var filters []string
	switch f.k {
	case kName:
		filters = []string{f.s}
	case kArray:
		for _, x := range f.a {
			filters = append(filters, name(d.resolve(x)))
		}
	}
	parms := d.get(s.d, "DecodeParms")
	for i, fl := range filters {
		var p map[string]object
		if parms.k == kDict {
			p = parms.d
		} else if parms.k == kArray && i < len(parms.a) {
			if x := d.resolve(parms.a[i]); x.k == kDict {
				p = x.d
			}
		}
		var err error
		switch fl {
		case "FlateDecode", "Fl":
			data, err = d.inflate(data)
			if err == nil && p != nil {
				data, err = d.predict(data, p)
			}
		case "ASCIIHexDecode", "AHx":
			l := &lexer{b: append([]byte("<"), data...)}
			data = []byte(l.hexString().s)
		case "ASCII85Decode", "A85":
			data, err = d.a85(data)
		default:
			return nil, errFilter
		}
		if err != nil {
			return nil, err
		}
	}
	return data, nil
}

func (d *doc) budget() int64 {
	left := maxDecodedAll - d.decoded
	return int64(min(left, maxStream))
}

func (d *doc) inflate(b []byte) ([]byte, error) {
	// one reader for the whole file: a new one allocates its 32 KB
	// window, and a PDF of a browser's print has hundreds of streams
	d.zb.Reset(b)
	var err error
	if d.zr == nil {
		d.zr, err = zlib.NewReader(&d.zb)
	} else {
		err = d.zr.(zlib.Resetter).Reset(&d.zb, nil)
	}
	if err != nil {
		d.zr = nil
		return nil, err
	}
	r := d.zr
	lim := d.budget()
	out, err := io.ReadAll(io.LimitReader(r, lim+1))
	if int64(len(out)) > lim {
		return nil, ErrTooLarge
	}
	d.decoded += len(out)
	if err != nil && len(out) == 0 {
		return nil, err
	}
	return out, nil // a truncated stream keeps what was read
}

func (d *doc) a85(b []byte) ([]byte, error) {
	if i := bytes.Index(b, []byte("~>")); i >= 0 {
		b = b[:i]
	}
	b = bytes.TrimPrefix(bytes.TrimSpace(b), []byte("<~"))
	lim := d.budget()
	out, err := io.ReadAll(io.LimitReader(ascii85.NewDecoder(bytes.NewReader(b)), lim+1))
	if int64(len(out)) > lim {
		return nil, ErrTooLarge
	}
	d.decoded += len(out)
	return out, err
}

// predict undoes the PNG predictors of FlateDecode (xref and object
// streams use them).
func (d *doc) predict(b []byte, p map[string]object) ([]byte, error) {
	pred, _ := d.get(p, "Predictor").num()
	if pred < 10 {
		return b, nil
	}
	cols := 1.0
	if c, ok := d.get(p, "Columns").num(); ok && c >= 1 && c < 1<<16 {
		cols = c
	}
	colors := 1.0
	if c, ok := d.get(p, "Colors").num(); ok && c >= 1 && c <= 32 {
		colors = c
	}
	bpc := 8.0
	if c, ok := d.get(p, "BitsPerComponent").num(); ok && c >= 1 && c <= 16 {
		bpc = c
	}
	bpp := max(1, int(colors*bpc+7)/8)
	rowLen := int(cols*colors*bpc+7) / 8
	if rowLen <= 0 {
		return b, nil
	}
	var out []byte
	prev := make([]byte, rowLen)
	for len(b) >= rowLen+1 {
		ft := b[0]
		row := append([]byte(nil), b[1:rowLen+1]...)
		b = b[rowLen+1:]
		for i := range row {
			var left, up, ul byte
			if i >= bpp {
				left = row[i-bpp]
				ul = prev[i-bpp]
			}
			up = prev[i]
			switch ft {
			case 1:
				row[i] += left
			case 2:
				row[i] += up
			case 3:
				row[i] += byte((int(left) + int(up)) / 2)
			case 4:
				row[i] += paeth(left, up, ul)
			}
		}
		out = append(out, row...)
		prev = row
	}
	return out, nil
}

func paeth(a, b, c byte) byte {
	p := int(a) + int(b) - int(c)
	pa, pb, pc := abs(p-int(a)), abs(p-int(b)), abs(p-int(c))
	switch {
	case pa <= pb && pa <= pc:
		return a
	case pb <= pc:
		return b
	}
	return c
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// pages returns the page dictionaries in order, with inherited resources
// and media box filled in. Loops in the page tree end.
func (d *doc) pages() []map[string]object {
	var root object
	for _, t := range d.trailer {
		if r := d.get(t, "Root"); r.k == kDict {
			root = r
		}
	}
	if root.k != kDict {
		d.parseAll()
		for _, n := range sortedKeys(d.objs) { // a file without a usable trailer
			o := d.objs[n]
			if (o.k == kDict) && name(o.d["Type"]) == "Catalog" {
				root = o
				break
			}
		}
	}
	var out []map[string]object
	seen := map[int64]bool{}
	var walk func(o object, inherit map[string]object, depth int)
	walk = func(ref object, inherit map[string]object, depth int) {
		if depth > maxDepth || len(out) >= maxPages {
			return
		}
		if ref.k == kRef {
			if seen[ref.i] {
				return
			}
			seen[ref.i] = true
		}
		o := d.resolve(ref)
		if o.k != kDict && o.k != kStream {
			return
		}
		inh := map[string]object{}
		for k, v := range inherit {
			inh[k] = v
		}
		for _, k := range []string{"Resources", "MediaBox", "CropBox", "Rotate"} {
			if v, ok := o.d[k]; ok {
				inh[k] = v
			}
		}
		kids := d.get(o.d, "Kids")
		if name(o.d["Type"]) == "Page" || kids.k != kArray {
			if _, ok := o.d["Contents"]; ok || name(o.d["Type"]) == "Page" {
				pg := map[string]object{}
				for k, v := range o.d {
					pg[k] = v
				}
				for k, v := range inh {
					pg[k] = v
				}
				out = append(out, pg)
			}
			return
		}
		for _, k := range kids.a {
			walk(k, inh, depth+1)
		}
	}
	if root.k == kDict {
		walk(root.d["Pages"], nil, 0)
	}
	if len(out) == 0 { // no page tree: every page object, in file order
		d.parseAll()
		for _, n := range sortedKeys(d.objs) {
			if o := d.objs[n]; o.k == kDict && name(o.d["Type"]) == "Page" && len(out) < maxPages {
				out = append(out, o.d)
			}
		}
	}
	return out
}

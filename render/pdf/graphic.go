package pdf

import (
	"fmt"
	"strconv"

	"github.com/nianbao/nianbao/render/svg"
	"github.com/nianbao/nianbao/schema"
)

// The 图解 as the last page (Options.Graphic): render/svg lays it out (its
// wide layout, 1050 units across) as shapes and texts, drawn here as
// vector graphics, the texts in the document's embedded heading face (the
// sans face the SVG asks for), scaled to fit the page. The page is one
// Figure element in the structure tree, with the graphic's title as its
// alternate text; its shapes are artifacts.

// The area of the page the graphic may fill (mm): below the draft mark,
// above the page number.
const (
	graphicTop    = 30.0
	graphicBottom = 262.0
	graphicSide   = 15.0
)

// addGraphic lays out the graphic and checks its texts against the fonts.
func (d *document) addGraphic() error {
	g, err := svg.Draw(d.r, svg.Options{Wide: true, Draft: d.opt.Draft, Prev: d.opt.Prev})
	if err != nil {
		return err
	}
	d.graphic = g
	for _, it := range g.Items {
		if it.Kind == svg.Text {
			d.gtexts = append(d.gtexts, d.add(roleHeading, it.Text, "图解中的文字“"+it.Text+"”", schema.Location{}))
		}
	}
	return nil
}

// rgb turns #rrggbb into PDF colour operands "r g b".
func rgb(hex string) string {
	if len(hex) != 7 || hex[0] != '#' {
		return "0 0 0"
	}
	v, err := strconv.ParseUint(hex[1:], 16, 32)
	if err != nil {
		return "0 0 0"
	}
	return fmt.Sprintf("%.3f %.3f %.3f", float64(v>>16)/255, float64(v>>8&0xff)/255, float64(v&0xff)/255)
}

// roundRect is the path of a rectangle with lower left corner (x, y) in
// points and corners rounded by r (fpdf's RoundedRect leaves a "q" open).
func roundRect(x, y, w, h, r float64) string {
	if r <= 0 {
		return fmt.Sprintf("%.2f %.2f %.2f %.2f re", x, y, w, h)
	}
	k := r * 0.4477 // 1 − 0.5523: the control points of a quarter circle
	return fmt.Sprintf("%.2f %.2f m %.2f %.2f l %.2f %.2f %.2f %.2f %.2f %.2f c %.2f %.2f l %.2f %.2f %.2f %.2f %.2f %.2f c "+
		"%.2f %.2f l %.2f %.2f %.2f %.2f %.2f %.2f c %.2f %.2f l %.2f %.2f %.2f %.2f %.2f %.2f c h",
		x+r, y, x+w-r, y, x+w-k, y, x+w, y+k, x+w, y+r,
		x+w, y+h-r, x+w, y+h-k, x+w-k, y+h, x+w-r, y+h,
		x+r, y+h, x+k, y+h, x, y+h-k, x, y+h-r,
		x, y+r, x, y+k, x+k, y, x+r, y)
}

// graphicPage draws the graphic on a page of its own.
func (p *painter) graphicPage() {
	g := p.d.graphic
	if g == nil || g.Width <= 0 || g.Height <= 0 {
		return
	}
	p.newPage()
	pdf := p.pdf
	pdf.Bookmark(utf16Text("图解"), 0, graphicTop)
	s := min((pageW-2*graphicSide)/g.Width, (graphicBottom-graphicTop)/g.Height) // mm per unit
	x0, y0 := (pageW-g.Width*s)/2, graphicTop
	fig := p.tag.add(nil, "Figure", "/Alt "+pdfText("图解："+g.Title)+" /A <</O /Layout /BBox ["+
		fmt.Sprintf("%.1f %.1f %.1f %.1f", x0*p.k, (pageH-y0-g.Height*s)*p.k, (x0+g.Width*s)*p.k, (pageH-y0)*p.k)+"]>>")
	texts := p.d.gtexts
	for _, it := range g.Items {
		x, y := x0+it.X*s, y0+it.Y*s
		switch it.Kind {
		case svg.Rect:
			pdf.RawWriteStr("/Artifact BMC q " + rgb(it.Fill) + " rg " +
				roundRect(x*p.k, (pageH-y-it.H*s)*p.k, it.W*s*p.k, it.H*s*p.k, min(it.R*s, it.H*s/2, it.W*s/2)*p.k) + " f Q EMC")
		case svg.Line:
			pdf.RawWriteStr(fmt.Sprintf("/Artifact BMC q %s RG %.3f w %.2f %.2f m %.2f %.2f l S Q EMC",
				rgb(it.Fill), it.StrokeW*s*p.k, x*p.k, (pageH-y)*p.k, (x+it.W*s)*p.k, (pageH-y-it.H*s)*p.k))
		case svg.Text:
			t := texts[0]
			texts = texts[1:]
			f := *t.face
			f.bold = f.bold || it.Bold
			pt := it.Size * s * 72 / 25.4
			w := sumAdv(t.runes, f.adv(pt, 0))
			switch it.Anchor {
			case "middle":
				x -= w / 2
			case "end":
				x -= w
			}
			c := rgb(it.Fill)
			p.color = c + " rg " + c + " RG"
			p.tag.cur = fig
			p.show(&f, pt, x, y, t.runes, 0)
			p.tag.cur = nil
			p.color = ""
		}
	}
}

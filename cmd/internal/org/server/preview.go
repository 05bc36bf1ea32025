package server

import (
	"mime"
	"net/http"
	"strconv"

	"github.com/nianbao/nianbao/cmd/internal/org/store"
	"github.com/nianbao/nianbao/cmd/internal/web"
	"github.com/nianbao/nianbao/render"
	"github.com/nianbao/nianbao/render/outdir"
	"github.com/nianbao/nianbao/render/publish"
	"github.com/nianbao/nianbao/schema/errtext"
)

// versionOf is the stored version the path's {seq} names.
func (c *call) versionOf() (*store.Version, error) {
	seq, err := strconv.Atoi(c.r.PathValue("seq"))
	if err != nil {
		return nil, errorf(http.StatusNotFound, "没有这一版")
	}
	vs, err := c.s.store.Versions(c.r.Context(), c.unit.ID, c.year)
	if err != nil {
		return nil, err
	}
	for _, v := range vs {
		if v.Seq == seq {
			return v, nil
		}
	}
	return nil, errorf(http.StatusNotFound, "没有这一版")
}

// rendered renders a stored version in one format through the publishing
// path, as nianbao render --draft does: a version that does not pass the
// gate is rendered marked 草稿（未通过校验）, so a reviewer can read every
// version, whatever file it was uploaded as.
func (c *call) rendered(format string) (*store.Version, []byte, error) {
	v, err := c.versionOf()
	if err != nil {
		return nil, nil, err
	}
	rep, _, err := c.s.readVersion(c.r.Context(), v)
	if err != nil {
		return nil, nil, errorf(http.StatusUnprocessableEntity, "无法读取第 %d 版：%s", v.Seq, errtext.Explain(err))
	}
	ro := c.s.opt.Render
	pub, err := publish.Render(rep, publish.Options{File: v.FileName, Formats: []string{format}, Draft: true,
		Prev: c.s.prevReport(c.r.Context(), c.unit.ID, c.year), StopOnFailure: true,
		TitleFont: ro.TitleFont, BodyFont: ro.BodyFont, HeadingFont: ro.HeadingFont})
	if err != nil {
		return nil, nil, err
	}
	if len(pub.Outputs) == 0 {
		return nil, nil, errorf(http.StatusUnprocessableEntity, "无法生成第 %d 版的%s", v.Seq, format)
	}
	if err := pub.Outputs[0].Err(); err != nil {
		return nil, nil, errorf(http.StatusUnprocessableEntity, "无法生成第 %d 版：%s", v.Seq, errtext.Explain(err))
	}
	return v, pub.Outputs[0].Data, nil
}

// renderedName is the file name of a rendered version.
func (c *call) renderedName(v *store.Version, ext string) string {
	return outdir.NameFor(c.unit.Agency(), strconv.Itoa(c.year)+"年度报告第"+strconv.Itoa(v.Seq)+"版") + ext
}

// versionView shows a stored version as the report's web page (the HTML
// of nianbao render), in the browser: sandboxed, styles only.
func (c *call) versionView() error {
	v, data, err := c.rendered(render.HTML)
	if err != nil {
		return err
	}
	name := c.renderedName(v, render.Ext(render.HTML))
	if err := c.s.store.Log(c.r.Context(), c.actor(), "查看", c.unit.ID, c.year, name); err != nil {
		return err
	}
	h := c.w.Header()
	h.Set("Content-Security-Policy", web.ReportCSP)
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Disposition", mime.FormatMediaType("inline", map[string]string{"filename": name}))
	h.Set("Content-Length", strconv.Itoa(len(data)))
	c.w.WriteHeader(http.StatusOK)
	c.w.Write(data)
	return nil
}

// versionPDF sends a stored version as the report's PDF (nianbao render).
func (c *call) versionPDF() error {
	v, data, err := c.rendered(render.PDF)
	if err != nil {
		return err
	}
	return c.sendFile(c.renderedName(v, render.Ext(render.PDF)), "application/pdf", data)
}

package client

import (
	"context"
	"fmt"

	"github.com/nianbao/nianbao/cmd/internal/org/store"
	"github.com/nianbao/nianbao/cmd/internal/org/workflow"
	"github.com/nianbao/nianbao/schema/errtext"
)

// HandUp is the county's 汇总 handed up to the city: the region's approved
// 汇总 of year (workflow.ExportSum) uploaded to the other server as the
// account's unit report and submitted there for review. The hand-up is in
// this server's audit log, with the version number the other server gave.
type HandUp struct {
	File    string
	Upload  *Upload
	Status  *Status // on the other server, after the submission
	Refused error   // the other server's gate refused the submission (its findings are in Upload.Check)
}

// SendSum hands the approved 汇总 of region for year up through c. The
// upload is kept by the other server whatever its findings; a submission
// its gate refuses is reported in HandUp.Refused, not as an error. Every
// attempt that got as far as sending is in this server's audit log as
// 上报汇总, with how far it went: uploaded or not, submitted or not, and
// why not.
func SendSum(ctx context.Context, s *store.Store, a store.Actor, region *store.Unit, year int, c *Client) (h *HandUp, err error) {
	name, data, err := workflow.ExportSum(ctx, s, a, region, year, "yaml")
	if err != nil {
		return nil, err
	}
	h = &HandUp{File: name}
	defer func() {
		detail := fmt.Sprintf("%s（账号 %s）：%s", c.Base(), c.Session.Login, name)
		switch {
		case h.Upload == nil:
			detail += "；上传失败：" + errtext.Explain(err)
		case err != nil:
			detail += fmt.Sprintf("，已上传为第 %d 版；之后失败：%s", h.Upload.Version, errtext.Explain(err))
		default:
			detail += fmt.Sprintf("，第 %d 版，状态 %s", h.Upload.Version, h.Status.State)
			if h.Refused != nil {
				detail += "；提交未成功：" + errtext.Explain(h.Refused)
			}
		}
		if lerr := s.Log(context.WithoutCancel(ctx), a, "上报汇总", region.ID, year, detail); lerr != nil && err == nil {
			h, err = nil, lerr
		}
		if err != nil {
			h = nil
		}
	}()
	if h.Upload, err = c.Upload(ctx, year, name, data); err != nil {
		return h, err
	}
	if err = c.Submit(ctx, year, h.Upload.Version); err != nil {
		if _, ok := err.(*Error); !ok {
			return h, err
		}
		h.Refused, err = err, nil
	}
	h.Status, err = c.Status(ctx, year)
	return h, err
}

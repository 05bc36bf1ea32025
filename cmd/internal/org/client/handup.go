package client

import (
	"context"
	"fmt"

	"github.com/nianbao/nianbao/cmd/internal/org/store"
	"github.com/nianbao/nianbao/cmd/internal/org/workflow"
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
// its gate refuses is reported in HandUp.Refused, not as an error.
func SendSum(ctx context.Context, s *store.Store, a store.Actor, region *store.Unit, year int, c *Client) (*HandUp, error) {
	name, data, err := workflow.ExportSum(ctx, s, a, region, year, "yaml")
	if err != nil {
		return nil, err
	}
	up, err := c.Upload(ctx, year, name, data)
	if err != nil {
		return nil, err
	}
	h := &HandUp{File: name, Upload: up}
	if err := c.Submit(ctx, year, up.Version); err != nil {
		if _, ok := err.(*Error); !ok {
			return nil, err
		}
		h.Refused = err
	}
	h.Status, err = c.Status(ctx, year)
	if err != nil {
		return nil, err
	}
	detail := fmt.Sprintf("%s（账号 %s）：第 %d 版 %s，状态 %s", c.Base(), c.Session.Login, up.Version, name, h.Status.State)
	if h.Refused != nil {
		detail += "；提交未成功：" + h.Refused.Error()
	}
	if err := s.Log(ctx, a, "上报汇总", region.ID, year, detail); err != nil {
		return nil, err
	}
	return h, nil
}

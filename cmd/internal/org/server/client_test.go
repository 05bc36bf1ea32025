package server

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/nianbao/nianbao/cmd/internal/org/client"
)

// TestClient: the next level's client (a county handing its 汇总 up) works
// against this server's real endpoints: log in, upload, submit, status.
func TestClient(t *testing.T) {
	f := newFixture(t, "sqlite")
	ctx := context.Background()
	_, err := client.Login(ctx, f.srv.URL, "unit-a", "wrong password", client.Options{})
	var ce *client.Error
	if !errors.As(err, &ce) || ce.Status != http.StatusUnauthorized {
		t.Fatalf("wrong password: %v", err)
	}
	if _, err := client.Login(ctx, f.srv.URL, "reviewer", password("reviewer"), client.Options{}); err == nil {
		t.Error("a reviewer's account logged in as a unit")
	}
	c, err := client.Login(ctx, f.srv.URL, "unit-a", password("unit-a"), client.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if c.Session.Unit != f.a.ID {
		t.Fatalf("session %+v", c.Session)
	}
	up, err := c.Upload(ctx, 2024, "报告.yaml", read(t, goodA))
	if err != nil || up.Version != 1 || up.Exit != 0 {
		t.Fatalf("upload: %+v %v", up, err)
	}
	if err := c.Submit(ctx, 2024, up.Version); err != nil {
		t.Fatal(err)
	}
	st, err := c.Status(ctx, 2024)
	if err != nil || st.State != "待审核" || st.Versions != 1 {
		t.Fatalf("status: %+v %v", st, err)
	}
	if err := c.Submit(ctx, 2024, up.Version); !errors.As(err, &ce) || ce.Status != http.StatusConflict {
		t.Errorf("second submission: %v", err)
	}
}

package browsertest

import (
	"net/http"
	"net/http/httptest"
	"os"
	"testing"
)

const goodPage = `<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>测试</title></head>
<body><main><h1>政府信息公开工作年度报告</h1><p>正文。</p></main></body></html>`

const badPage = `<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>测试</title></head>
<body><main><h1>标题</h1><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><p style="color:#bbb;background:#fff">浅灰色文字</p></main></body></html>`

func serve(t *testing.T, pages map[string]string) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(pages[r.URL.Path]))
	}))
	t.Cleanup(srv.Close)
	return srv
}

// TestAxe runs axe-core in Chromium on a page that passes and on one that
// breaks two rules, so a broken installation cannot pass silently.
func TestAxe(t *testing.T) {
	srv := serve(t, map[string]string{"/good": goodPage, "/bad": badPage})
	b := Start(t)
	tab := b.Tab(t)
	tab.Go(t, srv.URL+"/good")
	tab.Axe(t, "good")
	tab.Go(t, srv.URL+"/bad")
	got := map[string]bool{}
	for _, v := range tab.AxeRun(t) {
		got[v.ID] = true
	}
	for _, want := range []string{"image-alt", "color-contrast"} {
		if !got[want] {
			t.Errorf("axe-core did not report %s on the bad page; got %v", want, got)
		}
	}
	p := tab.Screenshot(t, "browsertest-bad.png")
	if st, err := os.Stat(p); err != nil || st.Size() < 100 {
		t.Errorf("screenshot %s: %v", p, err)
	}
}

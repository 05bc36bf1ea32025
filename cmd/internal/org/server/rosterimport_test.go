package server

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/nianbao/nianbao/cmd/internal/org/store"
	"github.com/nianbao/nianbao/cmd/internal/org/store/storetest"
	"github.com/nianbao/nianbao/template/roster/rostertest"
)

var hiddenField = regexp.MustCompile(`<input type="hidden" name="(name|sha256|plan|token)" value="([^"]*)">`)

// confirmFields are the hidden fields of a roster preview's confirmation.
func confirmFields(t *testing.T, preview answer) url.Values {
	t.Helper()
	v := url.Values{}
	for _, m := range hiddenField.FindAllStringSubmatch(preview.body, -1) {
		v.Set(m[1], html.UnescapeString(m[2]))
	}
	if len(v) != 4 {
		t.Fatalf("the preview has no confirmation form: %.2000s", preview.body)
	}
	return v
}

// importRoster uploads a roster file as the office, then confirms the
// preview (removing the units the file lacks when remove is set).
func importRoster(t *testing.T, b *browser, name string, data []byte, remove bool) answer {
	t.Helper()
	p := b.upload("/roster", name, data)
	must(t, p, 200, "核对后确认")
	v := confirmFields(t, p)
	if remove {
		v.Set("remove", "1")
	}
	return b.form("/roster", v)
}

// TestRosterImport: importing a roster first shows what it changes — the
// units added and changed, by name, and the listed units it lacks — and
// changes nothing; confirmed, the units it lacks stay listed unless the
// office ticks their removal; a confirmation of a plan that no longer
// holds shows the new plan; a forged confirmation is refused.
func TestRosterImport(t *testing.T) {
	for _, kind := range storetest.Kinds {
		t.Run(kind, func(t *testing.T) {
			f := newFixture(t, kind)
			ctx := context.Background()
			office := f.as("office")
			listed := func() int {
				us, _ := f.store.Units(ctx)
				n := 0
				for _, u := range us {
					if u.Listed {
						n++
					}
				}
				return n
			}
			partial := rostertest.CSV(rostertest.Department(f.a.Agency(), "城南县人民政府"), rostertest.Department("城北县统计局"))
			before := f.footprint()
			p := office.upload("/roster", "部分名单.csv", partial)
			must(t, p, 200, "核对后确认", "新增（1）", "城北县统计局", "修改（1）", f.a.Agency()+"：上级单位：", "文件中没有的单位（2）",
				f.b.Agency(), "新设局", `name="remove" value="1"`)
			if strings.Contains(p.body, `name="remove" value="1" checked`) {
				t.Errorf("removal ticked by default")
			}
			after := f.footprint()
			after["blobs"] = before["blobs"] // the previewed file is kept
			if !maps(before, after) || listed() != 3 {
				t.Fatalf("the preview changed the roster: %v → %v", before, f.footprint())
			}
			v := confirmFields(t, p)

			// a forged or stale confirmation
			bad := url.Values{}
			for k, vs := range v {
				bad[k] = vs
			}
			bad.Set("plan", strings.Repeat("0", 32))
			must(t, office.form("/roster", bad), http.StatusBadRequest, "导入确认无效")
			if _, err := f.store.AddUnit(ctx, store.Actor{Name: "命令行"}, map[string]string{"agency": "另一个局", "level": "县", "role": "部门"}); err != nil {
				t.Fatal(err)
			}
			must(t, office.form("/roster", v), 200, "名单在此期间已有变化", "文件中没有的单位（3）", "另一个局")
			if listed() != 4 {
				t.Fatalf("a stale confirmation changed the roster")
			}

			// confirmed without ticking: added and changed, nobody removed
			a := office.follow(importRoster(t, office, "部分名单.csv", partial, false))
			must(t, a, 200, "新增 1", "修改 1", "移出名单 0", "未列入这份名单的 3 个单位仍在名单中")
			if listed() != 5 {
				t.Errorf("%d listed, want 5", listed())
			}
			f.as("unit-b") // still logs in
			// ticked: removed
			a = office.follow(importRoster(t, office, "部分名单.csv", partial, true))
			must(t, a, 200, "移出名单 3")
			if listed() != 2 {
				t.Errorf("%d listed, want 2", listed())
			}
		})
	}
}

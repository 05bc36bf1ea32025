package store

import (
	"errors"
	"fmt"
	"testing"

	"github.com/nianbao/nianbao/schema"
)

// TestRegionUnit: the 汇总's unit is kept apart from the roster: no
// import lists or unlists it, and a roster unit of the same name is
// another unit.
func TestRegionUnit(t *testing.T) {
	eachDB(t, func(t *testing.T, s *Store) {
		if _, err := s.ImportRoster(ctx, office, testRoster(t, 2)); err != nil {
			t.Fatal(err)
		}
		us, _ := s.Units(ctx)
		r1, err := s.RegionUnit(ctx, office, us[0].Agency(), "县")
		if err != nil || !r1.IsRegion() || r1.Agency() != us[0].Agency() || r1.ID == us[0].ID {
			t.Fatalf("region unit %+v %v", r1, err)
		}
		if r2, _ := s.RegionUnit(ctx, office, " "+us[0].Agency(), "县"); r2.ID != r1.ID {
			t.Errorf("a second region unit for one agency: %d %d", r2.ID, r1.ID)
		}
		if ch, _ := s.ImportRoster(ctx, office, testRoster(t, 2)); ch.Unlisted != 0 || ch.Unchanged != 2 {
			t.Errorf("import touched the region unit: %+v", ch)
		}
		if all, _ := s.Units(ctx); len(all) != 2 {
			t.Errorf("Units lists the region unit: %d", len(all))
		}
		if rs, _ := s.RegionUnits(ctx); len(rs) != 1 || rs[0].ID != r1.ID {
			t.Errorf("region units %+v", rs)
		}
		if u, _ := s.UnitByName(ctx, us[0].Agency()); u.ID != us[0].ID {
			t.Errorf("UnitByName found the region unit")
		}
		// a sum: stored with its sources; one of another unit's version is refused
		v0, _ := s.AddVersion(ctx, office, upload(us[0].ID, 2024, "甲"))
		rec := SumRecord{Sources: []SumSource{{UnitID: us[0].ID, VersionID: v0.ID, Agency: us[0].Agency()}}, Missing: []SumMissing{{UnitID: us[1].ID, Agency: us[1].Agency(), State: "草稿"}}}
		v, err := s.AddSum(ctx, office, upload(r1.ID, 2024, "汇总"), rec, "保存草稿", func(string) (string, error) { return "草稿", nil })
		if err != nil || v.Seq != 1 {
			t.Fatalf("sum %+v %v", v, err)
		}
		if evs, _ := s.Events(ctx, r1.ID, 2024); len(evs) != 1 || evs[0].VersionID != v.ID || evs[0].State != "草稿" {
			t.Errorf("the sum's step %+v", evs)
		}
		got, err := s.SumOf(ctx, v.ID)
		if err != nil || fmt.Sprint(got.Sources) != fmt.Sprint(rec.Sources) || fmt.Sprint(got.Missing) != fmt.Sprint(rec.Missing) || got.Year != 2024 {
			t.Errorf("sum record %+v %v", got, err)
		}
		if _, err := s.SumOf(ctx, v0.ID); !errors.Is(err, ErrNotFound) {
			t.Errorf("record of an ordinary version: %v", err)
		}
		bad := rec
		bad.Sources = []SumSource{{UnitID: us[1].ID, VersionID: v0.ID}}
		if _, err := s.AddSum(ctx, office, upload(r1.ID, 2024, "汇总"), bad, "", nil); !errors.Is(err, ErrNoVersion) {
			t.Errorf("sum of a version of another unit: %v", err)
		}
		if _, err := s.AddSum(ctx, office, upload(us[0].ID, 2024, "汇总"), rec, "", nil); err == nil {
			t.Error("sum stored as a version of a roster unit")
		}
		if vs, _ := s.Versions(ctx, r1.ID, 2024); len(vs) != 1 {
			t.Errorf("%d versions of the region after a refused sum", len(vs))
		}
		// the record is as append-only as the version
		if _, err := s.db.Exec(s.d.rebind(`UPDATE sums SET missing = '[]' WHERE version_id = ?`), v.ID); err == nil {
			t.Error("a sum record was changed")
		}
	})
}

// TestRosterEditing: add, change, remove and add back a unit; every change
// is in its history and the audit log, and its reports stay with it.
func TestRosterEditing(t *testing.T) {
	eachDB(t, func(t *testing.T, s *Store) {
		if _, err := s.ImportRoster(ctx, office, testRoster(t, 1)); err != nil {
			t.Fatal(err)
		}
		us, _ := s.Units(ctx)
		f := map[string]string{schema.RosterAgency: "城南县新设局", schema.RosterLevel: "县", schema.RosterRole: "部门"}
		u, err := s.AddUnit(ctx, office, f)
		if err != nil || !u.Listed || u.Agency() != "城南县新设局" {
			t.Fatalf("add %+v %v", u, err)
		}
		if _, err := s.AddUnit(ctx, office, map[string]string{schema.RosterAgency: " 城南县新设局", schema.RosterLevel: "县", schema.RosterRole: "部门"}); !errors.Is(err, ErrUnitExists) {
			t.Errorf("the same name twice: %v", err)
		}
		v, _ := s.AddVersion(ctx, office, upload(u.ID, 2024, "新设局"))
		f2 := map[string]string{schema.RosterAgency: "城南县更名局", schema.RosterLevel: "县", schema.RosterRole: "部门", schema.RosterContact: "张三 1234"}
		if u, err = s.UpdateUnit(ctx, office, u.ID, f2); err != nil || u.Agency() != "城南县更名局" || u.Fields[schema.RosterContact] != "张三 1234" {
			t.Fatalf("update %+v %v", u, err)
		}
		if got, _ := s.UnitByName(ctx, "城南县更名局"); got == nil || got.ID != u.ID {
			t.Error("renamed unit not found by its new name")
		}
		if _, err := s.UpdateUnit(ctx, office, u.ID, us[0].Fields); !errors.Is(err, ErrUnitExists) {
			t.Errorf("renamed to another unit's name: %v", err)
		}
		if err := s.RemoveUnit(ctx, office, u.ID); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.Unit(ctx, u.ID); got.Listed {
			t.Error("removed unit still listed")
		}
		if vs, _ := s.Versions(ctx, u.ID, 2024); len(vs) != 1 || vs[0].ID != v.ID {
			t.Error("the removed unit's report is gone")
		}
		if u, err = s.AddUnit(ctx, office, f2); err != nil || !u.Listed {
			t.Fatalf("added back %+v %v", u, err)
		}
		region, _ := s.RegionUnit(ctx, office, "城南县人民政府", "县")
		if err := s.RemoveUnit(ctx, office, region.ID); !errors.Is(err, ErrNotFound) {
			t.Errorf("removed the region unit: %v", err)
		}
		h, _ := s.RosterChanges(ctx, u.ID)
		var acts []string
		for _, e := range h {
			acts = append(acts, e.Action)
		}
		if fmt.Sprint(acts) != "[名单新增 名单修改 移出名单 重新列入名单]" {
			t.Errorf("history %v", acts)
		}
		if h[1].Old[schema.RosterAgency] != "城南县新设局" || h[1].New[schema.RosterAgency] != "城南县更名局" || h[2].New != nil {
			t.Errorf("history fields %+v", h)
		}
		log, _ := s.Audit(ctx, AuditFilter{UnitID: u.ID})
		if len(log) != 5 { // added, uploaded, changed, removed, added back
			t.Errorf("%d audit entries: %+v", len(log), log)
		}
	})
}

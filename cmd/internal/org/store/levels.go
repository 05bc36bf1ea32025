package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/nianbao/nianbao/schema"
	"github.com/nianbao/nianbao/template/roster"
)

// KindRegion is the kind of the unit that holds the office's own
// 本行政区域汇总 report: its versions, rounds and publication are kept like
// any unit's, but it is not on the roster and no roster import touches it.
var KindRegion = string(schema.ScopeRegion)

// regionKey is the key of the region unit of an agency: the roster key of
// its name and the kind, joined by a tab, which roster.Key never yields,
// so it cannot meet a unit of the roster.
func regionKey(agency string) string {
	return Key(roster.Key(agency)) + "\t" + KindRegion
}

// ErrUnitExists refuses a unit whose name is already on the roster.
var ErrUnitExists = errors.New("a unit of that name is already on the roster")

// RegionUnit returns the unit that holds the 本行政区域汇总 of agency (the
// 本级人民政府 the office reports for), creating it on first use.
func (s *Store) RegionUnit(ctx context.Context, a Actor, agency, level string) (*Unit, error) {
	agency = strings.TrimSpace(agency)
	if roster.Key(agency) == "" {
		return nil, errors.New("no agency name for the 汇总")
	}
	key := regionKey(agency)
	var id int64
	err := s.tx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, s.d.rebind(`SELECT id FROM units WHERE key = ?`), key).Scan(&id)
		if err == nil || !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		t := now()
		fields := map[string]string{schema.RosterAgency: Text(agency), schema.RosterLevel: Text(level), schema.RosterRole: string(schema.RoleGovernment)}
		if err := tx.QueryRowContext(ctx, s.d.rebind(`INSERT INTO units (key, agency, level, role, parent, contact, listed, created_at, updated_at, kind)
VALUES (?, ?, ?, ?, '', '', 1, ?, ?, ?) RETURNING id`), key, fields[schema.RosterAgency], fields[schema.RosterLevel], fields[schema.RosterRole], t, t, KindRegion).Scan(&id); err != nil {
			return err
		}
		if err := s.rosterChange(ctx, tx, a, id, "新增"+KindRegion, nil, fields); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, "新增"+KindRegion, id, 0, agency)
	})
	if err != nil {
		return nil, err
	}
	return s.Unit(ctx, id)
}

// RegionUnits returns the office's 本行政区域汇总 units, in the order they
// were made.
func (s *Store) RegionUnits(ctx context.Context) ([]Unit, error) {
	rows, err := s.db.QueryContext(ctx, s.d.rebind(`SELECT `+unitCols+` FROM units WHERE kind = ? ORDER BY id`), KindRegion)
	if err != nil {
		return nil, err
	}
	return scanUnits(rows)
}

// SumSource is one approved version a 汇总 adds up.
type SumSource struct {
	UnitID    int64  `json:"unit_id"`
	VersionID int64  `json:"version_id"`
	Agency    string `json:"agency"`
}

// SumMissing is a unit of the roster a 汇总 lacks, and where its report
// stood (未报, 草稿, 待审核, …).
type SumMissing struct {
	UnitID int64  `json:"unit_id"`
	Agency string `json:"agency"`
	State  string `json:"state"`
}

// SumRecord is what a stored 汇总 version was made of.
type SumRecord struct {
	VersionID int64
	Year      int
	Sources   []SumSource
	Missing   []SumMissing
	CreatedAt string
}

// AddSum stores a 汇总 as a new version of its region unit together with
// the record of its sources and missing units, and the workflow step
// action that saves it (next as in Record; nil records none), in one
// transaction.
func (s *Store) AddSum(ctx context.Context, a Actor, up Upload, rec SumRecord, action string, next func(current string) (string, error)) (*Version, error) {
	src, err := json.Marshal(rec.Sources)
	if err != nil {
		return nil, err
	}
	if rec.Missing == nil {
		rec.Missing = []SumMissing{}
	}
	miss, err := json.Marshal(rec.Missing)
	if err != nil {
		return nil, err
	}
	var v *Version
	err = s.tx(ctx, func(tx *sql.Tx) error {
		var kind string
		if err := tx.QueryRowContext(ctx, s.d.rebind(`SELECT kind FROM units WHERE id = ?`), up.UnitID).Scan(&kind); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return ErrNotFound
			}
			return err
		}
		if kind != KindRegion {
			return fmt.Errorf("unit %d is not a %s unit", up.UnitID, KindRegion)
		}
		for _, x := range rec.Sources {
			var n int
			if err := tx.QueryRowContext(ctx, s.d.rebind(`SELECT COUNT(*) FROM versions WHERE id = ? AND unit_id = ? AND year = ?`), x.VersionID, x.UnitID, up.Year).Scan(&n); err != nil {
				return err
			}
			if n == 0 {
				return fmt.Errorf("source version %d: %w", x.VersionID, ErrNoVersion)
			}
		}
		var err error
		if v, err = s.addVersion(ctx, tx, a, up); err != nil {
			return err
		}
		_, err = s.exec(ctx, tx, `INSERT INTO sums (version_id, year, sources, missing, created_at) VALUES (?, ?, ?, ?, ?)`,
			v.ID, up.Year, Text(string(src)), Text(string(miss)), v.CreatedAt)
		if err != nil {
			return err
		}
		if err := s.audit(ctx, tx, a, "生成汇总", up.UnitID, up.Year, fmt.Sprintf("第 %d 版：汇总 %d 个单位的已通过报告，未计入 %d 个单位", v.Seq, len(rec.Sources), len(rec.Missing))); err != nil {
			return err
		}
		if next == nil {
			return nil
		}
		_, err = s.record(ctx, tx, a, Step{UnitID: up.UnitID, Year: up.Year, Action: action, VersionID: v.ID}, next)
		return err
	})
	if err != nil {
		return nil, err
	}
	return v, nil
}

// SumOf returns the record of a 汇总 version, or ErrNotFound when the
// version was not made by AddSum (an upload of a hand-typed 汇总).
func (s *Store) SumOf(ctx context.Context, version int64) (*SumRecord, error) {
	rec := &SumRecord{VersionID: version}
	var src, miss string
	err := s.db.QueryRowContext(ctx, s.d.rebind(`SELECT year, sources, missing, created_at FROM sums WHERE version_id = ?`), version).Scan(&rec.Year, &src, &miss, &rec.CreatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(src), &rec.Sources); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(miss), &rec.Missing); err != nil {
		return nil, err
	}
	return rec, nil
}

// EventsOfYear returns the steps of every report of a year, by unit and
// then in order: the board and the 汇总 replay them in one query.
func (s *Store) EventsOfYear(ctx context.Context, year int) ([]Event, error) {
	return s.events(ctx, `year = ? ORDER BY unit_id, id`, year)
}

// RosterChangeEntry is one recorded change of a unit of the roster.
type RosterChangeEntry struct {
	ID        int64
	UnitID    int64
	Action    string
	Old, New  map[string]string // by schema.RosterFields key; nil when none
	AccountID int64
	At        string
}

func fieldsJSON(f map[string]string) string {
	if f == nil {
		return "null"
	}
	clean := map[string]string{}
	for _, rf := range schema.RosterFields {
		clean[rf.Key] = Text(f[rf.Key])
	}
	b, _ := json.Marshal(clean)
	return string(b)
}

// rosterChange records a change of a unit's fields in tx.
func (s *Store) rosterChange(ctx context.Context, tx *sql.Tx, a Actor, unit int64, action string, old, new map[string]string) error {
	_, err := s.exec(ctx, tx, `INSERT INTO roster_changes (unit_id, action, old_fields, new_fields, account_id, at) VALUES (?, ?, ?, ?, ?, ?)`,
		unit, action, fieldsJSON(old), fieldsJSON(new), nullID(a.AccountID), now())
	return err
}

// RosterChanges returns the history of a unit (0 = of every unit), oldest
// first.
func (s *Store) RosterChanges(ctx context.Context, unit int64) ([]RosterChangeEntry, error) {
	q := `SELECT id, unit_id, action, old_fields, new_fields, COALESCE(account_id, 0), at FROM roster_changes`
	var args []any
	if unit != 0 {
		q += ` WHERE unit_id = ?`
		args = append(args, unit)
	}
	rows, err := s.db.QueryContext(ctx, s.d.rebind(q+` ORDER BY id`), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []RosterChangeEntry
	for rows.Next() {
		var e RosterChangeEntry
		var o, n string
		if err := rows.Scan(&e.ID, &e.UnitID, &e.Action, &o, &n, &e.AccountID, &e.At); err != nil {
			return nil, err
		}
		json.Unmarshal([]byte(o), &e.Old)
		json.Unmarshal([]byte(n), &e.New)
		out = append(out, e)
	}
	return out, rows.Err()
}

// rosterValues are a unit's field values in schema.RosterFields order.
func rosterValues(f map[string]string) []any {
	vals := make([]any, 0, len(schema.RosterFields))
	for _, rf := range schema.RosterFields {
		vals = append(vals, Text(f[rf.Key]))
	}
	return vals
}

// diffFields describes the fields changed from old to new, in Chinese.
func diffFields(old, new map[string]string) []string {
	var diffs []string
	for _, f := range schema.RosterFields {
		if old[f.Key] != new[f.Key] {
			diffs = append(diffs, fmt.Sprintf("%s：%s → %s", f.Label, old[f.Key], new[f.Key]))
		}
	}
	return diffs
}

// AddUnit adds one unit to the roster (its fields checked by the caller:
// roster.CheckUnit). A unit of the same name once removed is put back on
// the roster with these fields and its reports; one still on it is
// refused with ErrUnitExists.
func (s *Store) AddUnit(ctx context.Context, a Actor, fields map[string]string) (*Unit, error) {
	key := Key(roster.Key(fields[schema.RosterAgency]))
	if key == "" {
		return nil, errors.New("no agency name")
	}
	var id int64
	err := s.tx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, s.d.rebind(`SELECT `+unitCols+` FROM units WHERE key = ?`), key)
		if err != nil {
			return err
		}
		old, err := scanUnits(rows)
		if err != nil {
			return err
		}
		t := now()
		vals := rosterValues(fields)
		if len(old) == 0 {
			if err := tx.QueryRowContext(ctx, s.d.rebind(`INSERT INTO units (key, agency, level, role, parent, contact, listed, created_at, updated_at)
VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?) RETURNING id`), append(append([]any{key}, vals...), t, t)...).Scan(&id); err != nil {
				return err
			}
			if err := s.rosterChange(ctx, tx, a, id, "名单新增", nil, fields); err != nil {
				return err
			}
			return s.audit(ctx, tx, a, "名单新增", id, 0, fields[schema.RosterAgency])
		}
		u := old[0]
		if u.Listed {
			return ErrUnitExists
		}
		id = u.ID
		if _, err := s.exec(ctx, tx, `UPDATE units SET agency = ?, level = ?, role = ?, parent = ?, contact = ?, listed = 1, updated_at = ? WHERE id = ?`,
			append(vals, t, id)...); err != nil {
			return err
		}
		if err := s.rosterChange(ctx, tx, a, id, "重新列入名单", u.Fields, fields); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, "名单修改", id, 0, fields[schema.RosterAgency]+"："+strings.Join(append(diffFields(u.Fields, fields), "重新列入名单"), "；"))
	})
	if err != nil {
		return nil, err
	}
	return s.Unit(ctx, id)
}

// UpdateUnit changes the fields of a unit of the roster (a new name too:
// its reports stay with it). A name another unit has is refused with
// ErrUnitExists; the region units are not the roster's (ErrNotFound).
func (s *Store) UpdateUnit(ctx context.Context, a Actor, id int64, fields map[string]string) (*Unit, error) {
	key := Key(roster.Key(fields[schema.RosterAgency]))
	if key == "" {
		return nil, errors.New("no agency name")
	}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, s.d.rebind(`SELECT `+unitCols+` FROM units WHERE id = ? OR key = ?`), id, key)
		if err != nil {
			return err
		}
		us, err := scanUnits(rows)
		if err != nil {
			return err
		}
		var u *Unit
		for i := range us {
			if us[i].ID == id {
				u = &us[i]
			} else {
				return ErrUnitExists
			}
		}
		if u == nil || u.Kind != "" {
			return ErrNotFound
		}
		diffs := diffFields(u.Fields, fields)
		if len(diffs) == 0 {
			return nil
		}
		if _, err := s.exec(ctx, tx, `UPDATE units SET key = ?, agency = ?, level = ?, role = ?, parent = ?, contact = ?, updated_at = ? WHERE id = ?`,
			append(append([]any{key}, rosterValues(fields)...), now(), id)...); err != nil {
			return err
		}
		if err := s.rosterChange(ctx, tx, a, id, "名单修改", u.Fields, fields); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, "名单修改", id, 0, fields[schema.RosterAgency]+"："+strings.Join(diffs, "；"))
	})
	if err != nil {
		return nil, err
	}
	return s.Unit(ctx, id)
}

// RemoveUnit takes a unit off the roster: it is no longer expected to
// report; it, its account and its reports are kept.
func (s *Store) RemoveUnit(ctx context.Context, a Actor, id int64) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, s.d.rebind(`SELECT `+unitCols+` FROM units WHERE id = ?`), id)
		if err != nil {
			return err
		}
		us, err := scanUnits(rows)
		if err != nil {
			return err
		}
		if len(us) == 0 || us[0].Kind != "" {
			return ErrNotFound
		}
		if !us[0].Listed {
			return nil
		}
		if _, err := s.exec(ctx, tx, `UPDATE units SET listed = 0, updated_at = ? WHERE id = ?`, now(), id); err != nil {
			return err
		}
		if err := s.endUnitSessions(ctx, tx, id); err != nil {
			return err
		}
		if err := s.rosterChange(ctx, tx, a, id, "移出名单", us[0].Fields, nil); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, "移出名单", id, 0, us[0].Agency()+"（已报送的报告保留；其账号不能再登录）")
	})
}

// Package store keeps the collection server's data (the roster, every
// uploaded report version, every rendered output, the audit log) in one
// database: an SQLite file by default (modernc.org/sqlite, pure Go), or
// PostgreSQL (github.com/jackc/pgx/v5) for one server of a whole province,
// several server processes behind one database.
//
// Nothing is overwritten: files, versions, outputs and the audit log are
// append-only (the database refuses UPDATE and DELETE on them), every
// version of every report stays retrievable, and every change is one
// transaction together with its audit entry. SQLite runs in WAL mode with
// full synchronisation, so an acknowledged write survives a crash.
package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver
	_ "modernc.org/sqlite"             // the "sqlite" driver

	"github.com/nianbao/nianbao/schema"
	"github.com/nianbao/nianbao/template/roster"
)

// Errors the callers tell apart.
var (
	ErrNotFound    = errors.New("not found")
	ErrNewerSchema = errors.New("database schema newer than this program")
	ErrCorrupt     = errors.New("stored file does not match its SHA-256")
	ErrNotEmpty    = errors.New("database is not empty")
)

// Store is an open database.
type Store struct {
	db   *sql.DB
	d    *dialect
	desc string // what was opened, without a password
	// writer lets one transaction of this process write an SQLite file
	// at a time: the others wait here, woken the moment it commits,
	// instead of in SQLite's busy handler, which sleeps up to 100 ms
	// between tries and made the tail of the upload latency. Another
	// process on the same file still waits in busy_timeout.
	writer chan struct{}
}

// IsPostgres reports whether dsn names a PostgreSQL database rather than
// an SQLite file.
func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// Open opens the database named by dsn — a postgres:// URL, or else the
// path of an SQLite file (created when absent; "sqlite:" may stand before
// it) — and migrates it to the latest schema.
func Open(ctx context.Context, dsn string) (*Store, error) {
	s := &Store{}
	var err error
	if IsPostgres(dsn) {
		s.d = postgresDialect
		s.desc = redact(dsn)
		s.db, err = sql.Open("pgx", dsn)
		if err == nil {
			s.db.SetMaxOpenConns(32)
			s.db.SetMaxIdleConns(8)
			s.db.SetConnMaxIdleTime(time.Minute)
		}
	} else {
		path := strings.TrimPrefix(dsn, "sqlite:")
		if path == "" {
			return nil, errors.New("no database file")
		}
		s.d = sqliteDialect
		s.desc = path
		s.writer = make(chan struct{}, 1)
		q := url.Values{}
		for _, p := range []string{"busy_timeout(30000)", "journal_mode(WAL)", "synchronous(FULL)", "foreign_keys(1)"} {
			q.Add("_pragma", p)
		}
		q.Set("_txlock", "immediate")
		s.db, err = sql.Open("sqlite", "file:"+(&url.URL{Path: path}).EscapedPath()+"?"+q.Encode())
		if err == nil {
			s.db.SetMaxOpenConns(8)
		}
	}
	if err != nil {
		return nil, err
	}
	if err := s.db.PingContext(ctx); err != nil {
		s.db.Close()
		return nil, err
	}
	if err := s.migrate(ctx); err != nil {
		s.db.Close()
		return nil, err
	}
	return s, nil
}

// redact drops the password from a URL.
func redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return "postgres"
	}
	return u.Redacted()
}

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

// Kind is "sqlite" or "postgres".
func (s *Store) Kind() string { return s.d.name }

// String names the database, without a password.
func (s *Store) String() string { return s.d.name + " " + s.desc }

// retryable reports whether a transaction failed only because another one
// ran at the same time (SQLite busy, PostgreSQL serialisation or deadlock,
// the same next version number taken): it is run again.
func retryable(err error) bool {
	if err == nil {
		return false
	}
	msg := err.Error()
	for _, s := range []string{"SQLITE_BUSY", "database is locked", "40001", "40P01", "23505", "UNIQUE constraint failed: versions"} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}

// tx runs fn in a transaction, committed when fn returns nil, and runs it
// again when it lost a race with another writer.
func (s *Store) tx(ctx context.Context, fn func(*sql.Tx) error) error {
	var err error
	if s.writer != nil {
		select {
		case s.writer <- struct{}{}:
		case <-ctx.Done():
			return ctx.Err()
		}
		defer func() { <-s.writer }()
	}
	for attempt := 0; attempt < 20; attempt++ {
		var tx *sql.Tx
		tx, err = s.db.BeginTx(ctx, nil)
		if err == nil {
			err = fn(tx)
			if err == nil {
				err = tx.Commit()
			} else {
				tx.Rollback()
			}
		}
		if !retryable(err) || ctx.Err() != nil {
			return err
		}
		time.Sleep(time.Duration(attempt+1) * 5 * time.Millisecond)
	}
	return err
}

func (s *Store) exec(ctx context.Context, tx *sql.Tx, q string, args ...any) (sql.Result, error) {
	return tx.ExecContext(ctx, s.d.rebind(q), args...)
}

// Actor is who does something, for the audit log: an account (0 = none,
// the command line) and where the request came from.
type Actor struct {
	AccountID int64
	Name      string // the account's name, or "命令行"
	Remote    string // the client's address; "" = local
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// audit writes one audit entry in tx.
func (s *Store) audit(ctx context.Context, tx *sql.Tx, a Actor, action string, unit int64, year int, detail string) error {
	var y any
	if year != 0 {
		y = year
	}
	_, err := s.exec(ctx, tx, `INSERT INTO audit (at, account_id, account, remote, action, unit_id, year, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		now(), nullID(a.AccountID), Text(a.Name), Text(a.Remote), action, nullID(unit), y, Text(detail))
	return err
}

// Log writes an audit entry of its own: an action that changes nothing
// stored (a login, a download).
func (s *Store) Log(ctx context.Context, a Actor, action string, unit int64, year int, detail string) error {
	return s.tx(ctx, func(tx *sql.Tx) error { return s.audit(ctx, tx, a, action, unit, year, detail) })
}

// Entry is one line of the audit log.
type Entry struct {
	ID        int64
	At        string
	AccountID int64
	Account   string
	Remote    string
	Action    string
	UnitID    int64
	Year      int
	Detail    string
}

// AuditFilter selects audit entries; zero fields select all.
type AuditFilter struct {
	UnitID    int64
	AccountID int64
	After     int64 // entries with a greater ID
	Before    int64 // entries with a smaller ID; 0 = no bound
	Newest    bool  // newest first (the last Limit entries), for a page of the log
	Limit     int   // 0 = 1000
}

// Audit returns audit entries in the order they were written (newest
// first with Newest).
func (s *Store) Audit(ctx context.Context, f AuditFilter) ([]Entry, error) {
	q := `SELECT id, at, COALESCE(account_id, 0), account, remote, action, COALESCE(unit_id, 0), COALESCE(year, 0), detail FROM audit WHERE id > ?`
	args := []any{f.After}
	if f.UnitID != 0 {
		q += ` AND unit_id = ?`
		args = append(args, f.UnitID)
	}
	if f.AccountID != 0 {
		q += ` AND account_id = ?`
		args = append(args, f.AccountID)
	}
	if f.Before != 0 {
		q += ` AND id < ?`
		args = append(args, f.Before)
	}
	if f.Limit <= 0 {
		f.Limit = 1000
	}
	order := "id"
	if f.Newest {
		order = "id DESC"
	}
	q += fmt.Sprintf(` ORDER BY %s LIMIT %d`, order, f.Limit)
	rows, err := s.db.QueryContext(ctx, s.d.rebind(q), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Entry
	for rows.Next() {
		var e Entry
		if err := rows.Scan(&e.ID, &e.At, &e.AccountID, &e.Account, &e.Remote, &e.Action, &e.UnitID, &e.Year, &e.Detail); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// Unit is one unit of the stored roster.
type Unit struct {
	ID     int64
	Key    string            // roster.Key of the agency name
	Fields map[string]string // by schema.RosterFields key
	Listed bool              // on the current roster
	// Kind is "" for a unit of the roster, KindRegion for the office's
	// own 本行政区域汇总 (RegionUnit).
	Kind string
}

// IsRegion reports whether u is the office's 本行政区域汇总 rather than a
// unit of the roster.
func (u *Unit) IsRegion() bool { return u.Kind == KindRegion }

// Agency is the unit's 机关名称.
func (u *Unit) Agency() string { return u.Fields[schema.RosterAgency] }

// unitColumns are the units table's columns of the roster fields, by key.
var unitColumns = map[string]string{
	schema.RosterAgency: "agency", schema.RosterLevel: "level", schema.RosterRole: "role",
	schema.RosterParent: "parent", schema.RosterContact: "contact",
}

// RosterChange counts what an import changed.
type RosterChange struct {
	Added, Updated, Unchanged, Unlisted int
}

// ImportRoster makes r the roster: a new unit is added, a unit whose fields
// changed is updated, and a unit no longer on r is marked unlisted (kept,
// with its reports). One transaction, one audit entry per change.
func (s *Store) ImportRoster(ctx context.Context, a Actor, r *roster.Roster) (RosterChange, error) {
	var ch RosterChange
	err := s.tx(ctx, func(tx *sql.Tx) error {
		ch = RosterChange{}
		old, err := s.units(ctx, tx)
		if err != nil {
			return err
		}
		byKey := map[string]*Unit{}
		for i := range old {
			byKey[old[i].Key] = &old[i]
		}
		seen := map[string]bool{}
		t := now()
		for _, u := range r.Units {
			key := Key(roster.Key(u.Agency()))
			seen[key] = true
			vals := make([]any, 0, 5)
			for _, f := range schema.RosterFields {
				vals = append(vals, Text(u.Get(f.Key)))
			}
			prev := byKey[key]
			if prev == nil {
				var id int64
				err := tx.QueryRowContext(ctx, s.d.rebind(`INSERT INTO units (key, agency, level, role, parent, contact, listed, created_at, updated_at)
VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?) RETURNING id`), append(append([]any{key}, vals...), t, t)...).Scan(&id)
				if err != nil {
					return err
				}
				ch.Added++
				if err := s.rosterChange(ctx, tx, a, id, "名单新增", nil, u.Fields); err != nil {
					return err
				}
				if err := s.audit(ctx, tx, a, "名单新增", id, 0, u.Agency()); err != nil {
					return err
				}
				continue
			}
			var diffs []string
			for _, f := range schema.RosterFields {
				if prev.Fields[f.Key] != u.Get(f.Key) {
					diffs = append(diffs, fmt.Sprintf("%s：%s → %s", f.Label, prev.Fields[f.Key], u.Get(f.Key)))
				}
			}
			if len(diffs) == 0 && prev.Listed {
				ch.Unchanged++
				continue
			}
			if _, err := s.exec(ctx, tx, `UPDATE units SET agency = ?, level = ?, role = ?, parent = ?, contact = ?, listed = 1, updated_at = ? WHERE id = ?`,
				append(vals, t, prev.ID)...); err != nil {
				return err
			}
			ch.Updated++
			if !prev.Listed {
				diffs = append(diffs, "重新列入名单")
			}
			if err := s.rosterChange(ctx, tx, a, prev.ID, "名单修改", prev.Fields, u.Fields); err != nil {
				return err
			}
			if err := s.audit(ctx, tx, a, "名单修改", prev.ID, 0, u.Agency()+"："+strings.Join(diffs, "；")); err != nil {
				return err
			}
		}
		for _, u := range old {
			if seen[u.Key] || !u.Listed {
				continue
			}
			if _, err := s.exec(ctx, tx, `UPDATE units SET listed = 0, updated_at = ? WHERE id = ?`, t, u.ID); err != nil {
				return err
			}
			if err := s.endUnitSessions(ctx, tx, u.ID); err != nil {
				return err
			}
			ch.Unlisted++
			if err := s.rosterChange(ctx, tx, a, u.ID, "移出名单", u.Fields, nil); err != nil {
				return err
			}
			if err := s.audit(ctx, tx, a, "移出名单", u.ID, 0, u.Agency()+"（已报送的报告保留；其账号不能再登录）"); err != nil {
				return err
			}
		}
		return s.audit(ctx, tx, a, "导入名单", 0, 0, fmt.Sprintf("%s：新增 %d，修改 %d，未变 %d，移出 %d", r.Source, ch.Added, ch.Updated, ch.Unchanged, ch.Unlisted))
	})
	return ch, err
}

type querier interface {
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
}

func (s *Store) units(ctx context.Context, q querier) ([]Unit, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+unitCols+` FROM units WHERE kind = '' ORDER BY id`)
	if err != nil {
		return nil, err
	}
	return scanUnits(rows)
}

const unitCols = `id, key, agency, level, role, parent, contact, listed, kind`

func scanUnits(rows *sql.Rows) ([]Unit, error) {
	defer rows.Close()
	var out []Unit
	for rows.Next() {
		var u Unit
		var ag, lv, rl, pa, co string
		var listed int64
		if err := rows.Scan(&u.ID, &u.Key, &ag, &lv, &rl, &pa, &co, &listed, &u.Kind); err != nil {
			return nil, err
		}
		u.Listed = listed != 0
		u.Fields = map[string]string{schema.RosterAgency: ag, schema.RosterLevel: lv, schema.RosterRole: rl,
			schema.RosterParent: pa, schema.RosterContact: co}
		out = append(out, u)
	}
	return out, rows.Err()
}

// Units returns every unit ever on the roster, in the order they were
// added; Listed says whether it is on the current one. The office's
// 本行政区域汇总 units (RegionUnit) are not among them.
func (s *Store) Units(ctx context.Context) ([]Unit, error) { return s.units(ctx, s.db) }

// Unit returns one unit.
func (s *Store) Unit(ctx context.Context, id int64) (*Unit, error) {
	rows, err := s.db.QueryContext(ctx, s.d.rebind(`SELECT `+unitCols+` FROM units WHERE id = ?`), id)
	if err != nil {
		return nil, err
	}
	us, err := scanUnits(rows)
	if err != nil {
		return nil, err
	}
	if len(us) == 0 {
		return nil, ErrNotFound
	}
	return &us[0], nil
}

// UnitByName returns the unit whose name matches (roster.Key).
func (s *Store) UnitByName(ctx context.Context, name string) (*Unit, error) {
	var id int64
	err := s.db.QueryRowContext(ctx, s.d.rebind(`SELECT id FROM units WHERE key = ?`), Key(roster.Key(name))).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	return s.Unit(ctx, id)
}

// Text makes a string safe to store in either database: bytes that are
// not UTF-8 become U+FFFD and NUL characters (which PostgreSQL refuses in
// text) are dropped, so hostile input is kept as readable text, never an
// error of one database but not the other.
func Text(s string) string {
	return strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", "")
}

// Key is Text cut to at most 1000 bytes (on a character boundary): for
// the indexed columns (a unit's key, a login, an address, a scope), whose
// index rows PostgreSQL bounds. A roster name (at most 200 characters)
// always fits whole.
func Key(s string) string {
	s = Text(s)
	if len(s) <= 1000 {
		return s
	}
	i := 1000
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i]
}

// Sum is the hex SHA-256 of data.
func Sum(data []byte) string {
	h := sha256.Sum256(data)
	return hex.EncodeToString(h[:])
}

// putBlob stores data once by its SHA-256 and returns the hash.
func (s *Store) putBlob(ctx context.Context, tx *sql.Tx, data []byte) (string, error) {
	sum := Sum(data)
	if data == nil {
		data = []byte{}
	}
	_, err := s.exec(ctx, tx, `INSERT INTO blobs (sha256, size, data, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (sha256) DO NOTHING`,
		sum, len(data), data, now())
	return sum, err
}

// Blob returns a stored file by its SHA-256, checking that its content
// still has that hash.
func (s *Store) Blob(ctx context.Context, sum string) ([]byte, error) {
	var data []byte
	err := s.db.QueryRowContext(ctx, s.d.rebind(`SELECT data FROM blobs WHERE sha256 = ?`), sum).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	if Sum(data) != sum {
		return nil, fmt.Errorf("%s: %w", sum, ErrCorrupt)
	}
	return data, nil
}

// File is a named file to store: an upload or a rendered output.
type File struct {
	Format string // an output's format (render.Outputs name); "" for an upload
	Name   string
	Data   []byte
}

// Upload is one version of a unit's report to store: the file as sent, the
// findings the checker gave (JSON), and the outputs rendered from it.
type Upload struct {
	UnitID   int64
	Year     int
	File     File
	Findings string // JSON
	Errors   int
	Warnings int
	Outputs  []File
	// Via says how the file came, when not as an uploaded file (ViaForm),
	// on the audit line.
	Via string
}

// ViaForm: the file is the browser app's form, saved as its workbook.
const ViaForm = "网页填写"

// Version is one stored version of a unit's report for a year.
type Version struct {
	ID        int64
	UnitID    int64
	Year      int
	Seq       int // 1, 2, … per unit and year
	FileName  string
	SHA256    string
	Size      int64
	Findings  string
	Errors    int
	Warnings  int
	AccountID int64
	CreatedAt string
	Outputs   []Output
}

// Output is one rendered output of a version.
type Output struct {
	Format   string
	FileName string
	SHA256   string
	Size     int64
}

// AddVersion stores a new version of a unit's report: the next number for
// the unit and year, the file and every output, and the audit entry, in
// one transaction. Once it returns, the version is on disk.
func (s *Store) AddVersion(ctx context.Context, a Actor, up Upload) (*Version, error) {
	var v *Version
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		v, err = s.addVersion(ctx, tx, a, up)
		return err
	})
	if err != nil {
		return nil, err
	}
	return v, nil
}

// addVersion is AddVersion in tx.
func (s *Store) addVersion(ctx context.Context, tx *sql.Tx, a Actor, up Upload) (*Version, error) {
	var v *Version
	err := func() error {
		var listed int64
		if err := tx.QueryRowContext(ctx, s.d.rebind(`SELECT listed FROM units WHERE id = ?`), up.UnitID).Scan(&listed); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return ErrNotFound
			}
			return err
		}
		sum, err := s.putBlob(ctx, tx, up.File.Data)
		if err != nil {
			return err
		}
		var seq int
		if err := tx.QueryRowContext(ctx, s.d.rebind(`SELECT COALESCE(MAX(seq), 0) + 1 FROM versions WHERE unit_id = ? AND year = ?`), up.UnitID, up.Year).Scan(&seq); err != nil {
			return err
		}
		v = &Version{UnitID: up.UnitID, Year: up.Year, Seq: seq, FileName: Text(up.File.Name), SHA256: sum, Size: int64(len(up.File.Data)),
			Findings: Text(up.Findings), Errors: up.Errors, Warnings: up.Warnings, AccountID: a.AccountID, CreatedAt: now()}
		err = tx.QueryRowContext(ctx, s.d.rebind(`INSERT INTO versions (unit_id, year, seq, file_name, blob_sha256, findings, errors, warnings, account_id, created_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`), v.UnitID, v.Year, v.Seq, v.FileName, v.SHA256, v.Findings, v.Errors, v.Warnings,
			nullID(a.AccountID), v.CreatedAt).Scan(&v.ID)
		if err != nil {
			return err
		}
		for _, o := range up.Outputs {
			osum, err := s.putBlob(ctx, tx, o.Data)
			if err != nil {
				return err
			}
			if _, err := s.exec(ctx, tx, `INSERT INTO outputs (version_id, format, file_name, blob_sha256, created_at) VALUES (?, ?, ?, ?, ?)`,
				v.ID, Key(o.Format), Text(o.Name), osum, v.CreatedAt); err != nil {
				return err
			}
			v.Outputs = append(v.Outputs, Output{Format: Key(o.Format), FileName: Text(o.Name), SHA256: osum, Size: int64(len(o.Data))})
		}
		via := ""
		if up.Via != "" {
			via = "，" + up.Via
		}
		return s.audit(ctx, tx, a, "上传报告", up.UnitID, up.Year,
			fmt.Sprintf("第 %d 版 %s（%d 字节，SHA-256 %s%s），错误 %d，警告 %d", v.Seq, v.FileName, v.Size, v.SHA256, via, v.Errors, v.Warnings))
	}()
	if err != nil {
		return nil, err
	}
	return v, nil
}

const versionColumns = `v.id, v.unit_id, v.year, v.seq, v.file_name, v.blob_sha256, b.size, v.findings, v.errors, v.warnings, COALESCE(v.account_id, 0), v.created_at`

func scanVersion(sc interface{ Scan(...any) error }) (*Version, error) {
	var v Version
	err := sc.Scan(&v.ID, &v.UnitID, &v.Year, &v.Seq, &v.FileName, &v.SHA256, &v.Size, &v.Findings, &v.Errors, &v.Warnings, &v.AccountID, &v.CreatedAt)
	return &v, err
}

// Versions returns every version of a unit's report for a year, oldest
// first, with their outputs.
func (s *Store) Versions(ctx context.Context, unit int64, year int) ([]*Version, error) {
	rows, err := s.db.QueryContext(ctx, s.d.rebind(`SELECT `+versionColumns+` FROM versions v JOIN blobs b ON b.sha256 = v.blob_sha256
WHERE v.unit_id = ? AND v.year = ? ORDER BY v.seq`), unit, year)
	if err != nil {
		return nil, err
	}
	var out []*Version
	for rows.Next() {
		v, err := scanVersion(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, v)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, v := range out {
		if v.Outputs, err = s.outputs(ctx, v.ID); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// VersionsOfYear returns every version of every report of a year, by unit
// and then oldest first, without their outputs: the board in one query.
func (s *Store) VersionsOfYear(ctx context.Context, year int) ([]*Version, error) {
	rows, err := s.db.QueryContext(ctx, s.d.rebind(`SELECT `+versionColumns+` FROM versions v JOIN blobs b ON b.sha256 = v.blob_sha256
WHERE v.year = ? ORDER BY v.unit_id, v.seq`), year)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*Version
	for rows.Next() {
		v, err := scanVersion(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// VersionByID returns one version with its outputs.
func (s *Store) VersionByID(ctx context.Context, id int64) (*Version, error) {
	v, err := scanVersion(s.db.QueryRowContext(ctx, s.d.rebind(`SELECT `+versionColumns+` FROM versions v JOIN blobs b ON b.sha256 = v.blob_sha256 WHERE v.id = ?`), id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	v.Outputs, err = s.outputs(ctx, v.ID)
	return v, err
}

func (s *Store) outputs(ctx context.Context, version int64) ([]Output, error) {
	rows, err := s.db.QueryContext(ctx, s.d.rebind(`SELECT o.format, o.file_name, o.blob_sha256, b.size FROM outputs o JOIN blobs b ON b.sha256 = o.blob_sha256
WHERE o.version_id = ? ORDER BY o.format`), version)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Output
	for rows.Next() {
		var o Output
		if err := rows.Scan(&o.Format, &o.FileName, &o.SHA256, &o.Size); err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// Counts returns the number of rows of every table, by name.
func (s *Store) Counts(ctx context.Context) (map[string]int64, error) {
	out := map[string]int64{}
	for _, t := range tables {
		var n int64
		if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+t.name).Scan(&n); err != nil {
			return nil, err
		}
		out[t.name] = n
	}
	return out, nil
}

// Check verifies the stored data: the database's own integrity check
// (SQLite), every file's content against its SHA-256, and every version's
// and output's file present. It returns the problems found.
func (s *Store) Check(ctx context.Context) ([]string, error) {
	var problems []string
	if s.d == sqliteDialect {
		var res string
		if err := s.db.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&res); err != nil {
			return nil, err
		}
		if res != "ok" {
			problems = append(problems, "SQLite integrity_check: "+res)
		}
	}
	rows, err := s.db.QueryContext(ctx, `SELECT sha256, size, data FROM blobs ORDER BY sha256`)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var sum string
		var size int64
		var data []byte
		if err := rows.Scan(&sum, &size, &data); err != nil {
			rows.Close()
			return nil, err
		}
		if Sum(data) != sum || int64(len(data)) != size {
			problems = append(problems, "文件内容与 SHA-256 不符："+sum)
		}
	}
	rows.Close()
	for _, q := range []string{
		`SELECT COUNT(*) FROM versions v LEFT JOIN blobs b ON b.sha256 = v.blob_sha256 WHERE b.sha256 IS NULL`,
		`SELECT COUNT(*) FROM outputs o LEFT JOIN blobs b ON b.sha256 = o.blob_sha256 WHERE b.sha256 IS NULL`,
	} {
		var n int
		if err := s.db.QueryRowContext(ctx, q).Scan(&n); err != nil {
			return nil, err
		}
		if n > 0 {
			problems = append(problems, fmt.Sprintf("%d 个版本或输出缺少文件", n))
		}
	}
	return problems, nil
}

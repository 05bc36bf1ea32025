package store

import (
	"archive/zip"
	"bufio"
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
)

// column is one column of a stored table, for the backup: its name and
// kind ('i' integer, 't' text, 'b' bytes), any of them possibly NULL.
type column struct {
	name string
	kind byte
}

// table is one table of the database, as backup and restore walk it.
type table struct {
	name   string
	serial bool // an {{id}} column "id" whose sequence restore moves on
	cols   []column
}

func cols(spec string) []column {
	var out []column
	for _, f := range strings.Fields(spec) {
		name, kind, _ := strings.Cut(f, ":")
		out = append(out, column{name, kind[0]})
	}
	return out
}

// tables are every table, in an order where each one's references come
// before it. A test checks this list against the database's own.
var tables = []table{
	{"schema_migrations", false, cols("version:i name:t applied_at:t")},
	{"units", true, cols("id:i key:t agency:t level:t role:t parent:t contact:t listed:i created_at:t updated_at:t kind:t")},
	{"blobs", false, cols("sha256:t size:i data:b created_at:t")},
	{"versions", true, cols("id:i unit_id:i year:i seq:i file_name:t blob_sha256:t findings:t errors:i warnings:i account_id:i created_at:t")},
	{"outputs", false, cols("version_id:i format:t file_name:t blob_sha256:t created_at:t")},
	{"audit", true, cols("id:i at:t account_id:i account:t remote:t action:t unit_id:i year:i detail:t")},
	{"accounts", true, cols("id:i login:t name:t role:t unit_id:i password_hash:t disabled:i created_at:t updated_at:t")},
	{"setup_tokens", false, cols("token_sha256:t account_id:i created_at:t expires_at:t used_at:t")},
	{"sessions", false, cols("token_sha256:t account_id:i csrf:t remote:t created_at:t expires_at:t")},
	{"login_attempts", true, cols("id:i login:t remote:t ok:i at:t")},
	{"events", true, cols("id:i unit_id:i year:i action:t state:t version_id:i account_id:i note:t at:t")},
	{"comments", true, cols("id:i event_id:i target:t text:t answers:i account_id:i at:t")},
	{"deadlines", false, cols("year:i scope:t due:t updated_at:t")},
	{"publications", false, cols("event_id:i version_id:i pdf_sha256:t published_on:t at:t")},
	{"sums", false, cols("version_id:i year:i sources:t missing:t created_at:t")},
	{"roster_changes", true, cols("id:i unit_id:i action:t old_fields:t new_fields:t account_id:i at:t")},
	{"login_events", false, cols("bucket:t remote:t action:t n:i done:i logins:t")},
}

// BackupFormat names the backup archive format.
const BackupFormat = "nianbao-org-backup"

// Manifest is the backup's manifest.json.
type Manifest struct {
	Format  string           `json:"format"`
	Schema  int              `json:"schema"`
	Created string           `json:"created"`
	From    string           `json:"from"` // sqlite or postgres
	Rows    map[string]int64 `json:"rows"`
}

// Backup writes every row of every table to w as a zip archive: a
// manifest and one JSON-lines file per table. It reads in one transaction,
// so the copy is consistent while the server goes on. A backup restores
// into either kind of database.
func (s *Store) Backup(ctx context.Context, w io.Writer) (*Manifest, error) {
	// one snapshot: a read transaction that takes no write lock, so the
	// server goes on taking uploads
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	begin := `BEGIN DEFERRED`
	if s.d == postgresDialect {
		begin = `BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY`
	}
	if _, err := conn.ExecContext(ctx, begin); err != nil {
		return nil, err
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), `ROLLBACK`)
	m := &Manifest{Format: BackupFormat, Created: time.Now().UTC().Format(time.RFC3339), From: s.d.name, Rows: map[string]int64{}}
	if err := conn.QueryRowContext(ctx, `SELECT MAX(version) FROM schema_migrations`).Scan(&m.Schema); err != nil {
		return nil, err
	}
	zw := zip.NewWriter(w)
	for _, t := range tables {
		f, err := zw.Create("tables/" + t.name + ".jsonl")
		if err != nil {
			return nil, err
		}
		n, err := dumpTable(ctx, conn, t, f)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", t.name, err)
		}
		m.Rows[t.name] = n
	}
	f, err := zw.Create("manifest.json")
	if err != nil {
		return nil, err
	}
	enc := json.NewEncoder(f)
	enc.SetIndent("", "  ")
	if err := enc.Encode(m); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return m, nil
}

func dumpTable(ctx context.Context, tx querier, t table, w io.Writer) (int64, error) {
	var names []string
	for _, c := range t.cols {
		names = append(names, c.name)
	}
	rows, err := tx.QueryContext(ctx, `SELECT `+strings.Join(names, ", ")+` FROM `+t.name+` ORDER BY `+names[0])
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	var n int64
	vals := make([]any, len(t.cols))
	for rows.Next() {
		ptrs := make([]any, len(t.cols))
		for i, c := range t.cols {
			switch c.kind {
			case 'i':
				ptrs[i] = new(sql.NullInt64)
			case 't':
				ptrs[i] = new(sql.NullString)
			default:
				ptrs[i] = new([]byte)
			}
		}
		if err := rows.Scan(ptrs...); err != nil {
			return 0, err
		}
		for i, p := range ptrs {
			switch p := p.(type) {
			case *sql.NullInt64:
				vals[i] = nil
				if p.Valid {
					vals[i] = p.Int64
				}
			case *sql.NullString:
				vals[i] = nil
				if p.Valid {
					vals[i] = p.String
				}
			case *[]byte:
				// a file's bytes are never NULL: an empty file reads back as nil
				vals[i] = base64.StdEncoding.EncodeToString(*p)
			}
		}
		if err := enc.Encode(vals); err != nil {
			return 0, err
		}
		n++
	}
	if err := rows.Err(); err != nil {
		return 0, err
	}
	return n, bw.Flush()
}

// maxBackupLine bounds one row of a backup file.
const maxBackupLine = 256 << 20

// Restore loads a backup written by Backup into this database, which must
// hold no data (only its schema). Every row goes in one transaction; every
// file's content is checked against its SHA-256 and every table's row
// count against the manifest, so a damaged backup restores nothing.
func (s *Store) Restore(ctx context.Context, r io.ReaderAt, size int64) (*Manifest, error) {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, fmt.Errorf("not a backup archive: %w", err)
	}
	files := map[string]*zip.File{}
	for _, f := range zr.File {
		files[f.Name] = f
	}
	mf := files["manifest.json"]
	if mf == nil {
		return nil, errors.New("not a backup archive: no manifest.json")
	}
	var m Manifest
	if err := readJSON(mf, &m); err != nil {
		return nil, fmt.Errorf("manifest.json: %w", err)
	}
	if m.Format != BackupFormat {
		return nil, fmt.Errorf("not a backup archive: format %q", m.Format)
	}
	if m.Schema != Latest() {
		return nil, fmt.Errorf("backup of schema %d; this nianbao restores schema %d (use the nianbao that wrote it, or a newer one after a migration step)", m.Schema, Latest())
	}
	err = s.tx(ctx, func(tx *sql.Tx) error {
		for _, t := range tables[1:] {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+t.name).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return fmt.Errorf("%w: table %s has %d rows", ErrNotEmpty, t.name, n)
			}
		}
		for _, t := range tables[1:] { // schema_migrations is this database's own
			f := files["tables/"+t.name+".jsonl"]
			if f == nil {
				return fmt.Errorf("backup lacks table %s", t.name)
			}
			n, err := s.loadTable(ctx, tx, t, f)
			if err != nil {
				return fmt.Errorf("%s: %w", t.name, err)
			}
			if n != m.Rows[t.name] {
				return fmt.Errorf("%s: %d rows, the manifest says %d", t.name, n, m.Rows[t.name])
			}
			if t.serial && s.d == postgresDialect {
				if _, err := tx.ExecContext(ctx, fmt.Sprintf(`SELECT setval(pg_get_serial_sequence('%[1]s', 'id'), COALESCE((SELECT MAX(id) FROM %[1]s), 0) + 1, false)`, t.name)); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &m, nil
}

func readJSON(f *zip.File, v any) error {
	rc, err := f.Open()
	if err != nil {
		return err
	}
	defer rc.Close()
	return json.NewDecoder(io.LimitReader(rc, 1<<20)).Decode(v)
}

func (s *Store) loadTable(ctx context.Context, tx *sql.Tx, t table, f *zip.File) (int64, error) {
	rc, err := f.Open()
	if err != nil {
		return 0, err
	}
	defer rc.Close()
	var names, marks []string
	for _, c := range t.cols {
		names = append(names, c.name)
		marks = append(marks, "?")
	}
	stmt, err := tx.PrepareContext(ctx, s.d.rebind(`INSERT INTO `+t.name+` (`+strings.Join(names, ", ")+`) VALUES (`+strings.Join(marks, ", ")+`)`))
	if err != nil {
		return 0, err
	}
	defer stmt.Close()
	sc := bufio.NewScanner(rc)
	sc.Buffer(make([]byte, 64<<10), maxBackupLine)
	var n int64
	for sc.Scan() {
		var raw []json.RawMessage
		if err := json.Unmarshal(sc.Bytes(), &raw); err != nil {
			return n, fmt.Errorf("row %d: %w", n+1, err)
		}
		if len(raw) != len(t.cols) {
			return n, fmt.Errorf("row %d: %d values, want %d", n+1, len(raw), len(t.cols))
		}
		args := make([]any, len(raw))
		for i, c := range t.cols {
			if string(raw[i]) == "null" {
				continue
			}
			switch c.kind {
			case 'i':
				var v int64
				if err := json.Unmarshal(raw[i], &v); err != nil {
					return n, fmt.Errorf("row %d %s: %w", n+1, c.name, err)
				}
				args[i] = v
			case 't':
				var v string
				if err := json.Unmarshal(raw[i], &v); err != nil {
					return n, fmt.Errorf("row %d %s: %w", n+1, c.name, err)
				}
				args[i] = v
			default:
				var v string
				if err := json.Unmarshal(raw[i], &v); err != nil {
					return n, fmt.Errorf("row %d %s: %w", n+1, c.name, err)
				}
				b, err := base64.StdEncoding.DecodeString(v)
				if err != nil {
					return n, fmt.Errorf("row %d %s: %w", n+1, c.name, err)
				}
				args[i] = b
			}
		}
		if t.name == "blobs" {
			if b, _ := args[2].([]byte); Sum(b) != args[0] {
				return n, fmt.Errorf("row %d: %w", n+1, ErrCorrupt)
			}
		}
		if _, err := stmt.ExecContext(ctx, args...); err != nil {
			return n, fmt.Errorf("row %d: %w", n+1, err)
		}
		n++
	}
	return n, sc.Err()
}

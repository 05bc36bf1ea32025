package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
)

// dialect is what differs between SQLite and PostgreSQL: placeholders,
// column types, and the statements that make the kept tables append-only.
type dialect struct {
	name string
	// types replaces the {{…}} tokens of the migrations.
	types *strings.Replacer
	// numbered placeholders ($1) instead of ?
	numbered bool
	// immutable returns the statements that refuse UPDATE and DELETE on a
	// table: every version, file and output is kept as it was written.
	immutable func(table string) []string
}

var sqliteDialect = &dialect{
	name:  "sqlite",
	types: strings.NewReplacer("{{id}}", "INTEGER PRIMARY KEY", "{{blob}}", "BLOB", "{{int}}", "INTEGER"),
	immutable: func(t string) []string {
		return []string{
			fmt.Sprintf(`CREATE TRIGGER %[1]s_keep_update BEFORE UPDATE ON %[1]s BEGIN SELECT RAISE(ABORT, '%[1]s is append-only'); END`, t),
			fmt.Sprintf(`CREATE TRIGGER %[1]s_keep_delete BEFORE DELETE ON %[1]s BEGIN SELECT RAISE(ABORT, '%[1]s is append-only'); END`, t),
		}
	},
}

var postgresDialect = &dialect{
	name:     "postgres",
	types:    strings.NewReplacer("{{id}}", "BIGSERIAL PRIMARY KEY", "{{blob}}", "BYTEA", "{{int}}", "BIGINT"),
	numbered: true,
	immutable: func(t string) []string {
		return []string{
			fmt.Sprintf(`CREATE TRIGGER %[1]s_keep BEFORE UPDATE OR DELETE ON %[1]s FOR EACH ROW EXECUTE FUNCTION nianbao_append_only()`, t),
		}
	},
}

// rebind turns the ? placeholders of q into $1, $2, … for PostgreSQL. The
// queries of this package hold no ? inside a string literal.
func (d *dialect) rebind(q string) string {
	if !d.numbered {
		return q
	}
	var b strings.Builder
	n := 0
	for _, r := range q {
		if r == '?' {
			n++
			fmt.Fprintf(&b, "$%d", n)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// migration is one step of the database schema. Migrations are applied in
// order, each in one transaction, and recorded in schema_migrations; a
// released migration is never changed, only followed by a new one.
type migration struct {
	version int
	name    string
	// sql are the statements, with {{id}}, {{blob}}, {{int}} for the types
	// that differ between the databases.
	sql []string
	// appendOnly are the tables made append-only by this migration.
	appendOnly []string
	// postgres are statements for PostgreSQL alone, run first.
	postgres []string
}

var migrations = []migration{
	{version: 1, name: "units, files, report versions, outputs, audit log",
		postgres: []string{`CREATE OR REPLACE FUNCTION nianbao_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END $$`},
		sql: []string{
			// the roster: one row per unit expected to report; key is the
			// matching key of its name (roster.Key)
			`CREATE TABLE units (
	id {{id}},
	key TEXT NOT NULL UNIQUE,
	agency TEXT NOT NULL,
	level TEXT NOT NULL,
	role TEXT NOT NULL,
	parent TEXT NOT NULL DEFAULT '',
	contact TEXT NOT NULL DEFAULT '',
	listed {{int}} NOT NULL DEFAULT 1,
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
)`,
			// every file ever stored, by content
			`CREATE TABLE blobs (
	sha256 TEXT PRIMARY KEY,
	size {{int}} NOT NULL,
	data {{blob}} NOT NULL,
	created_at TEXT NOT NULL
)`,
			// every upload of a unit's report for a year: seq 1, 2, …
			`CREATE TABLE versions (
	id {{id}},
	unit_id {{int}} NOT NULL REFERENCES units(id),
	year {{int}} NOT NULL,
	seq {{int}} NOT NULL,
	file_name TEXT NOT NULL,
	blob_sha256 TEXT NOT NULL REFERENCES blobs(sha256),
	findings TEXT NOT NULL,
	errors {{int}} NOT NULL,
	warnings {{int}} NOT NULL,
	account_id {{int}},
	created_at TEXT NOT NULL,
	UNIQUE (unit_id, year, seq)
)`,
			// the outputs rendered from a version
			`CREATE TABLE outputs (
	version_id {{int}} NOT NULL REFERENCES versions(id),
	format TEXT NOT NULL,
	file_name TEXT NOT NULL,
	blob_sha256 TEXT NOT NULL REFERENCES blobs(sha256),
	created_at TEXT NOT NULL,
	PRIMARY KEY (version_id, format)
)`,
			// who did what, when, from where
			`CREATE TABLE audit (
	id {{id}},
	at TEXT NOT NULL,
	account_id {{int}},
	account TEXT NOT NULL,
	remote TEXT NOT NULL,
	action TEXT NOT NULL,
	unit_id {{int}},
	year {{int}},
	detail TEXT NOT NULL
)`,
			`CREATE INDEX audit_at ON audit (at)`,
		},
		appendOnly: []string{"blobs", "versions", "outputs", "audit"},
	},
	{version: 2, name: "accounts, one-time setup links, sessions, login attempts",
		sql: []string{
			// one account per unit (unit_id UNIQUE; NULL for the office's
			// own accounts); password_hash is argon2id, '' until the
			// first password is set through a setup link
			`CREATE TABLE accounts (
	id {{id}},
	login TEXT NOT NULL UNIQUE,
	name TEXT NOT NULL,
	role TEXT NOT NULL,
	unit_id {{int}} UNIQUE REFERENCES units(id),
	password_hash TEXT NOT NULL DEFAULT '',
	disabled {{int}} NOT NULL DEFAULT 0,
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
)`,
			// a one-time link's token is kept only as its SHA-256
			`CREATE TABLE setup_tokens (
	token_sha256 TEXT PRIMARY KEY,
	account_id {{int}} NOT NULL REFERENCES accounts(id),
	created_at TEXT NOT NULL,
	expires_at TEXT NOT NULL,
	used_at TEXT
)`,
			// a session's token likewise
			`CREATE TABLE sessions (
	token_sha256 TEXT PRIMARY KEY,
	account_id {{int}} NOT NULL REFERENCES accounts(id),
	csrf TEXT NOT NULL,
	remote TEXT NOT NULL,
	created_at TEXT NOT NULL,
	expires_at TEXT NOT NULL
)`,
			`CREATE INDEX sessions_account ON sessions (account_id)`,
			// kept in the database, so every server process limits alike
			`CREATE TABLE login_attempts (
	id {{id}},
	login TEXT NOT NULL,
	remote TEXT NOT NULL,
	ok {{int}} NOT NULL,
	at TEXT NOT NULL
)`,
			`CREATE INDEX login_attempts_login ON login_attempts (login, at)`,
			`CREATE INDEX login_attempts_remote ON login_attempts (remote, at)`,
		},
	},
	{version: 3, name: "workflow events, review comments, deadlines, publications",
		sql: []string{
			// every step of a unit's report for a year (草稿, 待审核, …);
			// the state is the latest event's
			`CREATE TABLE events (
	id {{id}},
	unit_id {{int}} NOT NULL REFERENCES units(id),
	year {{int}} NOT NULL,
	action TEXT NOT NULL,
	state TEXT NOT NULL,
	version_id {{int}} REFERENCES versions(id),
	account_id {{int}},
	note TEXT NOT NULL,
	at TEXT NOT NULL
)`,
			`CREATE INDEX events_unit ON events (unit_id, year, id)`,
			// a reviewer's comment on a finding or a cell, with the
			// return that carried it; a unit's answer names the comment
			`CREATE TABLE comments (
	id {{id}},
	event_id {{int}} NOT NULL REFERENCES events(id),
	target TEXT NOT NULL,
	text TEXT NOT NULL,
	answers {{int}} REFERENCES comments(id),
	account_id {{int}},
	at TEXT NOT NULL
)`,
			// the office's deadline for a year and scope, when not the
			// statutory one
			`CREATE TABLE deadlines (
	year {{int}} NOT NULL,
	scope TEXT NOT NULL,
	due TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	PRIMARY KEY (year, scope)
)`,
			// the final PDF of a published version, with its date
			`CREATE TABLE publications (
	event_id {{int}} PRIMARY KEY REFERENCES events(id),
	version_id {{int}} NOT NULL REFERENCES versions(id),
	pdf_sha256 TEXT NOT NULL REFERENCES blobs(sha256),
	published_on TEXT NOT NULL,
	at TEXT NOT NULL
)`,
		},
		appendOnly: []string{"events", "comments", "publications"},
	},
	{version: 4, name: "the 本行政区域汇总 as a unit of its own, sums and their sources, roster history",
		sql: []string{
			// '' for a unit of the roster; the scope 本行政区域汇总 for the
			// office's own 汇总 report, kept as the versions of a unit
			// that no roster import touches
			`ALTER TABLE units ADD COLUMN kind TEXT NOT NULL DEFAULT ''`,
			// a 汇总 version: the approved versions it adds up and the
			// roster's units it lacks (JSON)
			`CREATE TABLE sums (
	version_id {{int}} PRIMARY KEY REFERENCES versions(id),
	year {{int}} NOT NULL,
	sources TEXT NOT NULL,
	missing TEXT NOT NULL,
	created_at TEXT NOT NULL
)`,
			// every change of a unit of the roster: its fields before and
			// after (JSON by schema.RosterFields key)
			`CREATE TABLE roster_changes (
	id {{id}},
	unit_id {{int}} NOT NULL REFERENCES units(id),
	action TEXT NOT NULL,
	old_fields TEXT NOT NULL,
	new_fields TEXT NOT NULL,
	account_id {{int}},
	at TEXT NOT NULL
)`,
			`CREATE INDEX roster_changes_unit ON roster_changes (unit_id, id)`,
		},
		appendOnly: []string{"sums", "roster_changes"},
	},
	{version: 5, name: "login events summarised per address and time window",
		sql: []string{
			// the failed and refused logins of one address in one time
			// window (its start, UTC): n in all, of which done are in the
			// audit log (the first ones in full, the rest as summaries),
			// and a few of the logins tried; a closed window's row is
			// deleted once its summary is written
			`CREATE TABLE login_events (
	bucket TEXT NOT NULL,
	remote TEXT NOT NULL,
	action TEXT NOT NULL,
	n {{int}} NOT NULL,
	done {{int}} NOT NULL,
	logins TEXT NOT NULL,
	PRIMARY KEY (bucket, remote, action)
)`,
			// login attempts older than the rate limit's window are deleted
			`CREATE INDEX login_attempts_at ON login_attempts (at)`,
		},
	},
}

// Latest is the schema version this build migrates to.
func Latest() int { return migrations[len(migrations)-1].version }

// migrate applies the migrations the database lacks. A database of a
// newer version than this build knows is refused.
func (s *Store) migrate(ctx context.Context) error {
	if s.d == postgresDialect {
		// one migrating process at a time, across every server process
		conn, err := s.db.Conn(ctx)
		if err != nil {
			return err
		}
		defer conn.Close()
		if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock(7146251)`); err != nil {
			return err
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock(7146251)`)
	}
	if _, err := s.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
	version INTEGER PRIMARY KEY,
	name TEXT NOT NULL,
	applied_at TEXT NOT NULL
)`); err != nil {
		return fmt.Errorf("create schema_migrations: %w", err)
	}
	for _, m := range migrations {
		if err := s.apply(ctx, m); err != nil {
			return fmt.Errorf("migration %d (%s): %w", m.version, m.name, err)
		}
	}
	v, err := s.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	if v > Latest() {
		return fmt.Errorf("%w: database version %d, this nianbao knows %d", ErrNewerSchema, v, Latest())
	}
	return nil
}

// apply runs one migration in a transaction unless it is recorded. Two
// processes starting at once apply it once: on PostgreSQL migrate holds an
// advisory lock; on SQLite the transaction takes the write lock first
// (_txlock=immediate), so the second one sees the migration recorded.
func (s *Store) apply(ctx context.Context, m migration) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, s.d.rebind(`SELECT COUNT(*) FROM schema_migrations WHERE version = ?`), m.version).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return nil
		}
		var stmts []string
		if s.d == postgresDialect {
			stmts = append(stmts, m.postgres...)
		}
		for _, q := range m.sql {
			stmts = append(stmts, s.d.types.Replace(q))
		}
		for _, t := range m.appendOnly {
			stmts = append(stmts, s.d.immutable(t)...)
		}
		for _, q := range stmts {
			if _, err := tx.ExecContext(ctx, q); err != nil {
				return fmt.Errorf("%s: %w", firstLine(q), err)
			}
		}
		_, err := tx.ExecContext(ctx, s.d.rebind(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`),
			m.version, m.name, now())
		return err
	})
}

func firstLine(q string) string {
	l, _, _ := strings.Cut(q, "\n")
	return l
}

// SchemaVersion is the highest migration applied to the database.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	var v sql.NullInt64
	if err := s.db.QueryRowContext(ctx, `SELECT MAX(version) FROM schema_migrations`).Scan(&v); err != nil {
		return 0, err
	}
	return int(v.Int64), nil
}

// now is the time stored: UTC, RFC 3339 with nanoseconds, so it sorts as
// text.
func now() string { return time.Now().UTC().Format("2006-01-02T15:04:05.000000000Z") }

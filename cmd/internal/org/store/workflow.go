package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/nianbao/nianbao/schema"
)

// Comment is a reviewer's comment on a finding or a cell (Target: a rule
// ID with its place, or a cell key such as t3.received.natural), or a
// unit's answer to one (Answers).
type Comment struct {
	ID        int64
	EventID   int64
	Target    string
	Text      string
	Answers   int64
	AccountID int64
	At        string
}

// Publication is the final PDF of a published version.
type Publication struct {
	VersionID   int64
	PDF         []byte // stored; PDFSHA256 is its hash
	PDFSHA256   string
	PublishedOn string // YYYY-MM-DD
}

// Step is one workflow step to record.
type Step struct {
	UnitID    int64
	Year      int
	Action    string
	VersionID int64 // the version the step concerns; 0 = none
	Note      string
	Comments  []Comment    // a return's comments, or a submission's answers
	Published *Publication // a publication's PDF and date
}

// Event is one recorded step.
type Event struct {
	ID        int64
	UnitID    int64
	Year      int
	Action    string
	State     string
	VersionID int64
	AccountID int64
	Note      string
	At        string
}

// ErrNoVersion is returned for a step on a version of another unit or year.
var ErrNoVersion = errors.New("version not of this unit and year")

// Record records a workflow step in one transaction: next gets the current
// state ("" when the report has no event yet) and returns the new state,
// or an error refusing the step; the event, its comments, its publication
// and the audit entry are written together, so two reviewers acting at
// once cannot both take a step from the same state.
func (s *Store) Record(ctx context.Context, a Actor, st Step, next func(current string) (string, error)) (*Event, error) {
	var ev *Event
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		ev, err = s.record(ctx, tx, a, st, next)
		return err
	})
	return ev, err
}

// AddVersionStep stores a new version (AddVersion) and records the step
// that saves it (Record, with the new version's ID) in one transaction:
// a crash leaves both or neither, never a version without its step.
func (s *Store) AddVersionStep(ctx context.Context, a Actor, up Upload, st Step, next func(current string) (string, error)) (*Version, *Event, error) {
	var v *Version
	var ev *Event
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		if s.d == postgresDialect {
			// the unit's row first, as Record takes it, so two saves of
			// one report wait for each other instead of deadlocking
			if _, err := tx.ExecContext(ctx, `SELECT id FROM units WHERE id = $1 FOR UPDATE`, up.UnitID); err != nil {
				return err
			}
		}
		if v, err = s.addVersion(ctx, tx, a, up); err != nil {
			return err
		}
		st.UnitID, st.Year, st.VersionID = up.UnitID, up.Year, v.ID
		ev, err = s.record(ctx, tx, a, st, next)
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	return v, ev, nil
}

// record is Record in tx.
func (s *Store) record(ctx context.Context, tx *sql.Tx, a Actor, st Step, next func(current string) (string, error)) (*Event, error) {
	var ev *Event
	err := func() error {
		// one step at a time per unit: PostgreSQL locks the unit's row
		// (SQLite's immediate transaction already holds the write lock)
		if s.d == postgresDialect {
			if _, err := tx.ExecContext(ctx, `SELECT id FROM units WHERE id = $1 FOR UPDATE`, st.UnitID); err != nil {
				return err
			}
		}
		var cur string
		err := tx.QueryRowContext(ctx, s.d.rebind(`SELECT state FROM events WHERE unit_id = ? AND year = ? ORDER BY id DESC LIMIT 1`), st.UnitID, st.Year).Scan(&cur)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		to, err := next(cur)
		if err != nil {
			return err
		}
		if st.VersionID != 0 {
			var n int
			if err := tx.QueryRowContext(ctx, s.d.rebind(`SELECT COUNT(*) FROM versions WHERE id = ? AND unit_id = ? AND year = ?`), st.VersionID, st.UnitID, st.Year).Scan(&n); err != nil {
				return err
			}
			if n == 0 {
				return ErrNoVersion
			}
		}
		ev = &Event{UnitID: st.UnitID, Year: st.Year, Action: st.Action, State: to, VersionID: st.VersionID, AccountID: a.AccountID, Note: Text(st.Note), At: now()}
		if err := tx.QueryRowContext(ctx, s.d.rebind(`INSERT INTO events (unit_id, year, action, state, version_id, account_id, note, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`),
			ev.UnitID, ev.Year, ev.Action, ev.State, nullID(ev.VersionID), nullID(a.AccountID), ev.Note, ev.At).Scan(&ev.ID); err != nil {
			return err
		}
		for _, c := range st.Comments {
			if c.Answers != 0 {
				var n int
				if err := tx.QueryRowContext(ctx, s.d.rebind(`SELECT COUNT(*) FROM comments c JOIN events e ON e.id = c.event_id WHERE c.id = ? AND e.unit_id = ? AND e.year = ?`),
					c.Answers, st.UnitID, st.Year).Scan(&n); err != nil {
					return err
				}
				if n == 0 {
					return fmt.Errorf("answer to comment %d of another report: %w", c.Answers, ErrNotFound)
				}
			}
			if _, err := s.exec(ctx, tx, `INSERT INTO comments (event_id, target, text, answers, account_id, at) VALUES (?, ?, ?, ?, ?, ?)`,
				ev.ID, Text(c.Target), Text(c.Text), nullID(c.Answers), nullID(a.AccountID), ev.At); err != nil {
				return err
			}
		}
		detail := fmt.Sprintf("%s → %s", st.Action, to)
		if p := st.Published; p != nil {
			sum, err := s.putBlob(ctx, tx, p.PDF)
			if err != nil {
				return err
			}
			if _, err := s.exec(ctx, tx, `INSERT INTO publications (event_id, version_id, pdf_sha256, published_on, at) VALUES (?, ?, ?, ?, ?)`,
				ev.ID, st.VersionID, sum, Text(p.PublishedOn), ev.At); err != nil {
				return err
			}
			detail += fmt.Sprintf("，%s %s，PDF SHA-256 %s", schema.MetaField("published").Label, p.PublishedOn, sum)
		}
		if len(st.Comments) > 0 {
			detail += fmt.Sprintf("，意见 %d 条", len(st.Comments))
		}
		return s.audit(ctx, tx, a, st.Action, st.UnitID, st.Year, detail)
	}()
	return ev, err
}

// Events returns the steps of a unit's report for a year, in order.
func (s *Store) Events(ctx context.Context, unit int64, year int) ([]Event, error) {
	return s.events(ctx, `unit_id = ? AND year = ? ORDER BY id`, unit, year)
}

// events returns the events where (a condition and an order) holds.
func (s *Store) events(ctx context.Context, where string, args ...any) ([]Event, error) {
	rows, err := s.db.QueryContext(ctx, s.d.rebind(`SELECT id, unit_id, year, action, state, COALESCE(version_id, 0), COALESCE(account_id, 0), note, at
FROM events WHERE `+where), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Event
	for rows.Next() {
		var e Event
		if err := rows.Scan(&e.ID, &e.UnitID, &e.Year, &e.Action, &e.State, &e.VersionID, &e.AccountID, &e.Note, &e.At); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// Comments returns the comments and answers on a unit's report for a year.
func (s *Store) Comments(ctx context.Context, unit int64, year int) ([]Comment, error) {
	rows, err := s.db.QueryContext(ctx, s.d.rebind(`SELECT c.id, c.event_id, c.target, c.text, COALESCE(c.answers, 0), COALESCE(c.account_id, 0), c.at
FROM comments c JOIN events e ON e.id = c.event_id WHERE e.unit_id = ? AND e.year = ? ORDER BY c.id`), unit, year)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Comment
	for rows.Next() {
		var c Comment
		if err := rows.Scan(&c.ID, &c.EventID, &c.Target, &c.Text, &c.Answers, &c.AccountID, &c.At); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// Publications returns the publications of a unit's report for a year.
func (s *Store) Publications(ctx context.Context, unit int64, year int) ([]Publication, error) {
	rows, err := s.db.QueryContext(ctx, s.d.rebind(`SELECT p.version_id, p.pdf_sha256, p.published_on FROM publications p JOIN events e ON e.id = p.event_id
WHERE e.unit_id = ? AND e.year = ? ORDER BY p.event_id`), unit, year)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Publication
	for rows.Next() {
		var p Publication
		if err := rows.Scan(&p.VersionID, &p.PDFSHA256, &p.PublishedOn); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// SetDeadline sets the office's deadline (YYYY-MM-DD) for the reports of a
// year and scope.
func (s *Store) SetDeadline(ctx context.Context, a Actor, year int, scope, due string) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := s.exec(ctx, tx, `INSERT INTO deadlines (year, scope, due, updated_at) VALUES (?, ?, ?, ?)
ON CONFLICT (year, scope) DO UPDATE SET due = excluded.due, updated_at = excluded.updated_at`, year, Key(scope), Key(due), now()); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, "修改期限", 0, year, scope+"："+due)
	})
}

// Deadline returns the office's deadline for a year and scope, or "" when
// it set none (the statutory one applies).
func (s *Store) Deadline(ctx context.Context, year int, scope string) (string, error) {
	var due string
	err := s.db.QueryRowContext(ctx, s.d.rebind(`SELECT due FROM deadlines WHERE year = ? AND scope = ?`), year, Key(scope)).Scan(&due)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return due, err
}

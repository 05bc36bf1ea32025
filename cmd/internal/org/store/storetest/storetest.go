// Package storetest gives tests new, empty databases of both kinds the
// store runs on: an SQLite file, and a schema of its own in the PostgreSQL
// test database named by NIANBAO_TEST_POSTGRES (.ci/run starts PostgreSQL
// with .ci/postgres.sh and sets it; unset in CI the tests fail, unset
// elsewhere they run the script themselves). Never a silent skip.
package storetest

import (
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver
)

// Env names the PostgreSQL test database.
const Env = "NIANBAO_TEST_POSTGRES"

// Kinds are the databases every store test runs against.
var Kinds = []string{"sqlite", "postgres"}

var (
	once sync.Once
	base string
	err  error
)

// script is .ci/postgres.sh of this checkout.
func script() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "..", "..", "..", ".ci", "postgres.sh")
}

// Postgres returns the URL of the PostgreSQL test database.
func Postgres(t testing.TB) string {
	t.Helper()
	once.Do(func() {
		if base = os.Getenv(Env); base != "" {
			return
		}
		if os.Getenv("CI") != "" {
			err = fmt.Errorf("%s is not set: .ci/run starts PostgreSQL (.ci/postgres.sh) and sets it", Env)
			return
		}
		out, e := exec.Command("bash", script()).Output()
		if e != nil {
			var ee *exec.ExitError
			if errors.As(e, &ee) {
				e = fmt.Errorf("%w: %s", e, ee.Stderr)
			}
			err = fmt.Errorf("start PostgreSQL with %s: %w", script(), e)
			return
		}
		base = strings.TrimSpace(string(out))
	})
	if err != nil {
		t.Fatal(err)
	}
	return base
}

// DSN returns a new, empty database of the given kind, removed after the
// test.
func DSN(t testing.TB, kind string) string {
	t.Helper()
	if kind == "sqlite" {
		return filepath.Join(t.TempDir(), "org.db")
	}
	b := Postgres(t)
	db, err := sql.Open("pgx", b)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	name := fmt.Sprintf("t_%d_%d", time.Now().UnixNano(), rand.IntN(1<<30))
	if _, err := db.Exec(`CREATE SCHEMA ` + name); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		if db, err := sql.Open("pgx", b); err == nil {
			db.Exec(`DROP SCHEMA ` + name + ` CASCADE`)
			db.Close()
		}
	})
	sep := "?"
	if strings.Contains(b, "?") {
		sep = "&"
	}
	return b + sep + "search_path=" + name
}

package check_test

import "flag"

// update is accepted so that 'go test ./... -update' (which rewrites the
// golden files of the packages that have them) runs in every package.
var _ = flag.Bool("update", false, "rewrite golden files (no golden files in this package)")

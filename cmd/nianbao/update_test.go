package main

import "flag"

// update rewrites the golden files: go test ./... -update.
var update = flag.Bool("update", false, "rewrite golden files")

// Package load measures the collection server under a simulated January
// on this machine, over loopback only: the roster's units each upload a
// report with an error, then the fixed report, then submit it, from many
// clients at once. It reports the p50/p95/max latency of upload to
// findings, the errors, and the versions lost (acknowledged but not in the
// store). It is a benchmark (make bench), never part of make test.
//
//	go test -run '^$' -bench January -benchtime 1x ./cmd/internal/org/load
//	NIANBAO_LOAD_UNITS=2000 NIANBAO_LOAD_CLIENTS=200 NIANBAO_LOAD_DB=postgres …
package load

# nianbao — two commands on a fresh machine with Go: `make demo` and `make test`.
SHELL    := /bin/bash
GO       ?= go
BIN      := bin/nianbao
OUT      := out
# A count, not a duration: with a duration, Go 1.26's fuzz coordinator can
# report a spurious "context deadline exceeded" when the time runs out on a
# busy machine (go.dev/issue/75804, fixed in Go 1.27); a count has no
# deadline to race.
FUZZTIME ?= 2000x

# Every fuzz target, as package:Target. `make fuzz` runs each for FUZZTIME
# (CI: 2000 inputs); a longer hunt: `make fuzz FUZZTIME=10m` or
# `make fuzz FUZZTIME=1000000x`.
# FuzzPipeline reaches every reader through template.Read (one input under
# each extension) plus the checker; before a release run it for an hour:
#   go test -run '^$$' -fuzz '^FuzzPipeline$$' -fuzztime 1h ./cmd/internal/batch
FUZZ_TARGETS := \
	./template/yamlfile:FuzzRead \
	./render/docx:FuzzText \
	./template/workbook:FuzzRead \
	./render/pdf:FuzzBreakLines \
	./render/pdf/internal/ttf:FuzzParse \
	./template/published:FuzzRead \
	./template/published/pdftext:FuzzRead \
	./template/roster:FuzzRead \
	./template/internal/bound:FuzzXML \
	./template/internal/bound:FuzzZip \
	./cmd/internal/batch:FuzzPipeline \
	./cmd/internal/batch:FuzzOverview \
	./cmd/internal/web:FuzzMultipart \
	./cmd/internal/web:FuzzForm

.PHONY: build test demo bench bench-batch bench-org bench-org-procs fuzz deps clean dist

build:
	$(GO) build -o $(BIN) ./cmd/nianbao

# Tools the tests call (pdftotext, LibreOffice, …): installed when missing.
deps:
	@bash .ci/deps.sh

test: deps
	@if git grep -nE '^(<<<<<<<|>>>>>>>) ' -- . ':!*.golden' 2>/dev/null; then echo "合并冲突标记未解决"; exit 1; fi
	$(GO) vet ./...
	@unformatted=$$(gofmt -l .); if [ -n "$$unformatted" ]; then echo "gofmt 需要整理：$$unformatted"; exit 1; fi
	$(GO) test -count=1 ./...
	$(MAKE) --no-print-directory fuzz

demo: build
	@rm -rf $(OUT) && mkdir -p $(OUT)
	@for f in examples/*.yaml; do \
		echo "== $$f"; \
		./$(BIN) check "$$f"; \
		./$(BIN) render -o $(OUT) "$$f" || ./$(BIN) render --draft -o $(OUT) "$$f"; \
	done
	@echo "== Excel 填报表、下一年度模板、导入与批量校验"
	./$(BIN) convert examples/chengnan-scjg-2024.yaml $(OUT)/城南县市场监督管理局2024年报告.xlsx
	./$(BIN) init --year 2025 --agency 某某局 -o $(OUT)/空白模板-2025.xlsx
	./$(BIN) init --year 2025 --from examples/chengnan-scjg-2024.yaml -o $(OUT)/城南县市场监督管理局2025年报告-模板.xlsx
	./$(BIN) batch examples --prev examples -o $(OUT)/批量校验结果 || true
	@echo "输出在 $(OUT)/"; ls -1 $(OUT)

bench:
	$(GO) test -run '^$$' -bench . -benchmem -timeout 90m ./...
	@bash .ci/bench-external.sh

# The scale benchmarks of nianbao batch alone (also part of `make bench`):
# 10,000 generated reports, check only and with rendering in all formats;
# each prints reports/s and the peak RSS. Targets on the 2-core machine:
# ≥ 500 reports/s, ≥ 100 reports/s with rendering, peak RSS ≤ 300 MB.
# A smaller corpus: make bench-batch NIANBAO_BENCH_N=2000
NIANBAO_BENCH_N ?= 10000
bench-batch:
	NIANBAO_BENCH_N=$(NIANBAO_BENCH_N) $(GO) test -run '^$$' -bench '^BenchmarkBatch' -benchtime 1x -v ./cmd/internal/batch

# The collection server under a simulated January, over loopback (also part
# of `make bench`): 2,000 units, 200 clients at once, each unit uploading a
# report with an error, the fixed one, and submitting, paced over ten
# minutes; prints the p50/p95/max latency of upload to findings (target
# p95 ≤ 300 ms), errors and lost versions (target 0 and 0). Smaller or
# unpaced: make bench-org NIANBAO_LOAD_UNITS=200 NIANBAO_LOAD_SECONDS=0;
# on PostgreSQL: NIANBAO_LOAD_DB=postgres; NIANBAO_LOAD_PROCS=2 runs the
# built binary as 2 server processes on the one database (bench-org-procs).
bench-org:
	$(GO) test -run '^$$' -bench '^BenchmarkJanuary$$' -benchtime 1x -timeout 60m -v ./cmd/internal/org/load

# The same January against 2 server processes behind one PostgreSQL.
bench-org-procs:
	NIANBAO_LOAD_DB=postgres NIANBAO_LOAD_PROCS=$${NIANBAO_LOAD_PROCS:-2} $(MAKE) bench-org

fuzz:
	@set -e; for t in $(FUZZ_TARGETS); do \
		pkg=$${t%%:*}; name=$${t##*:}; \
		echo "fuzz $$pkg $$name ($(FUZZTIME))"; \
		$(GO) test -run '^$$' -fuzz "^$$name\$$" -fuzztime $(FUZZTIME) "$$pkg"; \
	done

# Release binaries for the office: pure Go (no cgo), one file each, with
# SHA256SUMS. Windows staff download nianbao.exe and double-click it.
DIST      := dist
PLATFORMS := windows/amd64 linux/amd64 linux/arm64 linux/loong64 darwin/arm64
dist:
	@rm -rf $(DIST) && mkdir -p $(DIST)
	@set -e; for p in $(PLATFORMS); do \
		os=$${p%/*}; arch=$${p#*/}; \
		if [ $$os = windows ]; then out=$(DIST)/nianbao.exe; else out=$(DIST)/nianbao-$$os-$$arch; fi; \
		echo "build $$out"; \
		CGO_ENABLED=0 GOOS=$$os GOARCH=$$arch $(GO) build -trimpath -ldflags "-s -w" -o $$out ./cmd/nianbao; \
	done
	@cd $(DIST) && sha256sum nianbao* > SHA256SUMS && cat SHA256SUMS

clean:
	rm -rf bin $(OUT) $(DIST)

# nianbao — two commands on a fresh machine with Go: `make demo` and `make test`.
SHELL    := /bin/bash
GO       ?= go
BIN      := bin/nianbao
OUT      := out
FUZZTIME ?= 3s

# Every fuzz target, as package:Target. `make fuzz` runs each for FUZZTIME
# (CI: 3s); a longer hunt: `make fuzz FUZZTIME=10m`.
FUZZ_TARGETS := \
	./template/yamlfile:FuzzRead \
	./render/docx:FuzzText \
	./template/workbook:FuzzRead \
	./render/pdf:FuzzBreakLines \
	./render/pdf/internal/ttf:FuzzParse \
	./template/published:FuzzRead

.PHONY: build test demo bench fuzz deps clean

build:
	$(GO) build -o $(BIN) ./cmd/nianbao

# Tools the tests call (pdftotext, LibreOffice, …): installed when missing.
deps:
	@bash .ci/deps.sh

test: deps
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
	@echo "输出在 $(OUT)/"; ls -1 $(OUT)

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...
	@bash .ci/bench-external.sh

fuzz:
	@set -e; for t in $(FUZZ_TARGETS); do \
		pkg=$${t%%:*}; name=$${t##*:}; \
		echo "fuzz $$pkg $$name ($(FUZZTIME))"; \
		$(GO) test -run '^$$' -fuzz "^$$name\$$" -fuzztime $(FUZZTIME) "$$pkg"; \
	done

clean:
	rm -rf bin $(OUT)

# The two commands a newcomer needs: `make demo` and `make test`.
GO          ?= go
BIN         := bin/grader
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2
GINKGO      := github.com/onsi/ginkgo/v2/ginkgo

.PHONY: all build deps test unit selftest demo bench lint clean

all: build

build:
	$(GO) build -o $(BIN) ./grader

# Installs what the fixtures need (Debian packages) when it is missing.
deps:
	@bash .ci/deps

# Unit and integration specs (ginkgo), then every fixture through selftest.
test: deps build unit selftest

unit:
	$(GO) test -count=1 ./...

selftest: build
	./$(BIN) selftest

# Grades a bundled good and a bundled bad submission with the built-in
# exercises; the second one is expected to lose points.
demo: build
	@echo "== a correct TCP echo server (the lab sheet's Python program) =="
	./$(BIN) check echo-tcp-server fixtures/submissions/echo-tcp-server/seed-python --ports free
	@echo
	@echo "== a server that forgets the \" OK\" (expected to fail, with feedback) =="
	-./$(BIN) check echo-tcp-server fixtures/submissions/echo-tcp-server/no-ok --ports free
	@echo
	@echo "== a C client for the UDP echo exercise =="
	./$(BIN) check echo-udp-client fixtures/submissions/echo-udp-client/c --ports free
	@echo
	@echo "== a CRC-8 client with the wrong polynomial, reported in French (expected to fail) =="
	-./$(BIN) check crc8-client fixtures/submissions/crc8-client/poly-07 --ports free --lang fr

# Go benchmarks, then the overhead report (grader time beyond the
# submission's own run, cold start).
bench: build
	$(GO) test -run '^$$' -bench . -benchmem ./grader/... ./reference/...
	$(GO) run ./grader/benchcmd -grader ./$(BIN)

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	# fixtures/ are student solutions, not the project's code
	$(GO) run $(STATICCHECK) $$($(GO) list ./... | grep -v /fixtures/)

clean:
	rm -rf bin

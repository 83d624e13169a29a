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

# The sandbox specs run twice: with Spawn (cgo, the default) and with the
# Go launcher that a build without cgo uses.
unit:
	$(GO) test -count=1 -timeout 30m ./...
	CGO_ENABLED=0 $(GO) test -count=1 ./grader/sandbox/

# The hostile corpus names its exercises: the others have no fixture there.
selftest: build
	./$(BIN) selftest
	./$(BIN) selftest --fixtures fixtures/hostile $(notdir $(patsubst %/,%,$(wildcard fixtures/hostile/*/)))

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
# submission's own run, cold start, batch throughput) and the reference
# HTTP server's keep-alive throughput next to nginx's under wrk (both
# installed with apt-get when missing and run as root; skipped otherwise).
bench: build
	$(GO) test -run '^$$' -bench . -benchmem ./grader/... ./reference/...
	$(GO) run ./grader/benchcmd -grader ./$(BIN)

# Every fuzz target (func FuzzXxx in grader/ and reference/), one at a
# time for FUZZTIME each (go test -fuzz takes one package and one target);
# fails when any finds a failing input, which go test saves under that
# package's testdata/fuzz/FuzzXxx/: keep it there as a regression input.
# FUZZTIME is a count of inputs, not a duration: with a duration, Go 1.26's
# fuzzing coordinator can report its own deadline as a failure ("context
# deadline exceeded", no input saved) when a worker is busy as the time
# runs out (golang/go#75804, fixed in Go 1.27). FUZZTIMEOUT bounds each
# target's wall time all the same.
FUZZTIME ?= 30000x
FUZZTIMEOUT ?= 10m
fuzz:
	@failed=; \
	for f in $$(grep -rl --include='*_test.go' '^func Fuzz' grader reference | sort); do \
		pkg=./$$(dirname $$f); \
		for name in $$(sed -n 's/^func \(Fuzz[A-Za-z0-9_]*\)(.*/\1/p' $$f); do \
			echo "== $$pkg $$name ($(FUZZTIME))"; \
			$(GO) test -run '^$$' -fuzz "^$$name\$$" -fuzztime $(FUZZTIME) -timeout $(FUZZTIMEOUT) $$pkg || failed="$$failed $$pkg:$$name"; \
		done; \
	done; \
	if [ -n "$$failed" ]; then echo "fuzz: failing inputs found by:$$failed"; exit 1; fi; \
	echo "fuzz: no failing input"

# selftest STRESS_RUNS times with the CPU oversubscribed 2x by busy
# processes; fails on a fixture whose verdict is not the same in every run
# (STRESS_EXERCISES="id ..." limits it to some exercises).
STRESS_RUNS ?= 20
stress: build
	$(GO) run ./grader/stresscmd -grader ./$(BIN) -runs $(STRESS_RUNS) -jobs 2 -load 2 $(STRESS_EXERCISES)

.PHONY: fuzz stress

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	# fixtures/ are student solutions, not the project's code
	$(GO) run $(STATICCHECK) $$($(GO) list ./... | grep -v /fixtures/)

clean:
	rm -rf bin

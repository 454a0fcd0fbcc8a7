# coldbench: serverless function or always-on server? Measured.
#
#   make bench                      run scenarios/default.yaml, write reports/<run-id>/
#   make bench SCENARIO=scenarios/x.yaml
#   make bench SANDBOX=process      where Lambda environments run: auto (default), container, process
#                                   (RUNTIME= is its old name, still read)
#   make test                       vet and test everything (needs a Docker engine for container tests)
#   make test ARTIFACTS=dir         also keep the tests' artifacts (pages, screenshots) under dir/_artifacts
#                                   (make test ends with 10,000 inputs of every fuzz target, FUZZSHORT=10000x)
#   make fuzz                       each fuzz target for FUZZTIME (default 10m), one after another
#   make bench-harness              the harness's own overhead: coldbench vs bare vegeta at the maximum rate
#   make screenshot                 the README's picture, docs/report.png, from reports/latest (after make bench)

GO       ?= go
SCENARIO ?= scenarios/default.yaml
SANDBOX  ?= $(RUNTIME)
RUNTIME  ?=
ARTIFACTS ?=
BIN      := bin
# Fuzz targets, as package:Target; go test -fuzz takes one at a time.
FUZZ := bench/kinds/all:FuzzParse bench/scenario:FuzzObjective bench/scenario:FuzzCost \
        bench/scenario:FuzzRequest bench/scenario:FuzzTargets \
        targets/lambda:FuzzNewEvent targets/lambda:FuzzParseResponse targets/function:FuzzInvoke
# A count, not a duration: with a duration, Go 1.26's fuzz coordinator can
# fail a clean run with "context deadline exceeded" as its deadline
# passes (golang/go#75804, fixed in Go 1.27); a count has no deadline.
FUZZSHORT    ?= 10000x
FUZZTIME     ?= 10m
FUZZPARALLEL ?= 1

# fuzz-each runs every target of FUZZ for $(1). A failing input is written
# to the package's testdata/fuzz/<Target>/, where go test replays it.
define fuzz-each
	@set -e; for t in $(FUZZ); do \
		pkg=$${t%%:*}; fn=$${t##*:}; echo "fuzz $$fn in ./$$pkg for $(1)"; \
		$(GO) test -run '^$$' -fuzz "^$$fn\$$" -fuzztime $(1) -parallel $(FUZZPARALLEL) ./$$pkg; \
	done
endef

.PHONY: bench test vet build clean bench-harness fuzz screenshot

bench: build
	./$(BIN)/coldbench run -bin $(BIN) $(if $(SANDBOX),-sandbox $(SANDBOX)) $(SCENARIO)

bench-harness:
	BIN=$(BIN) GO=$(GO) scripts/bench-harness.sh

screenshot:
	scripts/screenshot.sh

build:
	$(GO) build -o $(BIN)/coldbench ./bench/cmd/coldbench

# Tests that run coldbench run do not raise the session's CPU priority
# (COLDBENCH_PRIORITY=0): parallel test processes would race to restore it.
# Packages are tested one at a time (-p 1): many start real RIEs,
# containers and servers and judge cold starts, throttles and timing, and
# on two cores two such packages at once made their environments wait more
# for the CPU than they ran (host wait 60-97% of their latency in CI's
# log), failing a different few of them in each of four CI runs; one at a
# time they pass. It costs about 4 minutes.
TESTARGS  = -p 1 -count=1 -timeout 25m $(if $(ARTIFACTS),-artifacts -outputdir $(abspath $(ARTIFACTS)))
test: vet
	$(if $(ARTIFACTS),mkdir -p $(ARTIFACTS))
	COLDBENCH_PRIORITY=0 $(GO) test $(TESTARGS) ./...
	$(call fuzz-each,$(FUZZSHORT))

fuzz:
	$(call fuzz-each,$(FUZZTIME))

vet:
	$(GO) vet ./...

clean:
	rm -rf $(BIN)

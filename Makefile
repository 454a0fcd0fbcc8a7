# coldbench: serverless function or always-on server? Measured.
#
#   make bench                      run scenarios/default.yaml, write reports/<run-id>/
#   make bench SCENARIO=scenarios/x.yaml
#   make bench RUNTIME=process      where Lambda environments run: auto (default), container, process
#   make test                       vet and test everything (needs a Docker engine for container tests)
#   make test ARTIFACTS=dir         also keep the tests' artifacts (pages, screenshots) under dir/_artifacts
#   make bench-harness              the harness's own overhead: coldbench vs bare vegeta at the maximum rate

GO       ?= go
SCENARIO ?= scenarios/default.yaml
RUNTIME  ?=
ARTIFACTS ?=
BIN      := bin

.PHONY: bench test vet build clean bench-harness

bench: build
	./$(BIN)/coldbench run -bin $(BIN) $(if $(RUNTIME),-runtime $(RUNTIME)) $(SCENARIO)

bench-harness:
	BIN=$(BIN) GO=$(GO) scripts/bench-harness.sh

build:
	$(GO) build -o $(BIN)/coldbench ./bench

test: vet
	$(if $(ARTIFACTS),mkdir -p $(ARTIFACTS))
	$(GO) test -count=1 -timeout 25m $(if $(ARTIFACTS),-artifacts -outputdir $(abspath $(ARTIFACTS))) ./...

vet:
	$(GO) vet ./...

clean:
	rm -rf $(BIN)

# coldbench: serverless function or always-on server? Measured.
#
#   make bench                      run scenarios/default.yaml, write reports/<run-id>/
#   make bench SCENARIO=scenarios/x.yaml
#   make test                       vet and test everything (needs a Docker engine for container tests)

GO       ?= go
SCENARIO ?= scenarios/default.yaml
BIN      := bin

.PHONY: bench test vet build clean

bench: build
	./$(BIN)/coldbench run -bin $(BIN) $(SCENARIO)

build:
	$(GO) build -o $(BIN)/coldbench ./bench

test: vet
	$(GO) test -count=1 -timeout 25m ./...

vet:
	$(GO) vet ./...

clean:
	rm -rf $(BIN)

# ICS Graph. `make run` serves the API on real data; `make test` passes the tests.
# Both use the Neo4j at NEO4J_URI when set, else start a local one (scripts/neo4j.sh).

GO ?= go
export NEO4J_BOLT_PORT ?= 7687

.PHONY: run test fuzz seed generate check-generate vet bench bench-compare neo4j-start neo4j-stop neo4j-status clean

## run: start Neo4j if needed, load the bundled dataset into an empty database, serve on :8080
run:
	@scripts/with-neo4j.sh keep -- sh -c '$(GO) run ./seed -if-empty && $(GO) run ./server'

## test: start Neo4j if needed, check generated code, vet, and run every test against it; stop what it started
test:
	@scripts/with-neo4j.sh stop -- sh -c '$(MAKE) --no-print-directory check-generate vet && $(GO) run ./seed -if-empty -quiet && $(GO) test -p 1 -count=1 ./... && $(MAKE) --no-print-directory fuzz'

## fuzz: run each fuzz target briefly (FUZZTIME each, 8s by default: 32s in all); seeds in graph/testdata/fuzz
FUZZTIME ?= 8s
FUZZ_TARGETS = FuzzDecodeBody FuzzScanQuery FuzzCost FuzzHandler
fuzz:
	@for f in $(FUZZ_TARGETS); do \
		$(GO) test -run '^$$' -fuzz "^$$f\$$" -fuzztime $(FUZZTIME) -parallel 2 ./graph || exit 1; \
	done

## seed: (re)load the bundled dataset
seed:
	@scripts/with-neo4j.sh keep -- $(GO) run ./seed -reset

## generate: regenerate gqlgen code from the schema
generate:
	$(GO) generate ./...

## check-generate: fail when regenerating would change the generated code (or the resolver stubs gqlgen rewrites)
GENERATED = graph/generated.go graph/model/models_gen.go $(wildcard graph/*.resolvers.go)
check-generate:
	@before=$$(cat $(GENERATED) | sha256sum); \
	$(GO) generate ./... && \
	after=$$(cat $(GENERATED) | sha256sum); \
	[ "$$before" = "$$after" ] || { echo "generated code was stale: 'make generate' has rewritten it; review and commit"; exit 1; }

vet:
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { echo "gofmt needed:"; gofmt -l $$(git ls-files '*.go'); exit 1; }
	$(GO) vet ./...

## bench: benchmarks that print numbers (load, API, traversals)
bench:
	@scripts/with-neo4j.sh stop -- sh -c '$(GO) run ./seed -if-empty -quiet && $(GO) test -p 1 -run "^$$" -bench . -benchmem ./...'

## bench-compare: ICS Graph side by side with @neo4j/graphql and raw Cypher, and at ×10/×100 scale (bench/README.md)
bench-compare:
	@scripts/with-neo4j.sh stop -- sh -c '$(GO) run ./seed -if-empty -quiet && bench/run.sh'

neo4j-start:
	@scripts/neo4j.sh start
neo4j-stop:
	@scripts/neo4j.sh stop
neo4j-status:
	@scripts/neo4j.sh status

clean: neo4j-stop
	rm -rf .neo4j bin

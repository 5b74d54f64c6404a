# ICS Graph. `make run` serves the API on real data; `make test` passes the tests.
# Both use the Neo4j at NEO4J_URI when set, else start a local one (scripts/neo4j.sh).

GO ?= go
export NEO4J_BOLT_PORT ?= 7687

.PHONY: data data-check data-report run test golden fuzz test-deps web frontend-types check-web seed bin/seed generate check-generate vet bench bench-compare neo4j-start neo4j-stop neo4j-status clean

## data: rebuild seed/data from the sources manifest (seed/sources/manifest.json), the raw files in RAW_DIR
## and the curated tables (seed/curated); every raw file must match its manifest row (checksum), else nothing is written
RAW_DIR ?= ../shared/data/raw
data:
	$(GO) run ./seed/convert -manifest seed/sources/manifest.json -raw $(RAW_DIR) -curated seed/curated -out seed/data

## data-report: print what this release changes on and after the manifest's release_since (opened, closed,
## merged, split, re-parented, renamed, unused succession rows), from seed/data; the converter also writes it to
## seed/data/change_report.txt, which the loader puts on the Release node (API: release { changeReport })
data-report:
	@$(GO) run ./seed/convert -manifest seed/sources/manifest.json -report seed/data

## data-check: fail when seed/data differs from what `make data` produces
data-check: data
	@git diff --quiet --exit-code -- seed/data || { echo "seed/data was stale: 'make data' has rebuilt it; review and commit"; git diff --stat -- seed/data; exit 1; }

## run: start Neo4j if needed, load the bundled dataset when no complete release is loaded, serve on :8080
run: bin/seed
	@scripts/with-neo4j.sh keep -- bin/seed -if-empty
	@scripts/with-neo4j.sh keep -- $(GO) run ./server

## test: start Neo4j if needed, check generated code, vet, and run every test against it; stop what it started
test:
	@scripts/with-neo4j.sh stop -- sh -c '$(MAKE) --no-print-directory check-generate vet && $(GO) run ./seed -if-empty -quiet && $(GO) test -p 1 -count=1 ./... && $(MAKE) --no-print-directory fuzz'

## golden: rewrite the golden statements (graph/testdata/statements: each query's exact Cypher and parameters, compiled without a database); review the diff
golden:
	$(GO) test -count=1 -run '^TestGoldenStatements$$' ./graph -update

## fuzz: run each fuzz target briefly (FUZZTIME each, 8s by default: 48s in all); each target is package:Name,
## seeds in that package's testdata/fuzz (the request decoder, query scanner, cost walker and handler in
## internal/gqlhttp; the answer writer's string quoting and float formatting in graph)
FUZZTIME ?= 8s
FUZZ_TARGETS = ./internal/gqlhttp:FuzzDecodeBody ./internal/gqlhttp:FuzzScanQuery ./internal/gqlhttp:FuzzCost ./internal/gqlhttp:FuzzHandler ./graph:FuzzQuote ./graph:FuzzFloat
fuzz:
	@for t in $(FUZZ_TARGETS); do \
		pkg=$${t%%:*}; f=$${t#*:}; \
		$(GO) test -run '^$$' -fuzz "^$$f\$$" -fuzztime $(FUZZTIME) -parallel 2 $$pkg || exit 1; \
	done

## test-deps: install what the page and export tests need (Chromium from Debian, pinned NetworkX from PyPI)
test-deps:
	@scripts/test-deps.sh

## web: rebuild the browser pages (web/dist: GraphiQL, /explore, /map, the typed client example, LICENSES.txt) from npm at the versions in web/package-lock.json
web:
	cd web && npm ci --no-audit --no-fund --ignore-scripts && $(MAKE) --no-print-directory -C .. frontend-types && node build.mjs

## frontend-types: GraphQL Code Generator (graphql.config.yml, project frontend) writes the typed client example's types; tsc checks the example
frontend-types:
	cd web && NODE_PATH=$$PWD/node_modules node_modules/.bin/graphql-codegen --config ../graphql.config.yml --project frontend --silent && node node_modules/typescript/bin/tsc -p ../examples/frontend/tsconfig.json

## check-web: fail when web/dist or the example's generated types differ from a fresh `make web` (the build is deterministic)
check-web: web
	@git diff --quiet --exit-code -- web/dist examples/frontend/src/generated || { echo "web/dist or examples/frontend/src/generated was stale: 'make web' has rebuilt it; review and commit"; git diff --stat -- web/dist examples/frontend/src/generated; exit 1; }
	@test -z "$$(git status --porcelain --untracked-files=all -- web/dist examples/frontend/src/generated)" || { echo "new files in web/dist or examples/frontend/src/generated: review and commit"; git status --short -- web/dist examples/frontend/src/generated; exit 1; }

## seed: load the bundled dataset as a new release; the API serves the previous one until it is complete.
## The loader is exec'd (no `go run` in between), so Ctrl-C or SIGTERM to make stops the load.
seed: bin/seed
	@scripts/with-neo4j.sh keep -- bin/seed

bin/seed:
	@$(GO) build -o bin/seed ./seed

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

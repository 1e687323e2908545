# Amiable: two commands on a fresh machine. Each installs what is missing first (.ci/setup.sh).
.PHONY: run test bench soak setup

run:    ## Build and run the portal with demo data on SQLite (http://127.0.0.1:3000)
	@bash .ci/setup.sh
	@bash .ci/run-demo.sh

test:   ## Build once, then run every test: unit, storage on SQLite and PostgreSQL, HTTP, browser
	@bash .ci/setup.sh
	@bash .ci/test.sh

bench:  ## Release build: Wasm per page and by crate, the statement under load, a soak, Lighthouse, PostgreSQL pair
	@bash .ci/setup.sh --bench
	@bash .ci/bench.sh

RUNS ?= 20
soak:   ## Run the integration suite RUNS times (default 20) against long-lived services; count hangs
	@bash .ci/setup.sh
	@RUNS=$(RUNS) bash .ci/soak.sh

setup:
	@bash .ci/setup.sh

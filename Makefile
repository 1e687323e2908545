# Amiable: two commands on a fresh machine. Each installs what is missing first (.ci/setup.sh).
.PHONY: run test bench setup

run:    ## Build and run the portal with demo data on SQLite (http://127.0.0.1:3000)
	@bash .ci/setup.sh
	@bash .ci/run-demo.sh

test:   ## Build once, then run every test: unit, storage on SQLite and PostgreSQL, HTTP, browser
	@bash .ci/setup.sh
	@bash .ci/test.sh

bench:  ## Seed 10,000 debtors / 500,000 invoices and measure the statement page (release build)
	@bash .ci/setup.sh
	@bash .ci/bench.sh

setup:
	@bash .ci/setup.sh

# newsgraph — the README's commands.
DB ?= data/newsgraph.db
ADDR ?= 127.0.0.1:8000
CARGO ?= cargo

.PHONY: run build test lint fmt schema bench crash-test model model-check eval eval-floor clean

## Build, ingest seed/ into the embedded store, serve API + playground.
run: build
	./target/release/newsgraph ingest seed --db $(DB)
	./target/release/newsgraph serve --db $(DB) --addr $(ADDR)

build:
	$(CARGO) build --release --locked

## Format check, clippy -D warnings, unit and end-to-end tests.
test: lint
	$(CARGO) test --workspace --locked

lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets --locked -- -D warnings

fmt:
	$(CARGO) fmt --all

## Regenerate schema/schema.graphql from the code.
schema:
	$(CARGO) run --quiet --locked -- schema > schema/schema.graphql

## Benchmarks (figures, not tests): extraction words/s on a synthetic corpus;
## ingest, reopen, disk and memory at SCALE_ARTICLES (100,000) articles;
## GraphQL latency (concurrency 1) and requests/s (concurrency 64) on a
## store of LOAD_ARTICLES articles, LOAD_SECONDS per query type.
SCALE_ARTICLES ?= 100000
LOAD_ARTICLES ?= 100000
LOAD_SECONDS ?= 60
bench:
	$(CARGO) bench -p newsgraph-ingest --bench extract
	$(CARGO) bench --locked -p newsgraph-syntax --bench parse
	SCALE_ARTICLES=$(SCALE_ARTICLES) $(CARGO) bench --locked -p newsgraph --bench ingest_scale
	$(CARGO) bench --locked -p newsgraph --bench load -- --articles $(LOAD_ARTICLES) --seconds $(LOAD_SECONDS)

## The crash test at full length: 100 SIGKILLs during ingest, each followed
## by a reopen and every invariant (`make test` runs 10).
crash-test:
	CRASH_CYCLES=100 $(CARGO) test --release --locked -p newsgraph --test crash -- --nocapture

## Extraction quality on the evaluation sets in ../shared (seed, news-dev,
## PolNeAR dev): prints P/R/F1 per set and relation, writes target/eval/eval.json
## and keeps each set's export and scorer report in target/eval/; fails if any
## F1 fell below its floor in eval/floor.json. eval-floor records today's
## figures as the floor, after a deliberate improvement.
SHARED ?= ../shared
PYTHON ?= python3
eval: build
	$(PYTHON) scripts/eval.py --shared $(SHARED) --check eval/floor.json --keep target/eval

eval-floor: build
	$(PYTHON) scripts/eval.py --shared $(SHARED) --write-floor eval/floor.json --keep target/eval

## Retrain the tagger and parser from ../shared/treebanks (about seven minutes on
## two cores) into crates/syntax/model/en_ewt.ngsm; model-check retrains into
## target/ and checks that it is byte for byte the committed model.
TREEBANKS ?= ../shared/treebanks
model:
	$(CARGO) run --release --locked -p newsgraph-syntax --example train -- $(TREEBANKS)/ud-english-ewt \
		--report $(TREEBANKS)/ud-english-pud/en_pud-ud-test.conllu

model-check:
	$(CARGO) run --release --locked -p newsgraph-syntax --example train -- $(TREEBANKS)/ud-english-ewt \
		--out target/en_ewt.check.ngsm
	cmp target/en_ewt.check.ngsm crates/syntax/model/en_ewt.ngsm && echo "the committed model is reproduced bit for bit"

clean:
	$(CARGO) clean
	rm -rf data

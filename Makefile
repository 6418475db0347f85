# The README's commands: `make run` (train, evaluate and report SimVAE on Fashion-MNIST) and `make test`.
SWIFT ?= swift
RUN_DIR ?= runs/simvae-fashion-mnist
SIMVAE := .build/release/simvae
# Idle OpenMP threads spin briefly, then sleep (the `simvae` binary sets this itself; tests need it here).
export OMP_WAIT_POLICY ?= PASSIVE
export GOMP_SPINCOUNT ?= 10000

.PHONY: run test bench bootstrap build

bootstrap:
	@scripts/bootstrap

build: bootstrap
	$(SWIFT) build -c release --product simvae

# SimVAE with the paper's J = 10 views for 2 epochs (about 6 minutes of training on 2 cores), then every probe.
# Re-running reuses a finished run and resumes an interrupted one.
run: build
	$(SIMVAE) train --method simvae --dataset fashion-mnist --run $(RUN_DIR) --epochs 2 --resume
	$(SIMVAE) eval --run $(RUN_DIR)
	$(SIMVAE) report --runs $(RUN_DIR) --out $(RUN_DIR)/report.html --markdown $(RUN_DIR)/table.md
	@echo "Report: $(abspath $(RUN_DIR))/report.html"

# Tests run one at a time: libtorch's random generator is process-wide, and tests that seed it (resume equals
# an uninterrupted run, same seed gives the same batch) must not interleave with others drawing from it.
test: bootstrap
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --no-parallel

bench: build
	$(SIMVAE) bench

# The README's commands: `make run` (train, evaluate and report SimVAE on Fashion-MNIST) and `make test`.
SWIFT ?= swift
RUN_DIR ?= runs/simvae-fashion-mnist
SIMVAE := .build/release/simvae
# Idle OpenMP threads spin briefly, then sleep (the `simvae` binary sets this itself; tests need it here).
export OMP_WAIT_POLICY ?= PASSIVE
export GOMP_SPINCOUNT ?= 10000

.PHONY: run test fuzz bench bootstrap build test-libtorch2

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
# The command-line, fuzz and fault tests drive the release binary, so it is built first; they include a
# 250-case fuzz campaign and the fault tests (SimVAEFaultTests, about 3 minutes).
test: build
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --no-parallel

# The whole fuzz and fault campaign (FUZZ_CASES generated bad inputs, seeded by FUZZ_SEED, two at a time; about
# 30-40 minutes for 5 000 on 2 cores). Prints each failure's reproduction and one summary line; the full test
# log is in .build/fuzz/test.log, the failures in .build/fuzz/report.txt.
FUZZ_CASES ?= 5000
FUZZ_SEED ?= 20261201
fuzz: build
	$(SWIFT) build --build-tests
	@mkdir -p .build/fuzz
	@echo "fuzz: running $(FUZZ_CASES) cases and the fault tests (log: .build/fuzz/test.log)"
	@SIMVAE_FUZZ_CASES=$(FUZZ_CASES) SIMVAE_FUZZ_SEED=$(FUZZ_SEED) \
		$(SWIFT) test --skip-build --no-parallel --filter SimVAEFaultTests > .build/fuzz/test.log 2>&1; \
		status=$$?; grep -E '^(fuzz|fault|    |skipped)' .build/fuzz/test.log; exit $$status

bench: build
	$(SIMVAE) bench

# The whole suite against the libtorch inside PyPI's torch wheel (2.x, C++20, CUDA) instead of Debian's 1.13, built
# into its own folder. TORCH_VENV is reused when its python imports torch (TORCH_VENV=/path/to/venv for one you have),
# else created and `pip install $(TORCH_SPEC)` run in it (several GB: the wheel brings CUDA).
LIBTORCH2_BUILD ?= .build-libtorch2
TORCH_VENV ?= $(LIBTORCH2_BUILD)/venv
TORCH_SPEC ?= torch
LIBTORCH2_ENV = LIBTORCH_USE_PYTORCH=1 PYTHON=$(abspath $(TORCH_VENV))/bin/python
test-libtorch2:
	@[ -x $(TORCH_VENV)/bin/python ] || python3 -m venv $(TORCH_VENV)
	@$(TORCH_VENV)/bin/python -c 'import torch' 2>/dev/null || $(TORCH_VENV)/bin/pip install $(TORCH_SPEC)
	$(LIBTORCH2_ENV) $(SWIFT) build -c release --scratch-path $(LIBTORCH2_BUILD) --product simvae
	$(LIBTORCH2_ENV) $(SWIFT) build --scratch-path $(LIBTORCH2_BUILD) --build-tests
	$(LIBTORCH2_ENV) SIMVAE_BINARY=$(abspath $(LIBTORCH2_BUILD))/release/simvae \
		$(SWIFT) test --skip-build --no-parallel --scratch-path $(LIBTORCH2_BUILD)

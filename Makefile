# skiff — build, test, bench, up, down.
SHELL := /bin/bash
GO ?= go
PKGS := github.com/skiff-dev/skiff/...
OUT := _output/bin
# binary:module folder
BINARIES := kube-apiserver:apiserver kube-scheduler:scheduler \
	kube-controller-manager:controller-manager \
	cloud-controller-manager:cloud-controller-manager \
	kubelet:kubelet kube-proxy:kube-proxy

.PHONY: all build test deps vet fmt-check unit integration e2e bench up down clean

all: build

build:
	@mkdir -p $(OUT)
	@for b in $(BINARIES); do \
		bin=$${b%%:*}; dir=$${b##*:}; \
		echo "go build $$bin"; \
		$(GO) build -o $(OUT)/$$bin ./$$dir || exit 1; \
	done

# Everything CI runs: static checks, unit tests under the race detector, then
# the integration and end-to-end suites.
test: deps vet fmt-check unit integration e2e

# Installs the Debian packages the tests need when they are missing.
deps:
	@hack/install-deps.sh

vet:
	$(GO) vet $(PKGS)

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

unit:
	$(GO) test -race -count=1 $(PKGS)

integration:
	@echo "integration: no suites yet (they arrive with kube-apiserver)"

e2e:
	@echo "e2e: no suites yet (they arrive with kube-apiserver)"

# Benchmarks print one JSON line per figure.
bench:
	@hack/bench.sh

up:
	@hack/up.sh

down:
	@hack/down.sh

clean:
	rm -rf _output

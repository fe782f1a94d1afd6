# skiff — build, test, bench, up, down.
SHELL := /bin/bash
GO ?= go
PKGS := github.com/skiff-dev/skiff/...
# Unit and integration tests live beside the code; test/ holds the suites
# that run whole binaries.
UNIT_PKGS = $(shell $(GO) list $(PKGS) | grep -v '^github.com/skiff-dev/skiff/test')
OUT := _output/bin
# binary:module folder
BINARIES := kube-apiserver:apiserver kube-scheduler:scheduler \
	kube-controller-manager:controller-manager \
	cloud-controller-manager:cloud-controller-manager \
	kubelet:kubelet kube-proxy:kube-proxy

.PHONY: all build test deps vet fmt-check unit integration e2e bench up down clean

all: build

VERSION ?= $(shell git describe --tags 2>/dev/null || echo v0.1.0-dev)
COMMIT ?= $(shell git rev-parse HEAD 2>/dev/null || echo unknown)
LDFLAGS := -X github.com/skiff-dev/skiff/internal/version.gitVersion=$(VERSION) \
	-X github.com/skiff-dev/skiff/internal/version.gitCommit=$(COMMIT)

build:
	@mkdir -p $(OUT)
	@for b in $(BINARIES); do \
		bin=$${b%%:*}; dir=$${b##*:}; \
		echo "go build $$bin"; \
		CGO_ENABLED=0 $(GO) build -ldflags "$(LDFLAGS)" -o $(OUT)/$$bin ./$$dir || exit 1; \
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

# Unit tests and the integration tests beside the code (against fakeapi
# over real HTTP), under the race detector.
unit:
	$(GO) test -race -count=1 $(UNIT_PKGS)

# Integration suites against real etcd arrive with kube-apiserver.
integration:
	@true

# The six binaries built, started as processes, probed and stopped; the
# real kubectl against the apiserver; upstream's daemons against it
# (test/interop builds them from the module proxy first: minutes).
e2e:
	$(GO) test -count=1 -timeout 40m github.com/skiff-dev/skiff/test/...

# Benchmarks print one JSON line per figure.
bench:
	@hack/bench.sh

up:
	@hack/up.sh

down:
	@hack/down.sh

clean:
	rm -rf _output

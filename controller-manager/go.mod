module github.com/skiff-dev/skiff/controller-manager

go 1.26.8

require (
	github.com/skiff-dev/skiff/internal v0.0.0
	github.com/spf13/cobra v1.10.2
)

require (
	github.com/inconshreveable/mousetrap v1.1.0 // indirect
	github.com/spf13/pflag v1.0.10 // indirect
)

replace github.com/skiff-dev/skiff/internal => ../internal

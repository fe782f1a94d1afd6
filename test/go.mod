module github.com/skiff-dev/skiff/test

go 1.26.8

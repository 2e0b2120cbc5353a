//go:build tools

// Package tools records the build target so that `go mod tidy` keeps its
// dependencies. Build with: go build go.etcd.io/etcd/server/v3
package tools

import _ "go.etcd.io/etcd/server/v3"

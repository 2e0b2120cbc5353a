//go:build tools

// Package tools records the build target so that `go mod tidy` keeps its
// dependencies. Build with: go build k8s.io/kubernetes/cmd/kube-apiserver
package tools

import _ "k8s.io/kubernetes/cmd/kube-apiserver"

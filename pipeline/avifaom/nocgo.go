//go:build !cgo

package avifaom

// Package avifaom calls libaom through cgo. Without cgo this undefined name
// makes the build fail with a message that says what is missing.
var _ = avifaom_needs_CGO_ENABLED_1_and_libaom_dev_installed

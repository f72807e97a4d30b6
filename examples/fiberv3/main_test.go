package main

import (
	"testing"

	"github.com/imgcdn/imgcdn/examples/internal/demotest"
)

func TestServer(t *testing.T) { demotest.Server(t, run) }

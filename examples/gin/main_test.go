package main

import (
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/imgcdn/imgcdn/examples/internal/demotest"
)

func TestServer(t *testing.T) {
	gin.SetMode(gin.TestMode)
	demotest.Server(t, run)
}

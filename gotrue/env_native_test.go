//go:build !js

package gotrue_test

import (
	"testing"

	"github.com/gotrue-wasm/gotrue-wasm/gotrue"
	"github.com/gotrue-wasm/gotrue-wasm/gotrue/gotruetest"
)

// newServerEnv starts a fresh gotruetest server for the test. In the
// browser build the same tests run against a server started by make.
func newServerEnv(t *testing.T) *serverEnv {
	t.Helper()
	ts := gotruetest.NewServer(t, func(c *gotruetest.Config) { c.OperatorToken = "operator-secret" })
	return &serverEnv{
		URL:           ts.URL,
		OperatorToken: "operator-secret",
		server:        ts.Server,
		newStorage:    func() gotrue.Storage { return &gotrue.MemoryStorage{} },
		transport:     &gotrue.HTTPTransport{},
		mails:         func(t *testing.T) []gotruetest.Mail { return ts.Mails() },
	}
}

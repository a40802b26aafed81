//go:build !js

package gotrue_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/gotrue-wasm/gotrue-wasm/gotrue"
	"github.com/gotrue-wasm/gotrue-wasm/gotrue/internal/xcontext"
)

// The client bounds every request in time, whatever the transport: one
// that waits for ever gives up at the client's timeout, 30 s by default.
func TestClientTimesOutAnyTransport(t *testing.T) {
	bubble(t, func(t *testing.T) {
		hung := gotrue.TransportFunc(func(ctx xcontext.Context, _ *gotrue.Request) (*gotrue.Response, error) {
			<-ctx.Done()
			return nil, ctx.Err()
		})
		for _, c := range []struct {
			timeout time.Duration
			want    time.Duration
		}{{0, 30 * time.Second}, {5 * time.Second, 5 * time.Second}} {
			start := time.Now()
			_, err := gotrue.New("https://example.com", gotrue.Options{Transport: hung, Timeout: c.timeout}).Settings(ctx)
			assert.ErrorIs(t, err, gotrue.ErrTimeout)
			assert.Equal(t, c.want, time.Since(start), "Timeout %v", c.timeout)
		}
	})
}

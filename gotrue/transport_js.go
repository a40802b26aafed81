//go:build js

package gotrue

import (
	"errors"

	context "github.com/gotrue-wasm/gotrue-wasm/gotrue/internal/xcontext"
)

// errNoTransport: in the browser the wasm bindings pass a fetch transport;
// net/http is left out to keep gotrue.wasm small.
var errNoTransport = errors.New("gotrue: no Transport given (in the browser, pass a fetch transport)")

func defaultTransport() Transport {
	return TransportFunc(func(context.Context, *Request) (*Response, error) { return nil, errNoTransport })
}

//go:build js

package browser

import (
	"sync"
	"syscall/js"
)

// Context is what the core's methods take as ctx in the browser build:
// the part of context.Context they use. gotrue.wasm links neither package
// context nor package time (about 230 KB between them), so the core's
// browser build declares this same unnamed interface type; every
// context.Context is one, so tests and other Go code may pass theirs.
type Context = interface {
	Done() <-chan struct{}
	Err() error
}

type background struct{}

func (background) Done() <-chan struct{} { return nil }
func (background) Err() error            { return nil }

// Background returns a Context that never ends, as context.Background.
func Background() Context { return background{} }

// Duration counts nanoseconds, as time.Duration does: FetchTransport's
// Timeout, without package time.
type Duration int64

// expireAfter closes expired after d, through setTimeout; stop clears the
// timeout and releases its callback. A zero or negative d expires at once.
func expireAfter(d Duration) (expired <-chan struct{}, stop func()) {
	ch := make(chan struct{})
	var (
		mu   sync.Mutex
		done bool
		cb   js.Func
	)
	cb = js.FuncOf(func(js.Value, []js.Value) any {
		mu.Lock()
		defer mu.Unlock()
		if !done {
			done = true
			cb.Release()
			close(ch)
		}
		return nil
	})
	ms := int64(d / 1e6)
	if ms < 0 {
		ms = 0
	}
	id := js.Global().Call("setTimeout", cb, ms)
	return ch, func() {
		mu.Lock()
		defer mu.Unlock()
		if !done {
			done = true
			js.Global().Call("clearTimeout", id)
			cb.Release()
		}
	}
}

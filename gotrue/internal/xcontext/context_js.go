//go:build js

package xcontext

import (
	"errors"
	"sync"

	"github.com/gotrue-wasm/gotrue-wasm/gotrue/internal/xtime"
)

// Context is the part of context.Context that the core uses: an unnamed
// interface type, so that every context.Context is one (the browser tests
// pass them) and wasm/browser, which cannot import this package, names
// the same type by writing it out again.
type Context = interface {
	Done() <-chan struct{}
	Err() error
}

// CancelFunc ends a Context early.
type CancelFunc = func()

// The errors of an ended Context, with context's messages.
var (
	Canceled         = errors.New("context canceled")
	DeadlineExceeded = errors.New("context deadline exceeded")
)

type background struct{}

func (background) Done() <-chan struct{} { return nil }
func (background) Err() error            { return nil }

// Background never ends.
func Background() Context { return background{} }

// timerCtx ends with DeadlineExceeded when its timer fires, with its
// parent's error when the parent ends, or with Canceled when cancelled.
type timerCtx struct {
	done chan struct{}

	mu    sync.Mutex
	err   error
	timer *xtime.Timer
}

func (c *timerCtx) Done() <-chan struct{} { return c.done }

func (c *timerCtx) Err() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.err
}

func (c *timerCtx) end(err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.err != nil {
		return
	}
	c.err = err
	close(c.done)
	if c.timer != nil {
		c.timer.Stop()
	}
}

// WithTimeout returns a Context that ends after d or when parent ends,
// and the CancelFunc that ends it early and releases its timer.
func WithTimeout(parent Context, d xtime.Duration) (Context, CancelFunc) {
	c := &timerCtx{done: make(chan struct{})}
	cancel := func() { c.end(Canceled) }
	if err := parent.Err(); err != nil {
		c.end(err)
		return c, cancel
	}
	c.mu.Lock()
	c.timer = xtime.AfterFunc(d, func() { c.end(DeadlineExceeded) })
	c.mu.Unlock()
	if pd := parent.Done(); pd != nil {
		go func() {
			select {
			case <-pd:
				c.end(parent.Err())
			case <-c.done:
			}
		}()
	}
	return c, cancel
}

//go:build js

package browser

import (
	"sync"
	"syscall/js"

	"github.com/gotrue-wasm/gotrue-wasm/gotrue"
)

// WebLocks is a gotrue.Locker over the Web Locks API (navigator.locks),
// whose locks every tab of the origin shares: the core takes one around a
// token refresh so that two tabs never spend the same refresh token.
type WebLocks struct {
	locks js.Value

	// This page's own holds that the lock manager has not let go of yet:
	// releasing is asynchronous, and a request made before it is done
	// would find the lock held by this very page and wait, as if behind
	// another tab, for a write that is already here.
	mu    sync.Mutex
	held  int
	freed chan struct{} // closed when held drops to 0
}

// NewLocker returns WebLocks where navigator.locks exists, else a lock
// within this page only (browsers without Web Locks, insecure contexts).
func NewLocker() gotrue.Locker {
	if l := webLocksFrom(js.Global()); l != nil {
		return l
	}
	return gotrue.NewProcessLocker()
}

func webLocksFrom(global js.Value) *WebLocks {
	var l *WebLocks
	_ = Try(func() {
		locks := Get(Get(global, "navigator"), "locks")
		if locks.Type() == js.TypeObject && Get(locks, "request").Type() == js.TypeFunction {
			l = &WebLocks{locks: locks}
		}
	})
	return l
}

// Lock implements gotrue.Locker with navigator.locks.request(name,
// options, cb): the lock is held until the Promise cb returns resolves,
// which release does. It asks first with {ifAvailable: true}, whose cb
// gets null at once when another holder (this tab or another) has the
// lock: only then does it queue, with a plain request, and report queued.
// ctx ending while that request waits aborts it through its signal.
func (w *WebLocks) Lock(ctx Context, name string) (release func(), queued bool, err error) {
	// Another taker in this page waits here, not in the lock manager: the
	// lock manager cannot tell this page from another tab.
	w.mu.Lock()
	freed := w.freed
	w.mu.Unlock()
	if freed != nil {
		select {
		case <-freed:
		case <-ctx.Done():
			return nil, false, ctx.Err()
		}
	}
	for ; ; queued = true {
		if err := ctx.Err(); err != nil {
			return nil, false, err
		}
		var (
			granted = make(chan js.Value, 1) // the resolve function of cb's Promise, or null
			failed  = make(chan js.Value, 1)
			abort   func()
		)
		err = Try(func() {
			var cb, done, fail js.Func
			releaseFuncs := func() {
				cb.Release()
				done.Release()
				fail.Release()
			}
			var holding bool
			cb = js.FuncOf(func(_ js.Value, args []js.Value) any {
				if first(args).IsNull() { // ifAvailable, and held: nothing to release
					granted <- js.Null()
					return nil
				}
				holding = true
				w.hold(1)
				var exec js.Func
				exec = js.FuncOf(func(_ js.Value, args []js.Value) any {
					granted <- args[0]
					return nil
				})
				defer exec.Release()
				return js.Global().Get("Promise").New(exec)
			})
			// request's own Promise settles when the lock is released, or
			// rejects when the request is aborted or refused.
			done = js.FuncOf(func(js.Value, []js.Value) any {
				releaseFuncs()
				if holding {
					w.hold(-1)
				}
				return nil
			})
			fail = js.FuncOf(func(_ js.Value, args []js.Value) any {
				releaseFuncs()
				failed <- first(args)
				return nil
			})
			opts := js.Global().Get("Object").New()
			if !queued {
				opts.Set("ifAvailable", true)
			} else if ac := js.Global().Get("AbortController"); ac.Type() == js.TypeFunction {
				c := ac.New()
				opts.Set("signal", c.Get("signal"))
				abort = func() { c.Call("abort") }
			}
			w.locks.Call("request", name, opts, cb).Call("then", done, fail)
		})
		if err != nil {
			return nil, false, err
		}
		// {ifAvailable: true} answers within a task and takes no signal
		// (Web Locks refuses one with it): it is not given up on.
		var gaveUp <-chan struct{}
		if queued {
			gaveUp = ctx.Done()
		}
		select {
		case resolve := <-granted:
			if resolve.IsNull() {
				continue // held: queue for it
			}
			return unlocker(resolve), queued, nil
		case e := <-failed:
			return nil, false, &JSError{Value: e}
		case <-gaveUp:
			if abort != nil && Try(abort) == nil {
				// The lock may have been granted just before the abort.
				select {
				case resolve := <-granted:
					unlocker(resolve)()
				case <-failed:
				}
			}
			return nil, false, ctx.Err()
		}
	}
}

// hold counts this page's holds up or down; freed is closed when none is
// left.
func (w *WebLocks) hold(delta int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.held += delta
	switch {
	case w.held > 0 && w.freed == nil:
		w.freed = make(chan struct{})
	case w.held == 0 && w.freed != nil:
		close(w.freed)
		w.freed = nil
	}
}

// unlocker resolves cb's Promise, once, which releases the lock.
func unlocker(resolve js.Value) func() {
	var once sync.Once
	return func() {
		once.Do(func() { _ = Try(func() { resolve.Invoke() }) })
	}
}

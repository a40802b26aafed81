//go:build js

package browser

import "syscall/js"

// Await waits until the JavaScript promise p settles or ctx ends. A
// rejection is a *JSError holding the rejection value.
func Await(ctx Context, p js.Value) (js.Value, error) {
	return waiter{ctx: ctx}.await(p)
}

// waiter waits for promises until ctx ends, with a way to cancel the
// JavaScript work: abort, an AbortController's abort, or nil.
type waiter struct {
	ctx   Context
	abort func()
}

// await is Await with the waiter's abort. It bridges the
// promise as net/http's roundtrip_js.go does: two callbacks that release
// each other, buffered channels so that a late settle never blocks, and a
// select on ctx. When ctx ends first, abort (an AbortController's abort)
// makes p settle and await waits for it, so that both callbacks are
// released; without abort they release themselves whenever p settles.
func (w waiter) await(p js.Value) (js.Value, error) {
	var (
		vals     = make(chan js.Value, 1)
		errs     = make(chan js.Value, 1)
		ok, fail js.Func
	)
	ok = js.FuncOf(func(_ js.Value, args []js.Value) any {
		ok.Release()
		fail.Release()
		vals <- first(args)
		return nil
	})
	fail = js.FuncOf(func(_ js.Value, args []js.Value) any {
		ok.Release()
		fail.Release()
		errs <- first(args)
		return nil
	})
	// Promise.resolve also accepts a plain value or a foreign thenable.
	js.Global().Get("Promise").Call("resolve", p).Call("then", ok, fail)
	select {
	case v := <-vals:
		return v, nil
	case e := <-errs:
		return js.Undefined(), &JSError{Value: e}
	case <-w.ctx.Done():
		w.cancel(vals, errs)
		return js.Undefined(), w.ctx.Err()
	}
}

// cancel aborts the JavaScript work, if it can, and waits for the promise
// to settle.
func (w waiter) cancel(vals, errs <-chan js.Value) {
	if w.abort != nil && Try(w.abort) == nil {
		select {
		case <-vals:
		case <-errs:
		}
	}
}

func first(args []js.Value) js.Value {
	if len(args) == 0 {
		return js.Undefined()
	}
	return args[0]
}

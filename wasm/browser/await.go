//go:build js

package browser

import (
	"context"
	"syscall/js"
)

// Await waits until the JavaScript promise p settles or ctx ends. A
// rejection is a *JSError holding the rejection value.
func Await(ctx context.Context, p js.Value) (js.Value, error) {
	return await(ctx, p, nil)
}

// await is Await with a way to cancel the JavaScript work. It bridges the
// promise as net/http's roundtrip_js.go does: two callbacks that release
// each other, buffered channels so that a late settle never blocks, and a
// select on ctx. When ctx ends first, abort (an AbortController's abort)
// makes p settle and await waits for it, so that both callbacks are
// released; without abort they release themselves whenever p settles.
func await(ctx context.Context, p js.Value, abort func()) (js.Value, error) {
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
	case <-ctx.Done():
		if abort != nil && Try(abort) == nil {
			select {
			case <-vals:
			case <-errs:
			}
		}
		return js.Undefined(), ctx.Err()
	}
}

func first(args []js.Value) js.Value {
	if len(args) == 0 {
		return js.Undefined()
	}
	return args[0]
}

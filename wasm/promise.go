//go:build js

package main

import (
	"syscall/js"

	"github.com/gotrue-wasm/gotrue-wasm/wasm/browser"
)

// later is the part of an async export that waits (for the network, a
// lock): it runs in a goroutine, because a js.FuncOf callback must not
// block (see syscall/js.FuncOf).
type later func() (js.Value, error)

// async makes an export that returns a Promise. start runs at once, in
// the caller's turn, and reads the arguments (so that the page changing
// them afterwards does not matter, as in gotrue-js). It returns either the
// work to do in a goroutine or, when run is nil, the value the Promise
// resolves with at once (cached answers such as a fresh jwt()). An error
// or a panic anywhere rejects the Promise; it never ends the Go program.
// It is not inlined: inlined at its 25 call sites it cost 70 KB of
// gotrue.wasm.
//
//go:noinline
func (b *bindings) async(start func(this js.Value, args []js.Value) (now js.Value, run later, err error)) js.Func {
	return js.FuncOf(func(_ js.Value, args []js.Value) any {
		var (
			now js.Value
			run later
			err error
		)
		this, args := splitThis(args)
		if perr := browser.Try(func() { now, run, err = start(this, args) }); perr != nil {
			err = perr
		}
		switch {
		case err != nil:
			return jsPromise.Call("reject", b.errorValue(err))
		case run == nil:
			return jsPromise.Call("resolve", now)
		}
		return b.newPromise(run)
	})
}

// newPromise returns a Promise settled by run in a goroutine. The executor
// runs inside the Promise constructor, so it is released right after.
func (b *bindings) newPromise(run later) js.Value {
	executor := js.FuncOf(func(_ js.Value, args []js.Value) any {
		go b.settle(run, args[0], args[1])
		return nil
	})
	defer executor.Release()
	return jsPromise.New(executor)
}

func (b *bindings) settle(run later, resolve, reject js.Value) {
	var (
		v   js.Value
		err error
	)
	if perr := browser.Try(func() { v, err = run() }); perr != nil {
		err = perr
	}
	_ = browser.Try(func() {
		if err != nil {
			reject.Invoke(b.errorValue(err))
			return
		}
		resolve.Invoke(v)
	})
}

// sync makes an export that answers at once. Go cannot throw into
// JavaScript, so an error comes back wrapped in the loader's Thrown, which
// the class shell rethrows.
// Not inlined, as async.
//
//go:noinline
func (b *bindings) sync(fn func(this js.Value, args []js.Value) (js.Value, error)) js.Func {
	return js.FuncOf(func(_ js.Value, args []js.Value) any {
		var (
			v   js.Value
			err error
		)
		this, args := splitThis(args)
		if perr := browser.Try(func() { v, err = fn(this, args) }); perr != nil {
			err = perr
		}
		if err != nil {
			return b.thrown(err)
		}
		return v
	})
}

// splitThis separates the object a method was called on, which the class
// shells pass first (go.login(this, email, …)), from the method's own
// arguments.
func splitThis(args []js.Value) (js.Value, []js.Value) {
	if len(args) == 0 {
		return js.Undefined(), nil
	}
	return args[0], args[1:]
}

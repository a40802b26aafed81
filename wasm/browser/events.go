//go:build js

package browser

import "syscall/js"

// OnStorageChange calls fn when another tab changes key in localStorage,
// or clears it (the storage event's key is then null). It returns a
// function that stops listening. Where there is no window (a worker), it
// does nothing.
func OnStorageChange(key string, fn func()) (stop func()) {
	stop = func() {}
	_ = Try(func() {
		target := js.Global()
		if Get(target, "addEventListener").Type() != js.TypeFunction {
			return
		}
		var handler js.Func
		handler = js.FuncOf(func(_ js.Value, args []js.Value) any {
			_ = Try(func() {
				k := Get(first(args), "key")
				if k.IsNull() || k.Type() == js.TypeString && k.String() == key {
					fn()
				}
			})
			return nil
		})
		target.Call("addEventListener", "storage", handler)
		stop = func() {
			_ = Try(func() { target.Call("removeEventListener", "storage", handler) })
			handler.Release()
		}
	})
	return stop
}

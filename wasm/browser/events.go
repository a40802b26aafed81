//go:build js

package browser

import "syscall/js"

// OnStorageChange calls fn(oldValue, newValue) when another tab changes
// key in localStorage ("" for no value), or clears it (the storage
// event's key is then null, and both values too). It returns a function
// that stops listening. Where there is no window (a worker), it does
// nothing.
func OnStorageChange(key string, fn func(oldValue, newValue string)) (stop func()) {
	stop = func() {}
	_ = Try(func() {
		target := js.Global()
		if Get(target, "addEventListener").Type() != js.TypeFunction {
			return
		}
		var handler js.Func
		handler = js.FuncOf(func(_ js.Value, args []js.Value) any {
			_ = Try(func() {
				e := first(args)
				k := Get(e, "key")
				if k.IsNull() || k.Type() == js.TypeString && k.String() == key {
					fn(stringOrEmpty(Get(e, "oldValue")), stringOrEmpty(Get(e, "newValue")))
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

// stringOrEmpty is v when it is a string, else "".
func stringOrEmpty(v js.Value) string {
	if v.Type() == js.TypeString {
		return v.String()
	}
	return ""
}

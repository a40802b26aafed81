//go:build js

package browser

import "syscall/js"

// Visible reports whether the page is shown (document.visibilityState
// "visible"); true where there is no document (a worker, Node.js).
func Visible() bool {
	visible := true
	_ = Try(func() {
		doc := Get(js.Global(), "document")
		if doc.Type() != js.TypeObject {
			return
		}
		state := Get(doc, "visibilityState")
		visible = state.Type() != js.TypeString || state.String() != "hidden"
	})
	return visible
}

// OnVisibilityChange calls fn(Visible()) whenever the page is shown or
// hidden (the visibilitychange event). It returns a function that stops
// listening; where there is no document, it does nothing.
func OnVisibilityChange(fn func(visible bool)) (stop func()) {
	stop = func() {}
	_ = Try(func() {
		doc := Get(js.Global(), "document")
		if doc.Type() != js.TypeObject || Get(doc, "addEventListener").Type() != js.TypeFunction {
			return
		}
		handler := js.FuncOf(func(js.Value, []js.Value) any {
			v := Visible()
			// The core's Pause and Resume only set a flag and poke its
			// loop; they never wait on JavaScript.
			fn(v)
			return nil
		})
		doc.Call("addEventListener", "visibilitychange", handler)
		stop = func() {
			_ = Try(func() { doc.Call("removeEventListener", "visibilitychange", handler) })
			handler.Release()
		}
	})
	return stop
}

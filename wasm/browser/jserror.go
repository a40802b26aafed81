//go:build js

package browser

import "syscall/js"

// JSError is a value JavaScript threw or rejected with, kept as it is so
// that the bindings can hand the page the browser's own error (fetch's
// TypeError on a network failure), as gotrue-js does.
type JSError struct {
	Value js.Value
}

// Error is the JavaScript error's message, or the value as a string.
func (e *JSError) Error() string {
	msg := "JavaScript error"
	_ = Try(func() { msg = describe(e.Value) })
	return msg
}

func describe(v js.Value) string {
	switch v.Type() {
	case js.TypeString:
		return v.String()
	case js.TypeObject, js.TypeFunction:
		if m := Get(v, "message"); m.Type() == js.TypeString {
			return m.String()
		}
	}
	return js.Global().Call("String", v).String()
}

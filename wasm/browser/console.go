//go:build js

package browser

import "syscall/js"

// Console is the gotrue.Logger of the browser: the console lines gotrue-js
// prints. Errors are logged as Error objects, as gotrue-js logs them.
type Console struct{}

// Warn implements gotrue.Logger with console.warn(msg).
func (Console) Warn(msg string) {
	_ = Try(func() { js.Global().Get("console").Call("warn", msg) })
}

// Error implements gotrue.Logger with console.error(new Error(msg)).
func (Console) Error(msg string) {
	_ = Try(func() {
		js.Global().Get("console").Call("error", js.Global().Get("Error").New(msg))
	})
}

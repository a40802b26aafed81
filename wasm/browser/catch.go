//go:build js

package browser

import "syscall/js"

// Try calls fn and returns any panic it raises as an error. syscall/js
// panics when a JavaScript call throws (js.Error) or a value has the wrong
// type (*js.ValueError), and an unrecovered panic ends the Go program: every
// later call from the page would throw "Go program has already exited".
// The idea is hack-pad/safejs's internal/catch.
func Try(fn func()) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = Recovered(r)
		}
	}()
	fn()
	return nil
}

// Recovered turns a recovered panic value into an error: a thrown
// JavaScript value becomes a *JSError that keeps it, anything else a
// *PanicError.
func Recovered(r any) error {
	switch v := r.(type) {
	case js.Error:
		return &JSError{Value: v.Value}
	case error:
		return &PanicError{Msg: v.Error()}
	case string:
		return &PanicError{Msg: v}
	}
	return &PanicError{Msg: "unexpected panic"}
}

// PanicError is a Go panic caught at the boundary with JavaScript.
type PanicError struct {
	Msg string
}

func (e *PanicError) Error() string { return "gotrue: internal error: " + e.Msg }

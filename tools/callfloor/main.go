//go:build js

// Command callfloor is the floor of a hot call from JavaScript into Go:
// the bench calls its no-op exports in a loop, as it calls gotrue.wasm's
// currentUser(). A js.FuncOf export goes through the Go scheduler on every
// call (syscall/js's event handling), which bounds what any syscall/js
// binding can reach; a //go:wasmexport function is a plain wasm call, and
// handing a JS value back through a slot costs one syscall/js call more.
package main

import "syscall/js"

var (
	out  js.Value         // the slot lookup hands its answer back in
	objs map[int]js.Value // page objects by handle, as gotrue.wasm keeps users
)

// noop is the cheapest //go:wasmexport call.
//
//go:wasmexport noop
func noop(x int32) int32 { return x }

// lookup finds the object of handle h and puts it into the slot: what a
// currentUser() exported this way would do.
//
//go:wasmexport lookup
func lookup(h int32) int32 {
	v, ok := objs[int(h)]
	if !ok {
		return 0
	}
	out.SetIndex(0, v)
	return 1
}

func main() {
	out = js.Global().Get("Array").New(1)
	objs = map[int]js.Value{1: js.Global().Get("Object").New()}
	js.Global().Set("__callFloor", map[string]any{
		"out":  out,
		"noop": js.FuncOf(func(js.Value, []js.Value) any { return nil }),
		"lookup": js.FuncOf(func(_ js.Value, args []js.Value) any {
			if len(args) == 0 {
				return nil
			}
			return objs[args[0].Int()]
		}),
	})
	select {}
}

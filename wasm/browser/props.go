//go:build js

package browser

import "syscall/js"

var reflectObj = js.Global().Get("Reflect")

// Get is v[name] for values the page controls. js.Value.Get lets an
// exception of a getter (or of a Proxy) unwind through the Go program and
// end it; Get reads through Reflect.get instead, whose throw becomes a
// js.Error panic that Try catches. v must be an object.
func Get(v js.Value, name string) js.Value { return reflectObj.Call("get", v, name) }

// Set is v[name] = x for objects the page controls, guarded like Get.
func Set(v js.Value, name string, x any) { reflectObj.Call("set", v, name, x) }

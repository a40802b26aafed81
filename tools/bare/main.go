//go:build js

// Command bare is the smallest Go program that uses syscall/js: the floor
// no Go WebAssembly module can go under. make size and make bench build it
// with the same toolchain and flags as gotrue.wasm and compare the two.
package main

import "syscall/js"

func main() {
	js.Global().Set("__bareReady", true)
	select {}
}

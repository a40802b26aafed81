//go:build js

package browser

// Context is what the core's methods take as ctx in the browser build:
// the part of context.Context they use. gotrue.wasm links neither package
// context nor package time (about 230 KB between them), so the core's
// browser build declares this same unnamed interface type; every
// context.Context is one, so tests and other Go code may pass theirs.
type Context = interface {
	Done() <-chan struct{}
	Err() error
}

type background struct{}

func (background) Done() <-chan struct{} { return nil }
func (background) Err() error            { return nil }

// Background returns a Context that never ends, as context.Background.
func Background() Context { return background{} }

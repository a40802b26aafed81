// Package demo holds the demo site's files, embedded so that the dev
// server binary serves the page from any working directory.
package demo

import (
	"embed"
	"io/fs"
)

//go:embed site
var embedded embed.FS

// Site returns the embedded demo site (index.html, app.js, style.css, …)
// rooted at its folder.
func Site() fs.FS {
	sub, err := fs.Sub(embedded, "site")
	if err != nil {
		panic(err) // "site" is a valid literal path: cannot happen
	}
	return sub
}

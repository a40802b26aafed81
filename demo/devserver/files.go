package devserver

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"
)

// files serves one folder (embedded or on disk). Every answer carries an
// ETag and Cache-Control: no-cache, so the browser revalidates each load:
// an edit shows up at once and an unchanged file costs a 304.
type files struct {
	fsys  fs.FS
	index bool   // "/" serves index.html
	csp   string // Content-Security-Policy of HTML pages; "" sends none

	mu    sync.Mutex
	cache map[string]*content // by name, valid while mod time and size match
}

func newFiles(fsys fs.FS, index bool, csp string) *files {
	return &files{fsys: fsys, index: index, csp: csp, cache: map[string]*content{}}
}

// siteCSP is as strict as the page allows, to show that the client needs
// nothing beyond 'wasm-unsafe-eval' (no 'unsafe-eval', no inline script).
const siteCSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; " +
	"img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

func (h *files) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "405 method not allowed", http.StatusMethodNotAllowed)
		return
	}
	name, ok := h.name(r.URL.Path)
	if !ok {
		http.NotFound(w, r)
		return
	}
	c, err := h.load(name)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			http.NotFound(w, r)
			return
		}
		http.Error(w, "500 internal server error", http.StatusInternalServerError)
		return
	}
	body, enc := h.negotiate(r, name, c)

	hdr := w.Header()
	hdr.Set("Content-Type", contentType(name))
	hdr.Set("Cache-Control", "no-cache")
	hdr.Set("X-Content-Type-Options", "nosniff")
	if h.csp != "" && path.Ext(name) == ".html" {
		hdr.Set("Content-Security-Policy", h.csp)
	}
	// Any file may gain a .br/.gz sibling or be compressed on the fly, so
	// caches must key every answer on Accept-Encoding.
	hdr.Add("Vary", "Accept-Encoding")
	hdr.Set("ETag", c.etag(enc))
	if enc != "" {
		hdr.Set("Content-Encoding", enc)
		// ServeContent leaves Content-Length out once Content-Encoding is
		// set; the loader reads it to show download progress.
		hdr.Set("Content-Length", strconv.Itoa(len(body)))
	}
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(body))
}

// name maps a URL path to a file name in the folder. Dot files (.git,
// .DS_Store) are never served.
func (h *files) name(urlPath string) (string, bool) {
	name := strings.TrimPrefix(path.Clean("/"+urlPath), "/")
	if name == "" {
		return "index.html", h.index
	}
	for _, seg := range strings.Split(name, "/") {
		if strings.HasPrefix(seg, ".") {
			return "", false
		}
	}
	return name, fs.ValidPath(name)
}

// load returns the file's bytes, read again only when its modification
// time or size changed, so a multi-megabyte wasm is hashed once.
func (h *files) load(name string) (*content, error) {
	st, err := fs.Stat(h.fsys, name)
	if err != nil {
		return nil, err
	}
	if st.IsDir() {
		return nil, fmt.Errorf("%s: %w", name, fs.ErrNotExist)
	}
	h.mu.Lock()
	c := h.cache[name]
	h.mu.Unlock()
	if c != nil && c.mod.Equal(st.ModTime()) && c.size == st.Size() {
		return c, nil
	}
	data, err := fs.ReadFile(h.fsys, name)
	if err != nil {
		return nil, err
	}
	c = newContent(data, st.ModTime(), st.Size())
	h.mu.Lock()
	h.cache[name] = c
	h.mu.Unlock()
	return c, nil
}

// Types set explicitly: the system's mime.types may say
// application/javascript, or nothing for .mjs and .wasm (and a module
// script or WebAssembly.instantiateStreaming refuses a wrong type).
var contentTypes = map[string]string{
	".html": "text/html; charset=utf-8",
	".css":  "text/css; charset=utf-8",
	".js":   "text/javascript; charset=utf-8",
	".mjs":  "text/javascript; charset=utf-8",
	".wasm": "application/wasm",
	".json": "application/json",
	".map":  "application/json",
	".ts":   "text/plain; charset=utf-8",
	".svg":  "image/svg+xml",
	".txt":  "text/plain; charset=utf-8",
	".gz":   "application/gzip",
	".br":   "application/octet-stream",
}

func contentType(name string) string {
	ext := strings.ToLower(path.Ext(name))
	if t, ok := contentTypes[ext]; ok {
		return t
	}
	if t := mime.TypeByExtension(ext); t != "" {
		return t
	}
	return "application/octet-stream"
}

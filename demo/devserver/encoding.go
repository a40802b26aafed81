package devserver

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"
)

// content is one version of a file, with its gzipped copy made on first
// demand.
type content struct {
	data []byte
	mod  time.Time
	size int64
	hash string

	gzOnce sync.Once
	gz     []byte
}

func newContent(data []byte, mod time.Time, size int64) *content {
	sum := sha256.Sum256(data)
	return &content{data: data, mod: mod, size: size, hash: hex.EncodeToString(sum[:12])}
}

// etag differs per encoding: the bytes on the wire differ, and a cache
// must not answer a gzip request's If-None-Match with a br body.
func (c *content) etag(enc string) string {
	if enc == "" {
		return `"` + c.hash + `"`
	}
	return `"` + c.hash + "-" + enc + `"`
}

func (c *content) gzipped() []byte {
	c.gzOnce.Do(func() {
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.DefaultCompression) // valid level: no error
		zw.Write(c.data)                                            // bytes.Buffer writes cannot fail
		zw.Close()
		c.gz = buf.Bytes()
	})
	return c.gz
}

// precompressed siblings, in the server's order of preference.
var precompressed = []struct{ coding, ext string }{
	{"br", ".br"},
	{"gzip", ".gz"},
}

// Files worth compressing on the fly when no sibling exists: gotrue.wasm
// above all (several MB, about a quarter of that gzipped).
var compressible = map[string]bool{
	".wasm": true, ".js": true, ".mjs": true, ".css": true, ".html": true,
	".json": true, ".map": true, ".ts": true, ".svg": true, ".txt": true,
}

const minCompressSize = 1024 // smaller bodies gain less than gzip's overhead

// negotiate picks the bytes to send for name: a .br or .gz sibling the
// client accepts, else a gzipped copy, else the file as is. A sibling
// older than the file is stale (the wasm was rebuilt without
// recompressing) and is skipped.
func (h *files) negotiate(r *http.Request, name string, plain *content) ([]byte, string) {
	if strings.HasSuffix(name, ".br") || strings.HasSuffix(name, ".gz") {
		return plain.data, "" // asked for the compressed file itself
	}
	ae := r.Header.Get("Accept-Encoding")
	for _, p := range precompressed {
		if !acceptsEncoding(ae, p.coding) {
			continue
		}
		if c, err := h.load(name + p.ext); err == nil && !c.mod.Before(plain.mod) {
			return c.data, p.coding
		}
	}
	if acceptsEncoding(ae, "gzip") && compressible[strings.ToLower(path.Ext(name))] && len(plain.data) >= minCompressSize {
		return plain.gzipped(), "gzip"
	}
	return plain.data, ""
}

// acceptsEncoding reports whether an Accept-Encoding header allows coding:
// listed with q > 0, or, when not listed, covered by "*" with q > 0.
func acceptsEncoding(header, coding string) bool {
	star := false
	for _, part := range strings.Split(header, ",") {
		token, params, _ := strings.Cut(part, ";")
		switch strings.ToLower(strings.TrimSpace(token)) {
		case coding:
			return qvalue(params) > 0
		case "*":
			star = qvalue(params) > 0
		}
	}
	return star
}

// qvalue reads q=… from a coding's parameters; absent means 1, garbled 0.
func qvalue(params string) float64 {
	for _, p := range strings.Split(params, ";") {
		k, v, ok := strings.Cut(p, "=")
		if ok && strings.EqualFold(strings.TrimSpace(k), "q") {
			q, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			if err != nil {
				return 0
			}
			return q
		}
	}
	return 1
}

package devserver

import (
	"bytes"
	"log"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestRequestLogLine(t *testing.T) {
	var logs bytes.Buffer
	s := newTestServer(t, Config{Log: log.New(&logs, "", 0)})
	s.get(t, "/js/gotrue.mjs")
	s.do(t, "POST", "/.netlify/identity/verify", `{"type":"signup","token":"SECRET-TOKEN","password":"SECRET-PASSWORD"}`,
		"Authorization", "Bearer SECRET-JWT")
	s.get(t, "/.netlify/identity/authorize?provider=github&invite_token=SECRET-INVITE")

	lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
	assert.Len(t, lines, 3)
	assert.Regexp(t, regexp.MustCompile(`^GET /js/gotrue.mjs 200 \d+B \S+$`), lines[0])
	assert.Regexp(t, regexp.MustCompile(`^POST /.netlify/identity/verify 404 \d+B \S+$`), lines[1])
	assert.Regexp(t, regexp.MustCompile(`^GET /.netlify/identity/authorize\?provider=github&invite_token=… 404 \d+B \S+$`), lines[2])
	assert.NotContains(t, logs.String(), "SECRET")
}

func TestLoggedPath(t *testing.T) {
	tests := map[string]string{
		"/x":                                  "/x",
		"/authorize?provider=github":          "/authorize?provider=github",
		"/callback?state=abc&provider=gitlab": "/callback?state=…&provider=gitlab",
		"/mailbox?to=a%40b.c&kind=invite":     "/mailbox?to=…&kind=invite",
		"/verify?token":                       "/verify?…",
		"/a%20b?token=x":                      "/a%20b?token=…",
	}
	for in, want := range tests {
		u, err := url.Parse(in)
		assert.NoError(t, err)
		assert.Equal(t, want, loggedPath(u), in)
	}
}

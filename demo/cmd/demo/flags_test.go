package main

import (
	"flag"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseFlagsDefaults(t *testing.T) {
	o, err := parseFlags(nil, io.Discard)
	require.NoError(t, err)
	assert.Equal(t, options{addr: "127.0.0.1:8080", tokenLifetime: time.Hour}, o)
}

func TestParseFlagsAll(t *testing.T) {
	o, err := parseFlags([]string{
		"-addr", ":0", "-autoconfirm", "-disable-signup", "-token-lifetime", "90s",
		"-site", "demo/site", "-js", "/tmp/js",
		"-allow-origin", "http://localhost:5173", "-operator-token", "op-token", "-allow-origin", "*",
	}, io.Discard)
	require.NoError(t, err)
	assert.Equal(t, options{
		addr: ":0", autoconfirm: true, disableSignup: true, tokenLifetime: 90 * time.Second,
		site: "demo/site", js: "/tmp/js",
		origins: []string{"http://localhost:5173", "*"}, operatorToken: "op-token",
	}, o)

	o, err = parseFlags([]string{"-identity", "https://example.netlify.app/.netlify/identity"}, io.Discard)
	require.NoError(t, err)
	assert.Equal(t, "https://example.netlify.app/.netlify/identity", o.identity)
}

func TestParseFlagsErrors(t *testing.T) {
	tests := map[string][]string{
		"positional":              {"serve"},
		"bad duration":            {"-token-lifetime", "soon"},
		"zero lifetime":           {"-token-lifetime", "0s"},
		"unknown flag":            {"-port", "80"},
		"autoconfirm with proxy":  {"-identity", "https://x.netlify.app/.netlify/identity", "-autoconfirm"},
		"lifetime with proxy":     {"-token-lifetime", "1m", "-identity", "https://x.netlify.app/.netlify/identity"},
		"disable-signup w/ proxy": {"-identity", "https://x.netlify.app/.netlify/identity", "-disable-signup"},
		"origin with path":        {"-allow-origin", "http://localhost:5173/app"},
		"origin with slash":       {"-allow-origin", "http://localhost:5173/"},
		"origin without scheme":   {"-allow-origin", "localhost:5173"},
		"origin with query":       {"-allow-origin", "https://a.example?x"},
		"origin upper case":       {"-allow-origin", "https://A.example"},
		"empty origin":            {"-allow-origin", ""},
		"empty operator token":    {"-operator-token="},
	}
	for name, args := range tests {
		_, err := parseFlags(args, io.Discard)
		assert.Error(t, err, name)
	}

	// The embedded-only flags say what to do instead with -identity.
	for flagArgs, hint := range map[string]string{
		"-allow-origin http://localhost:5173": "answers CORS for other pages itself",
		"-operator-token op":                  "context.clientContext.identity.token",
	} {
		name, value, _ := strings.Cut(flagArgs, " ")
		_, err := parseFlags([]string{"-identity", "https://x.netlify.app/.netlify/identity", name, value}, io.Discard)
		require.Error(t, err, flagArgs)
		assert.Contains(t, err.Error(), name+" only configures the embedded identity server", flagArgs)
		assert.Contains(t, err.Error(), hint, flagArgs)
	}
	_, err := parseFlags([]string{"-h"}, io.Discard)
	assert.ErrorIs(t, err, flag.ErrHelp)
}

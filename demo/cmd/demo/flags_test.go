package main

import (
	"flag"
	"io"
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
	}, io.Discard)
	require.NoError(t, err)
	assert.Equal(t, options{
		addr: ":0", autoconfirm: true, disableSignup: true, tokenLifetime: 90 * time.Second,
		site: "demo/site", js: "/tmp/js",
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
	}
	for name, args := range tests {
		_, err := parseFlags(args, io.Discard)
		assert.Error(t, err, name)
	}
	_, err := parseFlags([]string{"-h"}, io.Discard)
	assert.ErrorIs(t, err, flag.ErrHelp)
}

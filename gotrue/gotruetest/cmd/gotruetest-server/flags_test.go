package main

import (
	"bytes"
	"context"
	"flag"
	"io"
	"regexp"
	"testing"
	"time"

	"github.com/gotrue-wasm/gotrue-wasm/gotrue/gotruetest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var hexToken = regexp.MustCompile(`^[0-9a-f]{32}$`)

func TestParseArgsDefaults(t *testing.T) {
	s, err := parseArgs(nil, io.Discard)
	require.NoError(t, err)
	assert.Equal(t, "127.0.0.1:0", s.addr)
	assert.Empty(t, s.command)
	assert.False(t, s.secretGiven)
	assert.False(t, s.tokenGiven)
	assert.True(t, hexToken.MatchString(s.cfg.OperatorToken), "a random operator token of 16 bytes in hex")

	token := s.cfg.OperatorToken
	s.cfg.OperatorToken = ""
	assert.Equal(t, gotruetest.Config{
		TokenLifetime:        time.Hour,
		RefreshTokenLifetime: 30 * 24 * time.Hour,
		MailInterval:         15 * time.Minute,
		MaxBodyBytes:         1 << 20,
		ExternalProviders:    []string{"github", "gitlab", "google", "bitbucket"},
		AllowedOrigins:       []string{"*"},
	}, s.cfg, "JWTSecret stays empty: gotruetest picks a random one")

	again, err := parseArgs(nil, io.Discard)
	require.NoError(t, err)
	assert.True(t, token != again.cfg.OperatorToken, "a new operator token per run")
}

// Each flag sets its own Config field and nothing else.
func TestParseArgsEachFlag(t *testing.T) {
	defaults, err := parseArgs([]string{"-operator-token", "op"}, io.Discard)
	require.NoError(t, err)
	tests := []struct {
		args []string
		want func(*gotruetest.Config)
	}{
		{[]string{"-jwt-secret", "s3cret"}, func(c *gotruetest.Config) { c.JWTSecret = "s3cret" }},
		{[]string{"-operator-token", "op-2"}, func(c *gotruetest.Config) { c.OperatorToken = "op-2" }},
		{[]string{"-audience", "my-aud"}, func(c *gotruetest.Config) { c.Audience = "my-aud" }},
		{[]string{"-autoconfirm"}, func(c *gotruetest.Config) { c.Autoconfirm = true }},
		{[]string{"-disable-signup"}, func(c *gotruetest.Config) { c.DisableSignup = true }},
		{[]string{"-token-lifetime", "90s"}, func(c *gotruetest.Config) { c.TokenLifetime = 90 * time.Second }},
		{[]string{"-refresh-token-lifetime", "2m"}, func(c *gotruetest.Config) { c.RefreshTokenLifetime = 2 * time.Minute }},
		{[]string{"-mail-interval", "1ms"}, func(c *gotruetest.Config) { c.MailInterval = time.Millisecond }},
		{[]string{"-site-url", "http://127.0.0.1:8080"}, func(c *gotruetest.Config) { c.SiteURL = "http://127.0.0.1:8080" }},
		{[]string{"-providers", "google, GitHub,saml,google"}, func(c *gotruetest.Config) { c.ExternalProviders = []string{"google", "github", "saml"} }},
		{[]string{"-providers="}, func(c *gotruetest.Config) { c.ExternalProviders = []string{} }},
		{[]string{"-providers", " , "}, func(c *gotruetest.Config) { c.ExternalProviders = []string{} }},
		{[]string{"-allow-origin", "http://localhost:5173"}, func(c *gotruetest.Config) { c.AllowedOrigins = []string{"http://localhost:5173"} }},
		{[]string{"-allow-origin", "https://a.example", "-allow-origin", "http://[::1]:3000"}, func(c *gotruetest.Config) {
			c.AllowedOrigins = []string{"https://a.example", "http://[::1]:3000"}
		}},
		{[]string{"-allow-origin", "*"}, func(c *gotruetest.Config) { c.AllowedOrigins = []string{"*"} }},
		{[]string{"-app-metadata-admins"}, func(c *gotruetest.Config) { c.AppMetadataAdmins = true }},
		{[]string{"-max-body-bytes", "4096"}, func(c *gotruetest.Config) { c.MaxBodyBytes = 4096 }},
	}
	for _, tt := range tests {
		s, err := parseArgs(append([]string{"-operator-token", "op"}, tt.args...), io.Discard)
		if !assert.NoError(t, err, "%q", tt.args) {
			continue
		}
		want := defaults.cfg
		want.ExternalProviders = append([]string(nil), want.ExternalProviders...)
		tt.want(&want)
		assert.Equal(t, want, s.cfg, "%q", tt.args)
		assert.NotNil(t, s.cfg.ExternalProviders, "%q: nil would mean the default list", tt.args)
	}
}

func TestParseArgsAddrCommandAndGiven(t *testing.T) {
	s, err := parseArgs([]string{"-addr", "127.0.0.1:9999", "-jwt-secret", "x", "-operator-token", "y", "--", "env", "-i"}, io.Discard)
	require.NoError(t, err)
	assert.Equal(t, "127.0.0.1:9999", s.addr)
	assert.Equal(t, []string{"env", "-i"}, s.command)
	assert.True(t, s.secretGiven)
	assert.True(t, s.tokenGiven)
}

func TestParseArgsErrors(t *testing.T) {
	tests := map[string][]string{
		"unknown flag":          {"-port", "80"},
		"bad duration":          {"-token-lifetime", "soon"},
		"zero lifetime":         {"-token-lifetime", "0s"},
		"zero refresh lifetime": {"-refresh-token-lifetime", "0s"},
		"negative lifetime":     {"-token-lifetime", "-1m"},
		"zero mail interval":    {"-mail-interval", "0"},
		"zero body limit":       {"-max-body-bytes", "0"},
		"bad body limit":        {"-max-body-bytes", "1MiB"},
		"empty secret":          {"-jwt-secret="},
		"empty operator token":  {"-operator-token", ""},
		"unknown provider":      {"-providers", "github,myspace"},
		"relative site url":     {"-site-url", "localhost:8080"},
		"origin with path":      {"-allow-origin", "http://localhost:5173/app"},
		"origin with slash":     {"-allow-origin", "http://localhost:5173/"},
		"origin without scheme": {"-allow-origin", "localhost:5173"},
		"origin bare host":      {"-allow-origin", "example.com"},
		"origin with query":     {"-allow-origin", "http://a.example?x=1"},
		"origin with fragment":  {"-allow-origin", "http://a.example#top"},
		"origin with user":      {"-allow-origin", "http://me@a.example"},
		"origin bad port":       {"-allow-origin", "http://a.example:http"},
		"origin empty port":     {"-allow-origin", "http://a.example:"},
		"origin upper case":     {"-allow-origin", "http://A.example"},
		"origin empty":          {"-allow-origin", ""},
	}
	for name, args := range tests {
		_, err := parseArgs(args, io.Discard)
		assert.Error(t, err, name)

		var stderr bytes.Buffer
		code, err := run(context.Background(), args, io.Discard, &stderr)
		assert.Error(t, err, name)
		assert.Equal(t, 2, code, name)
		assert.Empty(t, stderr.String(), "%s: run's caller prints the error once", name)
	}
}

func TestHelp(t *testing.T) {
	var stderr bytes.Buffer
	_, err := parseArgs([]string{"-h"}, &stderr)
	assert.ErrorIs(t, err, flag.ErrHelp)
	help := stderr.String()
	assert.Contains(t, help, "gotruetest-server [flags]\n")
	assert.Contains(t, help, "gotruetest-server [flags] -- command [args...]")
	for _, f := range []string{"addr", "jwt-secret", "operator-token", "audience", "autoconfirm", "disable-signup",
		"token-lifetime", "refresh-token-lifetime", "mail-interval", "site-url", "providers", "allow-origin", "app-metadata-admins", "max-body-bytes"} {
		assert.Regexp(t, `\n  -`+f+`[ \n]`, help, f)
	}

	stderr.Reset()
	code, err := run(context.Background(), []string{"-help"}, io.Discard, &stderr)
	assert.NoError(t, err)
	assert.Equal(t, 0, code)
	assert.Contains(t, stderr.String(), "Flags:")
}

package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The command sees the server's URL and can reach it; its exit status is
// passed on, and stdout carries only what the command wrote.
func TestRunPassesEnvironmentAndStatus(t *testing.T) {
	if _, err := exec.LookPath("curl"); err != nil {
		t.Skip("needs curl")
	}
	var out, errOut bytes.Buffer
	code, err := run(context.Background(), []string{"--", "sh", "-c",
		`curl -fsS "$GOTRUE_TEST_URL/settings" >/dev/null && curl -fsS "$GOTRUE_TEST_MAILBOX_URL" && test -n "$GOTRUE_TEST_OPERATOR_TOKEN" && exit 3`}, &out, &errOut)
	require.NoError(t, err, errOut.String())
	assert.Equal(t, 3, code)
	assert.Equal(t, "[]", string(bytes.TrimSpace(out.Bytes())))
}

// With a command, the operator token reaches the command's environment and
// works; the banner goes to stderr and leaves the token out.
func TestRunCommandGetsOperatorToken(t *testing.T) {
	if _, err := exec.LookPath("curl"); err != nil {
		t.Skip("needs curl")
	}
	const token = "operator-token-of-this-test"
	var out, errOut bytes.Buffer
	code, err := run(context.Background(), []string{"-operator-token", token, "--", "sh", "-c",
		`test "$GOTRUE_TEST_OPERATOR_TOKEN" = ` + token + ` || exit 5
		 curl -fsS -o /dev/null -H "Authorization: Bearer $GOTRUE_TEST_OPERATOR_TOKEN" "$GOTRUE_TEST_URL/admin/users" || exit 6
		 printf ok`}, &out, &errOut)
	require.NoError(t, err)
	assert.Equal(t, 0, code)
	assert.Equal(t, "ok", out.String())
	assert.Regexp(t, `^gotruetest-server: identity API at http://127\.0\.0\.1:\d+/\.netlify/identity, mailbox at http://127\.0\.0\.1:\d+/mailbox; running sh\n$`, errOut.String())
	assert.NotContains(t, errOut.String(), token)
}

func TestRunCommandNotFound(t *testing.T) {
	code, err := run(context.Background(), []string{"--", "/nonexistent/command"}, io.Discard, io.Discard)
	assert.Error(t, err)
	assert.Equal(t, 0, code, "main turns an error with code 0 into 1")
}

func TestRunServesUntilCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var out bytes.Buffer
	done := make(chan struct{})
	go func() {
		defer close(done)
		code, err := run(ctx, nil, &out, &out)
		assert.NoError(t, err)
		assert.Equal(t, 0, code)
	}()
	cancel()
	<-done
}

func TestRunBadFlag(t *testing.T) {
	var out bytes.Buffer
	code, err := run(context.Background(), []string{"-nope"}, &out, &out)
	assert.Error(t, err)
	assert.Equal(t, 2, code)
}

// served is a run() without a command, started by serve.
type served struct {
	api, mailbox string
	operator     string // the operator line after its label
	secret       string // the secret line after its label
}

var bannerLine = regexp.MustCompile(`^  (api|mailbox|operator|secret) +(.*)$`)

// serve starts run without a command and reads its banner; the server
// stops when the test ends.
func serve(t *testing.T, args ...string) served {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	outR, outW := io.Pipe()
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer outW.Close()
		code, err := run(ctx, append([]string{"-addr", "127.0.0.1:0"}, args...), outW, io.Discard)
		assert.NoError(t, err)
		assert.Equal(t, 0, code)
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Error("run did not return after its context was cancelled")
		}
	})

	// The pipe hands over what run writes; reading stops at the last
	// banner line, and the rest (nothing, so far) is drained.
	lines := make(chan []string, 1)
	go func() {
		var got []string
		sc := bufio.NewScanner(outR)
		for sc.Scan() {
			got = append(got, sc.Text())
			if strings.HasPrefix(sc.Text(), "  secret ") {
				break
			}
		}
		lines <- got
		io.Copy(io.Discard, outR)
	}()
	var got []string
	select {
	case got = <-lines:
	case <-time.After(10 * time.Second):
		t.Fatal("no banner")
	}
	require.Len(t, got, 5, "a header and four lines")
	assert.Equal(t, "gotruetest-server: serving until interrupted", got[0])
	fields := map[string]string{}
	for _, l := range got[1:] {
		m := bannerLine.FindStringSubmatch(l)
		require.NotNil(t, m, "banner line %d has an unexpected shape", len(fields)+1)
		fields[m[1]] = m[2]
	}
	return served{api: fields["api"], mailbox: fields["mailbox"], operator: fields["operator"], secret: fields["secret"]}
}

type answer struct {
	status int
	header http.Header
	body   []byte
}

// call sends a request; headers are name, value pairs.
func call(t *testing.T, method, u, body string, headers ...string) answer {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, u, rd)
	require.NoError(t, err)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return answer{resp.StatusCode, resp.Header, b}
}

// Without a command: the API's and the mailbox's URLs, and the random
// operator token, which works.
func TestServeBanner(t *testing.T) {
	s := serve(t)
	assert.Regexp(t, `^http://127\.0\.0\.1:\d+/\.netlify/identity$`, s.api)
	assert.Equal(t, strings.TrimSuffix(s.api, "/.netlify/identity")+"/mailbox", s.mailbox)
	assert.Equal(t, "JWT secret random per run, not shown (set one with -jwt-secret)", s.secret)

	token, note, ok := strings.Cut(s.operator, "  ")
	require.True(t, ok, "the operator line has the token, then a note")
	assert.True(t, hexToken.MatchString(token), "the operator line starts with a 32-digit hex token")
	assert.Equal(t, "(Bearer token for /admin/* and /invite)", note)

	assert.Equal(t, 200, call(t, "GET", s.api+"/settings", "").status)
	assert.Equal(t, 200, call(t, "GET", s.mailbox, "").status)
	assert.Equal(t, 200, call(t, "GET", s.api+"/admin/users", "", "Authorization", "Bearer "+token).status)
	assert.Equal(t, 401, call(t, "GET", s.api+"/admin/users", "", "Authorization", "Bearer not-the-token").status)
}

// A given operator token is not echoed, and works as a Bearer.
func TestServeOperatorToken(t *testing.T) {
	const token = "operator-token-of-this-test"
	s := serve(t, "-operator-token", token, "-jwt-secret", "jwt-secret-of-this-test")
	assert.Equal(t, "(as given with -operator-token)", s.operator)
	assert.Equal(t, "JWT secret as given with -jwt-secret", s.secret)

	r := call(t, "GET", s.api+"/admin/users", "", "Authorization", "Bearer "+token)
	require.Equal(t, 200, r.status, "%s", r.body)
	assert.JSONEq(t, `{"aud":"","users":[]}`, string(r.body))
	assert.Equal(t, 401, call(t, "GET", s.api+"/admin/users", "", "Authorization", "Bearer "+token+"x").status)
}

// An access token from /token is signed with -jwt-secret.
func TestServeJWTSecret(t *testing.T) {
	const secret = "jwt-secret-of-this-test"
	s := serve(t, "-jwt-secret", secret, "-autoconfirm", "-audience", "test-aud")

	r := call(t, "POST", s.api+"/signup", `{"email":"ann@example.com","password":"pw-123456"}`, "Content-Type", "application/json")
	require.Equal(t, 200, r.status, "%s", r.body)
	form := url.Values{"grant_type": {"password"}, "username": {"ann@example.com"}, "password": {"pw-123456"}}
	r = call(t, "POST", s.api+"/token", form.Encode(), "Content-Type", "application/x-www-form-urlencoded")
	require.Equal(t, 200, r.status, "/token failed")
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	require.NoError(t, json.Unmarshal(r.body, &tok))

	claims := jwt.MapClaims{}
	_, err := jwt.ParseWithClaims(tok.AccessToken, claims, func(*jwt.Token) (any, error) { return []byte(secret), nil },
		jwt.WithValidMethods([]string{"HS256"}))
	require.NoError(t, err, "the access token verifies with -jwt-secret")
	assert.Equal(t, "ann@example.com", claims["email"])
	aud, _ := claims.GetAudience()
	assert.Equal(t, jwt.ClaimStrings{"test-aud"}, aud, "-audience")

	_, err = jwt.ParseWithClaims(tok.AccessToken, jwt.MapClaims{}, func(*jwt.Token) (any, error) { return []byte("another secret"), nil },
		jwt.WithValidMethods([]string{"HS256"}))
	assert.ErrorIs(t, err, jwt.ErrTokenSignatureInvalid)
}

// -providers= turns every OAuth provider off; email stays on.
func TestServeNoProviders(t *testing.T) {
	s := serve(t, "-providers=")
	r := call(t, "GET", s.api+"/settings", "")
	require.Equal(t, 200, r.status)
	var settings struct {
		External map[string]bool `json:"external"`
	}
	require.NoError(t, json.Unmarshal(r.body, &settings))
	require.NotEmpty(t, settings.External)
	for name, on := range settings.External {
		assert.Equal(t, name == "email", on, name)
	}

	s = serve(t, "-providers", "gitlab")
	r = call(t, "GET", s.api+"/settings", "")
	settings.External = nil
	require.NoError(t, json.Unmarshal(r.body, &settings))
	for name, on := range settings.External {
		assert.Equal(t, name == "email" || name == "gitlab", on, name)
	}
}

// -allow-origin: a preflight from a listed origin is allowed, from
// another one not; without the flag, any origin is.
func TestServeAllowOrigin(t *testing.T) {
	preflight := func(api, origin string) answer {
		return call(t, "OPTIONS", api+"/user", "", "Origin", origin, "Access-Control-Request-Method", "PUT",
			"Access-Control-Request-Headers", "authorization,content-type")
	}
	s := serve(t, "-allow-origin", "http://localhost:5173", "-allow-origin", "https://app.example")
	for _, origin := range []string{"http://localhost:5173", "https://app.example"} {
		r := preflight(s.api, origin)
		assert.Equal(t, origin, r.header.Get("Access-Control-Allow-Origin"), origin)
		assert.Equal(t, "true", r.header.Get("Access-Control-Allow-Credentials"), origin)
	}
	for _, origin := range []string{"http://localhost:5174", "https://evil.example"} {
		r := preflight(s.api, origin)
		assert.Empty(t, r.header.Get("Access-Control-Allow-Origin"), origin)
	}
	r := call(t, "GET", s.mailbox, "", "Origin", "https://evil.example")
	assert.Empty(t, r.header.Get("Access-Control-Allow-Origin"), "the mailbox follows -allow-origin too")

	s = serve(t)
	r = preflight(s.api, "https://anywhere.example")
	assert.Equal(t, "https://anywhere.example", r.header.Get("Access-Control-Allow-Origin"), "any origin by default")
}

// -disable-signup and -max-body-bytes reach the server.
func TestServeSignupAndBodyLimit(t *testing.T) {
	s := serve(t, "-disable-signup", "-max-body-bytes", "64")
	r := call(t, "POST", s.api+"/signup", `{"email":"a@example.com","password":"pw-123456"}`, "Content-Type", "application/json")
	assert.Equal(t, 403, r.status)
	r = call(t, "POST", s.api+"/signup", `{"email":"a@example.com","password":"`+strings.Repeat("x", 100)+`"}`, "Content-Type", "application/json")
	assert.Equal(t, 413, r.status)
}

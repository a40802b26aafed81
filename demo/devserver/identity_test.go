package devserver

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestIdentityMountAnswersSettings(t *testing.T) {
	s := newTestServer(t, Config{Autoconfirm: true, DisableSignup: true})
	r := s.get(t, "/.netlify/identity/settings")
	require.Equal(t, 200, r.status)
	assert.Equal(t, "application/json", r.header.Get("Content-Type"))
	var settings map[string]any
	require.NoError(t, json.Unmarshal(r.body, &settings))
	assert.Equal(t, true, settings["autoconfirm"])
	assert.Equal(t, true, settings["disable_signup"])

	r = s.get(t, "/.netlify/identity/nope")
	assert.Equal(t, 404, r.status)
	assert.Equal(t, "404 page not found\n", string(r.body), "the API's own 404, not the site's")
	assert.NotNil(t, s.Identity())
}

func TestSeededAdminCanUseTheAdminAPI(t *testing.T) {
	s := newTestServer(t, Config{})
	form := url.Values{"grant_type": {"password"}, "username": {AdminEmail}, "password": {AdminPassword}}
	r := s.do(t, "POST", "/.netlify/identity/token", form.Encode(), "Content-Type", "application/x-www-form-urlencoded")
	require.Equal(t, 200, r.status, "%s", r.body)
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	require.NoError(t, json.Unmarshal(r.body, &tok))

	r = s.get(t, "/.netlify/identity/admin/users", "Authorization", "Bearer "+tok.AccessToken)
	require.Equal(t, 200, r.status, "%s", r.body)
	assert.Contains(t, string(r.body), AdminEmail)

	r = s.do(t, "POST", "/.netlify/identity/invite", `{"email":"friend@example.com"}`, "Authorization", "Bearer "+tok.AccessToken)
	require.Equal(t, 200, r.status, "%s", r.body)
	m, ok := s.Identity().LastMail("friend@example.com", "invite")
	require.True(t, ok)
	assert.True(t, strings.HasPrefix(m.Link, s.URL+"/#invite_token="), m.Link)
}

func TestMailbox(t *testing.T) {
	s := newTestServer(t, Config{})
	r := s.do(t, "POST", "/.netlify/identity/signup", `{"email":"new@example.com","password":"pw-123456","data":{"full_name":"New"}}`)
	require.Equal(t, 200, r.status, "%s", r.body)

	r = s.get(t, "/mailbox")
	require.Equal(t, 200, r.status)
	var mails []struct{ To, Kind, Link string }
	require.NoError(t, json.Unmarshal(r.body, &mails))
	require.Len(t, mails, 1)
	assert.Equal(t, "new@example.com", mails[0].To)
	assert.Equal(t, "confirmation", mails[0].Kind)
	assert.True(t, strings.HasPrefix(mails[0].Link, s.URL+"/#confirmation_token="), "links land on the demo: %s", mails[0].Link)

	assert.Equal(t, 204, s.do(t, "DELETE", "/mailbox", "").status)
	assert.JSONEq(t, `[]`, string(s.get(t, "/mailbox").body))
}

func TestSetSiteURLMovesMailLinks(t *testing.T) {
	s := newTestServer(t, Config{})
	s.SetSiteURL("http://127.0.0.1:9999/")
	s.do(t, "POST", "/.netlify/identity/signup", `{"email":"a@example.com","password":"pw-123456"}`)
	m, ok := s.Identity().LastMail("a@example.com", "")
	require.True(t, ok)
	assert.True(t, strings.HasPrefix(m.Link, "http://127.0.0.1:9999/#confirmation_token="), m.Link)

	// The site's origin is allowed by CORS.
	r := s.do(t, "OPTIONS", "/.netlify/identity/user", "", "Origin", "http://127.0.0.1:9999", "Access-Control-Request-Method", "PUT")
	assert.Equal(t, "http://127.0.0.1:9999", r.header.Get("Access-Control-Allow-Origin"))
}

package gotruetest

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMailboxGoAPI(t *testing.T) {
	a := newAPI(t, func(c *Config) { c.OperatorToken = "op" })
	_, ok := a.srv.LastMail("", "")
	assert.False(t, ok)
	a.do("POST", "/signup", map[string]string{"email": "one@example.com", "password": "pw"})
	a.do("POST", "/signup", map[string]string{"email": "two@example.com", "password": "pw"})
	a.do("POST", "/invite", map[string]string{"email": "three@example.com"}, bearer("op")...)

	mails := a.srv.Mails()
	require.Len(t, mails, 3)
	assert.Equal(t, []string{"one@example.com", "two@example.com", "three@example.com"}, []string{mails[0].To, mails[1].To, mails[2].To})
	mails[0].To = "changed"
	assert.Equal(t, "one@example.com", a.srv.Mails()[0].To, "Mails returns a copy")

	m, ok := a.srv.LastMail("", KindConfirmation)
	require.True(t, ok)
	assert.Equal(t, "two@example.com", m.To)
	m, _ = a.srv.LastMail("", "")
	assert.Equal(t, KindInvite, m.Kind)
	assert.Equal(t, "/#invite_token="+m.Token, m.Link, "SiteURL \"\" gives a root-relative link")
	_, ok = a.srv.LastMail("one@example.com", KindRecovery)
	assert.False(t, ok)

	a.srv.ClearMails()
	assert.Empty(t, a.srv.Mails())
}

func TestMailboxHandler(t *testing.T) {
	s := New(Config{AllowedOrigins: []string{"http://demo.test"}, Autoconfirm: false})
	api := httptest.NewServer(s)
	defer api.Close()
	box := httptest.NewServer(s.MailboxHandler())
	defer box.Close()

	get := func(query string) []Mail {
		resp, err := http.Get(box.URL + query)
		require.NoError(t, err)
		defer resp.Body.Close()
		require.Equal(t, 200, resp.StatusCode)
		assert.Equal(t, "application/json", resp.Header.Get("Content-Type"))
		var out []Mail
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&out))
		return out
	}
	assert.Equal(t, []Mail{}, get(""), "an empty mailbox is [] not null")

	for _, e := range []string{"m1@example.com", "m2@example.com"} {
		resp, err := http.Post(api.URL+"/signup", "application/json", jsonBody(map[string]string{"email": e, "password": "pw"}))
		require.NoError(t, err)
		resp.Body.Close()
	}
	all := get("")
	require.Len(t, all, 2)
	assert.Equal(t, s.Mails(), all)
	only := get("?to=M2@example.com&kind=confirmation")
	require.Len(t, only, 1)
	assert.Equal(t, "m2@example.com", only[0].To)
	assert.Empty(t, get("?kind=recovery"))

	raw, err := json.Marshal(all[0])
	require.NoError(t, err)
	assert.Equal(t, []string{"to", "kind", "subject", "token", "link", "sent_at"}, keys(t, raw))

	req, _ := http.NewRequest("OPTIONS", box.URL, nil)
	req.Header.Set("Origin", "http://demo.test")
	req.Header.Set("Access-Control-Request-Method", "DELETE")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 204, resp.StatusCode)
	assert.Equal(t, "http://demo.test", resp.Header.Get("Access-Control-Allow-Origin"))

	req, _ = http.NewRequest("POST", box.URL, nil)
	resp, err = http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 405, resp.StatusCode)
	assert.Equal(t, "DELETE, GET", resp.Header.Get("Allow"))

	req, _ = http.NewRequest("DELETE", box.URL, nil)
	resp, err = http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 204, resp.StatusCode)
	assert.Empty(t, s.Mails())
}

func jsonBody(v any) *bytes.Reader {
	b, _ := json.Marshal(v)
	return bytes.NewReader(b)
}

func TestMailboxCapped(t *testing.T) {
	s := New(Config{})
	s.mu.Lock()
	for range maxRecorded + 3 {
		s.sendMailLocked(KindRecovery, "cap@example.com", "t", s.cfg, s.cfg.Now())
	}
	s.mu.Unlock()
	assert.Len(t, s.Mails(), maxRecorded)
}

func TestCreateUser(t *testing.T) {
	s := New(Config{Audience: "site"})
	id, err := s.CreateUser(UserParams{
		Email: "seed@example.com", Password: "pw", Role: "admin",
		AppMetadata:  map[string]any{"roles": []string{"admin"}, "provider": "ignored"},
		UserMetadata: map[string]any{"n": 1},
	})
	require.NoError(t, err)
	users := s.Users()
	require.Len(t, users, 1)
	u := users[0]
	assert.Equal(t, id, u.ID)
	assert.Equal(t, "site", u.Aud)
	assert.Equal(t, "admin", u.Role)
	assert.Nil(t, u.ConfirmedAt)
	assert.Equal(t, map[string]any{"provider": "email", "roles": []any{"admin"}}, u.AppMetadata)
	assert.Equal(t, map[string]any{"n": float64(1)}, u.UserMetadata)

	_, err = s.CreateUser(UserParams{Email: "SEED@example.com"})
	assert.EqualError(t, err, "gotruetest: a user with this email address already exists")
	_, err = s.CreateUser(UserParams{Email: "SEED@example.com", Aud: "other"})
	assert.NoError(t, err, "audiences are separate")
	_, err = s.CreateUser(UserParams{Email: "bad"})
	assert.EqualError(t, err, "gotruetest: invalid email address")
	_, err = s.CreateUser(UserParams{Email: "c@example.com", AppMetadata: map[string]any{"c": make(chan int)}})
	assert.ErrorContains(t, err, "gotruetest: app_metadata is not JSON")
	_, err = s.CreateUser(UserParams{Email: "c@example.com", UserMetadata: map[string]any{"c": make(chan int)}})
	assert.ErrorContains(t, err, "gotruetest: user_metadata is not JSON")
	_, err = s.CreateUser(UserParams{Email: "c@example.com", Password: "secret-pw"})
	assert.NoError(t, err)
}

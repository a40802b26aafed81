package gotruetest

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// entry is an audit log entry as a client reads it.
type entry struct {
	ID      string `json:"id"`
	Payload struct {
		Action     string            `json:"action"`
		ActorID    string            `json:"actor_id"`
		ActorEmail string            `json:"actor_email"`
		ActorName  any               `json:"actor_name"`
		LogType    string            `json:"log_type"`
		Timestamp  string            `json:"timestamp"`
		Traits     map[string]string `json:"traits"`
	} `json:"payload"`
	CreatedAt string `json:"created_at"`
}

// audit reads GET /admin/audit with the operator token "op".
func (a *api) audit(query string) (reply, []entry) {
	a.t.Helper()
	r := a.do("GET", "/admin/audit"+query, nil, bearer("op")...)
	require.Equal(a.t, 200, r.Status, "%s", r.Body)
	var out []entry
	require.NoError(a.t, json.Unmarshal(r.Body, &out))
	return r, out
}

// actions lists "action actor_email [traits.user_email]", newest first.
func (a *api) actions(query string) []string {
	a.t.Helper()
	_, es := a.audit(query)
	out := []string{}
	for _, e := range es {
		s := e.Payload.Action + " " + e.Payload.ActorEmail
		if e.Payload.Traits != nil {
			s += " -> " + e.Payload.Traits["user_email"]
		}
		out = append(out, s)
	}
	return out
}

func TestAuditEntryShape(t *testing.T) {
	clk := newClock()
	clk.Add(700 * time.Millisecond)
	a := newAPI(t, func(c *Config) { c.Now = clk.Now; c.OperatorToken = "op"; c.Autoconfirm = true })

	r, es := a.audit("")
	assert.Equal(t, "[]", string(r.Body))
	assert.Empty(t, es)
	assert.Equal(t, `</admin/audit?page=0>; rel="last"`, r.Header.Get("Link"))
	assert.Equal(t, "0", r.Header.Get("X-Total-Count"))

	signup := a.do("POST", "/signup", map[string]any{"email": "ann@example.com", "password": "pw", "data": map[string]any{"full_name": "Ann"}}).object(t)
	r = a.do("POST", "/admin/users", map[string]any{"email": "new@example.com"}, bearer("op")...)
	created := r.object(t)

	r, es = a.audit("")
	require.Len(t, es, 2)
	// Keys in the real order; the payload's sorted, as a JSON map comes
	// out of the real server.
	assert.Equal(t, `[{"id":"`+es[0].ID+`","payload":{"action":"user_signedup","actor_email":"operator@netlify.com",`+
		`"actor_id":"00000000-0000-0000-0000-000000000000","log_type":"team","timestamp":"2030-01-02T03:04:05Z",`+
		`"traits":{"user_email":"new@example.com","user_id":"`+created["id"].(string)+`"}},"created_at":"2030-01-02T03:04:05Z"},`+
		`{"id":"`+es[1].ID+`","payload":{"action":"user_signedup","actor_email":"ann@example.com","actor_id":"`+signup["id"].(string)+`",`+
		`"actor_name":"Ann","log_type":"team","timestamp":"2030-01-02T03:04:05Z"},"created_at":"2030-01-02T03:04:05Z"}]`, string(r.Body))
	assert.True(t, uuidFormat.MatchString(es[0].ID))
	assert.NotEqual(t, es[0].ID, es[1].ID)
}

// Which requests write what, from the real server's source (api/*.go,
// models/refresh_token.go); the recordings admin_audit_* check most of it.
func TestAuditActions(t *testing.T) {
	clk := newClock()
	a := newAPI(t, func(c *Config) { c.Now = clk.Now; c.OperatorToken = "op"; c.SiteURL = "http://site.test" })
	step := func() { clk.Add(time.Second) }

	// Without autoconfirm a signup writes nothing; confirming does.
	a.do("POST", "/signup", map[string]any{"email": "ann@example.com", "password": "pw"})
	step()
	a.do("POST", "/signup", map[string]any{"email": "ann@example.com", "password": "pw", "data": map[string]any{"full_name": "Ann"}})
	assert.Equal(t, []string{}, a.actions(""))
	mail, _ := a.srv.LastMail("ann@example.com", KindConfirmation)
	step()
	require.Equal(t, 200, a.do("POST", "/verify", map[string]string{"type": "signup", "token": mail.Token}).Status)

	// Refused requests write nothing.
	step()
	a.do("POST", "/token", url.Values{"grant_type": {"password"}, "username": {"ann@example.com"}, "password": {"wrong"}})
	a.do("POST", "/verify", map[string]string{"type": "signup", "token": "nope"})
	a.do("POST", "/recover", map[string]string{"email": "nobody@example.com"})
	a.do("POST", "/admin/users", map[string]any{"email": "ann@example.com"}, bearer("op")...)
	tok := a.login("ann@example.com", "pw")
	step()
	a.do("POST", "/token", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {tok["refresh_token"].(string)}})
	a.do("POST", "/token", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {tok["refresh_token"].(string)}}) // revoked
	step()
	access := tok["access_token"].(string)
	a.do("PUT", "/user", map[string]any{"email": "ann2@example.com", "data": map[string]any{"full_name": "Ann B"}}, bearer(access)...)
	change, _ := a.srv.LastMail("ann2@example.com", KindEmailChange)
	step()
	a.do("PUT", "/user", map[string]any{"email_change_token": change.Token}, bearer(access)...)
	a.do("PUT", "/user", map[string]any{"email_change_token": "wrong"}, bearer(access)...)
	step()
	a.do("POST", "/recover", map[string]string{"email": "ann2@example.com"})
	a.do("POST", "/recover", map[string]string{"email": "ann2@example.com"}) // 429
	rec, _ := a.srv.LastMail("ann2@example.com", KindRecovery)
	step()
	require.Equal(t, 200, a.do("POST", "/verify", map[string]string{"type": "recovery", "token": rec.Token}).Status) // confirmed already: nothing
	require.Equal(t, 204, a.do("POST", "/logout", nil, bearer(access)...).Status)

	assert.Equal(t, []string{
		"logout ann2@example.com",
		"user_recovery_requested ann2@example.com",
		"user_modified ann2@example.com", // the email the change confirmed
		"user_modified ann@example.com",  // the change is only requested
		"token_revoked ann@example.com",  // the same second: newest first
		"token_refreshed ann@example.com",
		"login ann@example.com",
		"user_signedup ann@example.com",
	}, a.actions(""))
	_, es := a.audit("?per_page=1&page=3")
	assert.Equal(t, "Ann B", es[0].Payload.ActorName, "the name after the change")

	// A recovery link confirms an unconfirmed user: that is a signup.
	a.do("POST", "/signup", map[string]any{"email": "rec@example.com", "password": "pw"})
	a.do("POST", "/recover", map[string]string{"email": "rec@example.com"})
	rec, _ = a.srv.LastMail("rec@example.com", KindRecovery)
	require.Equal(t, 200, a.do("POST", "/verify", map[string]string{"type": "recovery", "token": rec.Token}).Status)
	assert.Equal(t, []string{"user_signedup rec@example.com", "user_recovery_requested rec@example.com"}, a.actions("?per_page=2"))

	// The admin routes name the admin, and the user in traits.
	admin := a.admin()
	id := a.do("POST", "/admin/users", map[string]any{"email": "made@example.com"}, bearer(admin)...).object(t)["id"].(string)
	a.do("PUT", "/admin/users/"+id, map[string]any{"email": "made2@example.com"}, bearer("op")...)
	a.do("POST", "/invite", map[string]any{"email": "inv@example.com"}, bearer(systemUser(t, "0"))...)
	a.do("DELETE", "/admin/users/"+id, nil, bearer(admin)...)
	assert.Equal(t, []string{
		"user_deleted admin@example.com -> made2@example.com",
		"user_invited  -> inv@example.com",
		"user_modified operator@netlify.com -> made2@example.com",
		"user_signedup admin@example.com -> made@example.com",
		"login admin@example.com",
	}, a.actions("?per_page=5"))
	_, es = a.audit("?per_page=3")
	assert.Equal(t, nilUUID, es[1].Payload.ActorID, "the system user")
	assert.Equal(t, nilUUID, es[2].Payload.ActorID, "the operator")
	assert.Equal(t, id, es[0].Payload.Traits["user_id"])

	// The system user can log out: nothing to revoke, but it is logged.
	require.Equal(t, 204, a.do("POST", "/logout", nil, bearer(systemUser(t, "0"))...).Status)
	assert.Equal(t, []string{"logout "}, a.actions("?per_page=1"))
}

func TestAuditAutoconfirmAndExternal(t *testing.T) {
	a := newAPI(t, func(c *Config) { c.OperatorToken = "op"; c.Autoconfirm = true; c.SiteURL = "http://site.test" })
	a.do("POST", "/signup", map[string]any{"email": "auto@example.com", "password": "pw"})
	a.do("POST", "/signup", map[string]any{"email": "auto@example.com", "password": "pw"}) // 400: nothing
	a.oauth("provider=github")
	a.oauth("provider=github")
	a.do("POST", "/invite", map[string]any{"email": "gitlab-user@example.com"}, bearer("op")...)
	invite, _ := a.srv.LastMail("gitlab-user@example.com", KindInvite)
	a.oauth("provider=gitlab&invite_token=" + invite.Token)
	// A user who signed up by email and never confirmed, then logs in
	// through a provider that vouches for the address: that is a signup.
	a.srv.SetConfig(func(c *Config) { c.Autoconfirm = false })
	a.do("POST", "/signup", map[string]any{"email": "google-user@example.com", "password": "pw"})
	a.oauth("provider=google")
	assert.Equal(t, []string{
		"user_signedup google-user@example.com",
		"invite_accepted gitlab-user@example.com",
		"user_invited operator@netlify.com -> gitlab-user@example.com",
		"login github-user@example.com",
		"user_signedup github-user@example.com",
		"user_signedup auto@example.com",
	}, a.actions(""))
	_, es := a.audit("?per_page=2")
	assert.Equal(t, "gitlab user", es[1].Payload.ActorName, "the provider's name, merged before the entry")
}

func TestAuditQuery(t *testing.T) {
	a := newAPI(t, func(c *Config) { c.OperatorToken = "op"; c.Autoconfirm = true })
	a.do("POST", "/signup", map[string]any{"email": "ann@example.com", "password": "pw", "data": map[string]any{"full_name": "Zoë Ann"}})
	a.do("POST", "/signup", map[string]any{"email": "bob@example.org", "password": "pw", "data": map[string]any{"full_name": 7.0}})
	a.login("bob@example.org", "pw")
	a.do("POST", "/admin/users", map[string]any{"email": "x_y@example.com"}, bearer("op")...)

	for q, want := range map[string][]string{
		"action:signed":                        {"user_signedup operator@netlify.com -> x_y@example.com", "user_signedup bob@example.org", "user_signedup ann@example.com"},
		"action:LOGIN":                         {"login bob@example.org"},
		"type:account":                         {"login bob@example.org"},
		"type:team":                            {"user_signedup operator@netlify.com -> x_y@example.com", "user_signedup bob@example.org", "user_signedup ann@example.com"},
		"author:zoe":                           {"user_signedup ann@example.com"},                          // actor_name, accents aside
		"author:.ORG":                          {"login bob@example.org", "user_signedup bob@example.org"}, // actor_email
		"author:7":                             {"login bob@example.org", "user_signedup bob@example.org"}, // a name that is a number
		"author:netlify":                       {"user_signedup operator@netlify.com -> x_y@example.com"},
		"author:x_y":                           {}, // traits are not searched
		"author:%":                             {"user_signedup operator@netlify.com -> x_y@example.com", "login bob@example.org", "user_signedup bob@example.org", "user_signedup ann@example.com"},
		"action:":                              {"user_signedup operator@netlify.com -> x_y@example.com", "login bob@example.org", "user_signedup bob@example.org", "user_signedup ann@example.com"},
		"action:a:b":                           {}, // the text is everything after the first colon
		"type:" + strings.Repeat("_%", 100000): {},
	} {
		assert.Equal(t, want, a.actions("?query="+url.QueryEscape(q)), q)
		r, _ := a.audit("?query=" + url.QueryEscape(q))
		assert.Equal(t, fmt.Sprint(len(want)), r.Header.Get("X-Total-Count"), q)
	}
	r, _ := a.audit("?query=action:signed&per_page=2")
	assert.Equal(t, `</admin/audit?page=2&per_page=2&query=action%3Asigned>; rel="next", </admin/audit?page=2&per_page=2&query=action%3Asigned>; rel="last"`, r.Header.Get("Link"))

	for q, msg := range map[string]string{
		"?query=foo":               "Invalid query scope: foo",
		"?query=author":            "Invalid query scope: author",
		"?query=Author:ann":        "Invalid query scope: Author:ann",
		"?query=:x":                "Invalid query scope: :x",
		"?query=foo&page=x":        `Bad Pagination Parameters: strconv.ParseUint: parsing "x": invalid syntax`,
		"?per_page=1.5&query=type": `Bad Pagination Parameters: strconv.ParseUint: parsing "1.5": invalid syntax`,
	} {
		a.do("GET", "/admin/audit"+q, nil, bearer("op")...).wantErr(t, 400, msg)
	}
}

func TestAuditAccess(t *testing.T) {
	a := newAPI(t, func(c *Config) { c.OperatorToken = "op"; c.Autoconfirm = true })
	a.do("POST", "/signup", map[string]any{"email": "plain@example.com", "password": "pw"})
	plain := a.accessToken("plain@example.com", "pw")
	a.do("GET", "/admin/audit", nil).wantErr(t, 401, "This endpoint requires a Bearer token")
	a.do("GET", "/admin/audit", nil, bearer(plain)...).wantErr(t, 401, "User not allowed")
	assert.Equal(t, 200, a.do("GET", "/admin/audit/", nil, bearer(a.admin())...).Status)
	assert.Equal(t, 200, a.do("GET", "/admin/audit", nil, bearer(systemUser(t, "0"))...).Status)
	r := a.do("POST", "/admin/audit", nil, bearer("op")...)
	assert.Equal(t, 405, r.Status)
	assert.Equal(t, "GET", r.Header.Get("Allow"))
	assert.Equal(t, 404, a.do("GET", "/admin/audit/x", nil, bearer("op")...).Status)

	// The audience plays no part: an admin of another one sees it all.
	a.seed("other@example.com", "pw", func(p *UserParams) { p.Role = "admin"; p.Aud = "other" })
	other := a.login("other@example.com", "pw", "X-JWT-AUD", "other")["access_token"].(string)
	r = a.do("GET", "/admin/audit", nil, bearer(other)...)
	require.Equal(t, 200, r.Status)
	assert.Equal(t, "4", r.Header.Get("X-Total-Count"))
}

func TestAuditKeepsTheNewest(t *testing.T) {
	clk := newClock()
	a := newAPI(t, func(c *Config) { c.Now = clk.Now; c.OperatorToken = "op" })
	u := &user{id: newUUID()}
	a.srv.mu.Lock()
	for i := range maxRecorded + 5 {
		u.email = fmt.Sprintf("u%d@example.com", i)
		a.srv.auditLocked(clk.Now(), actorOf(u), auditLogin, nil)
		clk.Add(time.Second)
	}
	a.srv.mu.Unlock()
	r, es := a.audit("?per_page=1")
	assert.Equal(t, fmt.Sprint(maxRecorded), r.Header.Get("X-Total-Count"))
	assert.Equal(t, fmt.Sprintf("u%d@example.com", maxRecorded+4), es[0].Payload.ActorEmail)
	_, es = a.audit(fmt.Sprintf("?per_page=1&page=%d", maxRecorded))
	assert.Equal(t, "u5@example.com", es[0].Payload.ActorEmail)
	a.srv.mu.Lock()
	for range maxRecorded {
		a.srv.auditLocked(clk.Now(), actorOf(u), auditLogout, nil)
		assert.LessOrEqual(t, len(a.srv.audit), maxRecorded*5/4, "bounded")
	}
	assert.Len(t, a.srv.auditKeptLocked(), maxRecorded)
	a.srv.mu.Unlock()
	r, _ = a.audit("?query=action:login")
	assert.Equal(t, "0", r.Header.Get("X-Total-Count"), "an entry out of the newest 10000 is gone even while it is still held")
}

func TestAuditConcurrent(t *testing.T) {
	a := newAPI(t, func(c *Config) { c.OperatorToken = "op"; c.Autoconfirm = true })
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			email := fmt.Sprintf("c%d@example.com", i)
			a.do("POST", "/signup", map[string]any{"email": email, "password": "pw", "data": map[string]any{"full_name": "C"}})
			a.do("POST", "/token", url.Values{"grant_type": {"password"}, "username": {email}, "password": {"pw"}})
			a.do("GET", "/admin/audit?query=author:c", nil, bearer("op")...)
		})
	}
	wg.Wait()
	r, _ := a.audit("")
	assert.Equal(t, "16", r.Header.Get("X-Total-Count"))
}

func TestAuditInviteVerifyAndEmptyUpdate(t *testing.T) {
	a := newAPI(t, func(c *Config) { c.OperatorToken = "op" })
	a.do("POST", "/invite", map[string]any{"email": "inv@example.com", "data": map[string]any{"full_name": "In V"}}, bearer("op")...)
	mail, _ := a.srv.LastMail("inv@example.com", KindInvite)
	a.do("POST", "/verify", map[string]string{"type": "signup", "token": mail.Token}) // 422: no password, nothing
	r := a.do("POST", "/verify", map[string]string{"type": "signup", "token": mail.Token, "password": "pw"})
	require.Equal(t, 200, r.Status)
	require.Equal(t, 200, a.do("PUT", "/user", map[string]any{}, bearer(r.object(t)["access_token"].(string))...).Status)
	assert.Equal(t, []string{
		"user_modified inv@example.com",
		"user_signedup inv@example.com",
		"user_invited operator@netlify.com -> inv@example.com",
	}, a.actions(""))
	_, es := a.audit("?per_page=1&page=2")
	assert.Equal(t, "In V", es[0].Payload.ActorName)
}

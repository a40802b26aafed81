package gotruetest

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Settings and external (OAuth) login.
//
// No real provider is reachable from a test, so /authorize stands in for
// one locally: instead of GitHub's consent page it redirects to this
// server's /callback, which "authenticates" a fixed account
// <provider>-user@example.com with a verified address (or, with
// invite_token, the invited user) and then redirects to
// SiteURL/#access_token=...&expires_in=...&refresh_token=...&token_type=bearer
// exactly like the real callback.

type providerSettings struct {
	Bitbucket bool `json:"bitbucket"`
	GitHub    bool `json:"github"`
	GitLab    bool `json:"gitlab"`
	Google    bool `json:"google"`
	Facebook  bool `json:"facebook"`
	Email     bool `json:"email"`
	SAML      bool `json:"saml"`
}

type settings struct {
	External       providerSettings  `json:"external"`
	ExternalLabels map[string]string `json:"external_labels"`
	DisableSignup  bool              `json:"disable_signup"`
	Autoconfirm    bool              `json:"autoconfirm"`
}

func (s *Server) settings(c *call) error {
	on := func(p string) bool { return slices.Contains(c.cfg.ExternalProviders, p) }
	return writeJSON(c.w, http.StatusOK, settings{
		External: providerSettings{
			Bitbucket: on("bitbucket"),
			GitHub:    on("github"),
			GitLab:    on("gitlab"),
			Google:    on("google"),
			Facebook:  on("facebook"),
			Email:     true,
			SAML:      on("saml"),
		},
		ExternalLabels: map[string]string{},
		DisableSignup:  c.cfg.DisableSignup,
		Autoconfirm:    c.cfg.Autoconfirm,
	})
}

var knownProviders = []string{"bitbucket", "github", "gitlab", "google", "facebook", "saml"}

// KnownProviders lists the OAuth providers Config.ExternalProviders may
// enable, the ones netlify/gotrue knows.
func KnownProviders() []string { return slices.Clone(knownProviders) }

// oauthFlow is a pending /authorize, keyed by its state parameter.
type oauthFlow struct {
	provider    string
	inviteToken string
	expires     time.Time
}

const oauthStateLifetime = 5 * time.Minute

func (s *Server) authorize(c *call) error {
	q := c.r.URL.Query()
	provider := strings.ToLower(q.Get("provider"))
	// The real server's messages: unknown, then configured-but-disabled.
	if !slices.Contains(knownProviders, provider) {
		return badRequest("Unsupported provider: Provider %s could not be found", provider)
	}
	if !slices.Contains(c.cfg.ExternalProviders, provider) {
		return badRequest("Unsupported provider: Provider is not enabled")
	}
	invite := q.Get("invite_token")

	s.mu.Lock()
	defer s.mu.Unlock()
	if invite != "" && s.findByTokenLocked(confirmationTokenOf, invite) == nil {
		return userNotFound
	}
	state := randomToken(16)
	s.states[state] = oauthFlow{provider: provider, inviteToken: invite, expires: c.now.Add(oauthStateLifetime)}
	for k, f := range s.states { // drop abandoned flows
		if f.expires.Before(c.now) {
			delete(s.states, k)
		}
	}
	// A relative Location keeps the mount prefix (/.netlify/identity).
	return redirect(c, "callback?"+url.Values{"provider": {provider}, "state": {state}}.Encode())
}

// callback is the fake provider's return leg. Errors after the state check
// go back to the site as #error=...&error_description=..., as the real
// callback does.
func (s *Server) callback(c *call) error {
	state := c.r.URL.Query().Get("state")
	s.mu.Lock()
	defer s.mu.Unlock()
	flow, ok := s.states[state]
	delete(s.states, state)
	if !ok || flow.expires.Before(c.now) {
		return badRequest("OAuth state is invalid")
	}
	site := strings.TrimRight(c.cfg.SiteURL, "/") + "/#"

	u, he := s.externalUserLocked(c, flow)
	if he != nil {
		code := map[int]string{http.StatusBadRequest: "invalid_request", http.StatusForbidden: "access_denied"}[he.Code]
		if code == "" {
			code = "server_error"
		}
		return redirect(c, site+url.Values{"error": {code}, "error_description": {he.Msg}}.Encode())
	}
	tok, err := s.grantLocked(u, c.cfg, c.now)
	if err != nil {
		return err
	}
	return redirect(c, site+url.Values{
		"access_token":  {tok.AccessToken},
		"token_type":    {tok.TokenType},
		"expires_in":    {strconv.Itoa(tok.ExpiresIn)},
		"refresh_token": {tok.RefreshToken},
	}.Encode())
}

// externalUserLocked finds or creates the user the fake provider vouches
// for.
func (s *Server) externalUserLocked(c *call, flow oauthFlow) (*user, *httpError) {
	name := map[string]any{"full_name": flow.provider + " user"}
	if flow.inviteToken != "" {
		u := s.findByTokenLocked(confirmationTokenOf, flow.inviteToken)
		if u == nil {
			return nil, userNotFound
		}
		u.appMeta = mergeMeta(u.appMeta, map[string]any{"provider": flow.provider})
		u.userMeta = mergeMeta(u.userMeta, name)
		s.auditLocked(c.now, actorOf(u), auditInviteAccepted, nil)
		u.confirm(c.now)
		return u, nil
	}
	email := flow.provider + "-user@example.com"
	u := s.findByEmailLocked(email, requestAud(c))
	if u == nil {
		if c.cfg.DisableSignup {
			return nil, httpErr(http.StatusForbidden, "Signups not allowed for this instance")
		}
		u = s.newUserLocked(email, "", requestAud(c), flow.provider, name, c.now)
	}
	if u.confirmed() {
		s.auditLocked(c.now, actorOf(u), auditLogin, nil)
	} else {
		s.auditLocked(c.now, actorOf(u), auditSignedUp, nil)
		u.confirm(c.now) // the provider says the address is verified
	}
	return u, nil
}

// redirect answers 302 without rewriting loc: http.Redirect would turn a
// relative location into a path that has lost the mount prefix.
func redirect(c *call, loc string) error {
	c.w.Header().Set("Location", loc)
	c.w.WriteHeader(http.StatusFound)
	return nil
}

package gotruetest

import (
	"net/http"
	"strings"
)

// The public endpoints: signup, login and refresh, verification, password
// recovery, the user's own record, logout. Each takes s.mu once for its
// whole read-modify-write so that a request is atomic.

type signupParams struct {
	Email    string         `json:"email"`
	Password string         `json:"password"`
	Data     map[string]any `json:"data"`
}

func (s *Server) signup(c *call) error {
	if c.cfg.DisableSignup {
		return httpErr(http.StatusForbidden, "Signups not allowed for this instance")
	}
	var p signupParams
	if err := decodeBody(c, "Signup", &p); err != nil {
		return err
	}
	if p.Password == "" {
		return unprocessable("Signup requires a valid password")
	}
	if err := validateEmail(p.Email); err != nil {
		return err
	}
	aud := requestAud(c)

	s.mu.Lock()
	defer s.mu.Unlock()
	created := false
	u := s.findByEmailLocked(p.Email, aud)
	if u != nil {
		if u.confirmed() {
			return badRequest("A user with this email address has already been registered")
		}
		// Signing up again before confirming merges the data and keeps
		// the first password, as the real server does.
		u.userMeta = mergeMeta(u.userMeta, p.Data)
	} else {
		u = s.newUserLocked(p.Email, p.Password, aud, "email", p.Data, c.now)
		created = true
	}
	if c.cfg.Autoconfirm {
		s.auditLocked(c.now, actorOf(u), auditSignedUp, nil)
		u.confirm(c.now)
	} else {
		s.sendConfirmationLocked(u, c.cfg, c.now)
	}
	if created {
		return writeJSON(c.w, http.StatusOK, u.createdView(p.Data))
	}
	return writeJSON(c.w, http.StatusOK, u.changedView(c.now))
}

// token is /token: OAuth2 password and refresh_token grants, form-encoded.
// Every failure is 400 {error, error_description}.
func (s *Server) token(c *call) error {
	_ = c.r.ParseForm() // as the real FormValue: a malformed form reads as empty
	switch c.r.Form.Get("grant_type") {
	case "password":
		return s.passwordGrant(c)
	case "refresh_token":
		return s.refreshGrant(c)
	default:
		return &oauthError{Err: "unsupported_grant_type"}
	}
}

var errBadLogin = &oauthError{Err: "invalid_grant", Description: "No user found with that email, or password invalid."}

func (s *Server) passwordGrant(c *call) error {
	email, password := c.r.Form.Get("username"), c.r.Form.Get("password")
	aud := requestAud(c)

	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.findByEmailLocked(email, aud)
	if u == nil {
		return errBadLogin
	}
	// The real server checks confirmation before the password.
	if !u.confirmed() {
		return &oauthError{Err: "invalid_grant", Description: "Email not confirmed"}
	}
	if !u.authenticate(password) {
		return errBadLogin
	}
	s.auditLocked(c.now, actorOf(u), auditLogin, nil)
	return s.answerTokenLocked(c, u)
}

// refreshGrant rotates: a refresh token works once, with no grace period.
// As on the real server, presenting a revoked (already rotated) or expired
// token clears the nf_jwt cookie, while an unknown one (never issued, or
// deleted by /logout) does not.
func (s *Server) refreshGrant(c *call) error {
	rt := c.r.Form.Get("refresh_token")
	if rt == "" {
		return &oauthError{Err: "invalid_request", Description: "refresh_token required"}
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	grant, ok := s.refresh[rt]
	u := s.users[grant.userID]
	if !ok || u == nil {
		return errBadRefresh
	}
	if grant.revoked {
		clearCookie(c)
		return errBadRefresh
	}
	if c.now.After(grant.issued.Add(c.cfg.RefreshTokenLifetime)) {
		clearCookie(c)
		return &oauthError{Err: "invalid_grant", Description: "Refresh token expired"}
	}
	s.auditLocked(c.now, actorOf(u), auditTokenRefreshed, nil)
	s.auditLocked(c.now, actorOf(u), auditTokenRevoked, nil)
	grant.revoked = true
	s.refresh[rt] = grant
	tok, err := s.grantLocked(u, c.cfg, c.now)
	if err != nil {
		return err
	}
	setCookie(c, tok.AccessToken)
	return writeJSON(c.w, http.StatusOK, tok)
}

var errBadRefresh = &oauthError{Err: "invalid_grant", Description: "Invalid Refresh Token"}

// answerTokenLocked logs u in and answers the token response.
func (s *Server) answerTokenLocked(c *call, u *user) error {
	tok, err := s.grantLocked(u, c.cfg, c.now)
	if err != nil {
		return err
	}
	setCookie(c, tok.AccessToken)
	return writeJSON(c.w, http.StatusOK, tok)
}

type verifyParams struct {
	Type     string `json:"type"`
	Token    string `json:"token"`
	Password string `json:"password"`
}

// verify exchanges a mailed confirmation, invite or recovery token for a
// login.
func (s *Server) verify(c *call) error {
	var p verifyParams
	if err := decodeBody(c, "verification", &p); err != nil {
		return err
	}
	if strings.TrimSpace(p.Token) == "" {
		return unprocessable("Verify requires a token")
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	var u *user
	switch p.Type {
	case "signup":
		if u = s.findByTokenLocked(confirmationTokenOf, p.Token); u == nil {
			return userNotFound
		}
		if u.password == nil && !u.invitedAt.IsZero() {
			if p.Password == "" {
				return unprocessable("Invited users must specify a password")
			}
			u.setPassword(p.Password)
		}
		s.auditLocked(c.now, actorOf(u), auditSignedUp, nil)
		u.confirm(c.now)
	case "recovery":
		if u = s.findByTokenLocked(recoveryTokenOf, p.Token); u == nil {
			return userNotFound
		}
		u.recoveryToken = ""
		if !u.confirmed() { // the mail reached its owner: that confirms the address
			s.auditLocked(c.now, actorOf(u), auditSignedUp, nil)
			u.confirm(c.now)
		}
	default:
		return unprocessable("Verify requires a verification type")
	}
	return s.answerTokenLocked(c, u)
}

// recoverPassword mails a recovery link. Like the real server it answers
// {} for an unknown address (so that nobody learns which exist), and 429
// for a known one that was sent a recovery mail within MailInterval.
func (s *Server) recoverPassword(c *call) error {
	var p struct {
		Email string `json:"email"`
	}
	if err := decodeBody(c, "verification", &p); err != nil {
		return err
	}
	if p.Email == "" {
		return unprocessable("Password recovery requires an email")
	}
	aud := requestAud(c)

	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.findByEmailLocked(p.Email, aud)
	if u == nil {
		return writeJSON(c.w, http.StatusOK, struct{}{})
	}
	if !u.recoverySentAt.IsZero() && !u.recoverySentAt.Add(c.cfg.MailInterval).Before(c.now) {
		return httpErr(http.StatusTooManyRequests, "Rate limit exceeded, try again later")
	}
	s.auditLocked(c.now, actorOf(u), auditRecoveryRequest, nil)
	u.recoveryToken = randomToken(16)
	u.recoverySentAt = c.now
	s.sendMailLocked(KindRecovery, u.email, u.recoveryToken, c.cfg, c.now)
	return writeJSON(c.w, http.StatusOK, struct{}{})
}

// logout revokes every refresh token of the user and clears the cookie.
// The system user (sub "0") can log out too: it has nothing to revoke,
// but the logout is in the audit log.
func (s *Server) logout(c *call) error {
	if err := s.authenticate(c); err != nil {
		return err
	}
	clearCookie(c)
	s.mu.Lock()
	defer s.mu.Unlock()
	id := strings.ToLower(c.claims.Sub)
	if isSystemUser(id) {
		s.auditLocked(c.now, systemActor, auditLogout, nil)
	} else {
		u := s.users[id]
		if u == nil {
			return unauthorized("Invalid user")
		}
		s.auditLocked(c.now, actorOf(u), auditLogout, nil)
		s.deleteGrantsLocked(id)
	}
	c.w.WriteHeader(http.StatusNoContent)
	return nil
}

// currentUserLocked finds the token's user after the audience check the
// real UserGet makes.
func (s *Server) currentUserLocked(c *call) (*user, error) {
	if !uuidFormat.MatchString(c.claims.Sub) {
		return nil, badRequest("Could not read User ID claim")
	}
	if requestAud(c) != c.claims.Aud {
		return nil, badRequest("Token audience doesn't match request audience")
	}
	u := s.users[strings.ToLower(c.claims.Sub)]
	if u == nil {
		return nil, userNotFound
	}
	return u, nil
}

func (s *Server) getUser(c *call) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, err := s.currentUserLocked(c)
	if err != nil {
		return err
	}
	return writeJSON(c.w, http.StatusOK, u.view())
}

type userUpdateParams struct {
	Email            string         `json:"email"`
	Password         string         `json:"password"`
	EmailChangeToken string         `json:"email_change_token"`
	Data             map[string]any `json:"data"`
	AppMetadata      map[string]any `json:"app_metadata"`
}

// putUser updates the caller's own record. Every check runs before any
// change, so a refused update changes nothing (the real server gets that
// from a transaction).
func (s *Server) putUser(c *call) error {
	var p userUpdateParams
	if err := decodeBody(c, "User Update", &p); err != nil {
		return err
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	u, err := s.currentUserLocked(c)
	if err != nil {
		return err
	}
	// The real server checks the configured audience here, not the request's.
	if p.AppMetadata != nil && !u.isAdmin(c.cfg.Audience, c.cfg) {
		return unauthorized("Updating app_metadata requires admin privileges")
	}
	changeEmail := p.Email != "" && !strings.EqualFold(p.Email, u.email)
	switch {
	case p.EmailChangeToken != "":
		if p.EmailChangeToken != u.emailChangeToken {
			return unauthorized("Email Change Token didn't match token on file")
		}
		if other := s.findByEmailLocked(u.newEmail, u.aud); other != nil && other != u {
			return unprocessable("Email address already registered by another user")
		}
	case changeEmail:
		if err := validateEmail(p.Email); err != nil {
			return err
		}
		if s.findByEmailLocked(p.Email, u.aud) != nil {
			return unprocessable("Email address already registered by another user")
		}
	}

	if p.Password != "" {
		u.setPassword(p.Password)
	}
	if p.Data != nil {
		u.userMeta = mergeMeta(u.userMeta, p.Data)
	}
	if p.AppMetadata != nil {
		u.appMeta = mergeMeta(u.appMeta, p.AppMetadata)
	}
	switch {
	case p.EmailChangeToken != "":
		u.email, u.newEmail, u.emailChangeToken = u.newEmail, "", ""
	case changeEmail:
		u.newEmail = p.Email
		u.emailChangeToken = randomToken(16)
		u.emailChangeSentAt = c.now
		s.sendMailLocked(KindEmailChange, p.Email, u.emailChangeToken, c.cfg, c.now)
	}
	s.auditLocked(c.now, actorOf(u), auditModified, nil)
	return writeJSON(c.w, http.StatusOK, u.changedView(c.now))
}

package gotruetest

import (
	"bytes"
	"crypto/subtle"
	"encoding/json"
	"net/http"
	"strings"
)

// The admin API (/admin/users..., /admin/audit) and /invite. A caller is
// an admin when it presents Config.OperatorToken, or when its user has
// role "admin" in the request's audience (or, with
// Config.AppMetadataAdmins, app_metadata.roles containing "admin").

// routeAdmin serves /admin/...; rest is the path after "/admin". As in the
// real router, the admin check runs before the group's 404 and 405, and
// the {user_id} check before the method.
func (s *Server) routeAdmin(c *call, rest string) error {
	if err := s.requireAdmin(c); err != nil {
		return err
	}
	if rest == "/audit" || rest == "/audit/" {
		return s.methods(c, handlers{http.MethodGet: (*Server).adminAudit})
	}
	if rest == "/users" || rest == "/users/" {
		return s.methods(c, handlers{http.MethodGet: (*Server).adminList, http.MethodPost: (*Server).adminCreate})
	}
	id, ok := strings.CutPrefix(rest, "/users/")
	id = strings.TrimSuffix(id, "/")
	if !ok || strings.Contains(id, "/") {
		return errNotFound
	}
	if !uuidFormat.MatchString(id) {
		return badRequest("user_id must be an UUID")
	}
	c.target = strings.ToLower(id)
	s.mu.Lock()
	_, exists := s.users[c.target]
	s.mu.Unlock()
	if !exists {
		return userNotFound
	}
	return s.methods(c, handlers{
		http.MethodGet:    (*Server).adminGet,
		http.MethodPut:    (*Server).adminUpdate,
		http.MethodDelete: (*Server).adminDelete,
	})
}

// requireAdmin is the real requireAdminCredentials: the operator token, a
// valid JWT for the system user, or a valid JWT whose user is an admin in
// the request's audience (which a body field "aud" may override).
func (s *Server) requireAdmin(c *call) error {
	bearer, ok := bearerToken(c.r)
	if !ok {
		return unauthorized("This endpoint requires a Bearer token")
	}
	if op := c.cfg.OperatorToken; op != "" && subtle.ConstantTimeCompare([]byte(bearer), []byte(op)) == 1 {
		c.admin = operatorActor
		return nil
	}
	if err := s.verifyBearer(c, bearer); err != nil {
		return err
	}
	system := isSystemUser(c.claims.Sub)
	s.mu.Lock()
	u := s.users[strings.ToLower(c.claims.Sub)]
	s.mu.Unlock()
	if u == nil && !system {
		return unauthorized("Invalid admin user")
	}
	aud := requestAud(c)
	if len(c.body) > 0 {
		var p struct {
			Aud string `json:"aud"`
		}
		if err := decodeAdmin(c, &p); err != nil {
			return err
		}
		if p.Aud != "" {
			aud = p.Aud
		}
	}
	if system {
		c.admin = systemActor
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if !u.isAdmin(aud, c.cfg) {
		return unauthorized("User not allowed")
	}
	c.admin = actorOf(u) // as it was before the request changes anything
	return nil
}

// isSystemUser reports whether a JWT's sub names the real server's system
// user, which is an admin in every audience: a token signed with the JWT
// secret for sub "0" is how a script gets admin rights without a user.
func isSystemUser(sub string) bool {
	return sub == "0" || sub == "00000000-0000-0000-0000-000000000000"
}

func decodeAdmin(c *call, v any) error {
	if err := json.NewDecoder(bytes.NewReader(c.body)).Decode(v); err != nil {
		return badRequest("Could not decode admin user params: %v", err)
	}
	return nil
}

type adminUserParams struct {
	Aud          string         `json:"aud"`
	Role         string         `json:"role"`
	Email        string         `json:"email"`
	Password     string         `json:"password"`
	Confirm      bool           `json:"confirm"`
	UserMetadata map[string]any `json:"user_metadata"`
	AppMetadata  map[string]any `json:"app_metadata"` // applied by updates only
}

// adminList answers {aud, users}, one page at a time, with the real
// server's Link and X-Total-Count headers. Its parameters are those of
// the real adminUsers: page, per_page, sort (created_at only, newest first
// by default) and filter, which keeps the users whose email or
// user_metadata.full_name contains it (see matches). The count and the
// pages are those of the filtered list.
func (s *Server) adminList(c *call) error {
	q := c.r.URL.Query()
	p, err := parsePage(q)
	if err != nil {
		return err
	}
	asc, err := parseSort(q, "created_at")
	if err != nil {
		return err
	}
	aud := requestAud(c)
	filter := q.Get("filter")
	pattern := containsPattern(filter)

	s.mu.Lock()
	all := s.sortedLocked(func(u *user) bool {
		return u.aud == aud && (filter == "" || u.matches(pattern))
	}, asc)
	start, end, err := p.window(len(all), "Database error finding users")
	if err != nil {
		s.mu.Unlock()
		return err
	}
	users := viewUsers(all[start:end])
	s.mu.Unlock()

	setPageHeaders(c, p, len(all))
	return writeJSON(c.w, http.StatusOK, struct {
		Aud   string `json:"aud"`
		Users []User `json:"users"`
	}{aud, users})
}

// matches is the real server's filter, email LIKE '%filter%' OR
// raw_user_meta_data->>'$.full_name' LIKE '%filter%', both under
// utf8mb4_unicode_ci: case-insensitive, and % _ \ in the filter act as
// in any LIKE pattern.
func (u *user) matches(p likePattern) bool {
	if p.match(u.email) {
		return true
	}
	name, ok := sqlText(u.userMeta, "full_name")
	return ok && p.match(name)
}

// adminCreate ignores app_metadata and data as the real server does: its
// user starts with {"provider":"email"} and only user_metadata.
func (s *Server) adminCreate(c *call) error {
	var p adminUserParams
	if err := decodeAdmin(c, &p); err != nil {
		return err
	}
	if err := validateEmail(p.Email); err != nil {
		return err
	}
	aud := requestAud(c)
	if p.Aud != "" {
		aud = p.Aud
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	if s.findByEmailLocked(p.Email, aud) != nil {
		return unprocessable("Email address already registered by another user")
	}
	u := s.newUserLocked(p.Email, p.Password, aud, "email", p.UserMetadata, c.now)
	u.role = strings.TrimSpace(p.Role)
	if p.Confirm {
		u.confirm(c.now)
	}
	s.auditLocked(c.now, c.admin, auditSignedUp, u)
	return writeJSON(c.w, http.StatusOK, u.createdView(p.UserMetadata))
}

func (s *Server) adminGet(c *call) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.users[c.target]
	if u == nil {
		return userNotFound
	}
	return writeJSON(c.w, http.StatusOK, u.view())
}

func (s *Server) adminUpdate(c *call) error {
	var p adminUserParams
	if err := decodeAdmin(c, &p); err != nil {
		return err
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.users[c.target]
	if u == nil {
		return userNotFound
	}
	changeEmail := p.Email != "" && !strings.EqualFold(p.Email, u.email)
	if changeEmail {
		// The real server stores any string here; refusing a malformed or
		// taken address keeps email lookups unambiguous.
		if err := validateEmail(p.Email); err != nil {
			return err
		}
		if s.findByEmailLocked(p.Email, u.aud) != nil {
			return unprocessable("Email address already registered by another user")
		}
	}
	if role := strings.TrimSpace(p.Role); role != "" {
		u.role = role
	}
	if p.Confirm {
		u.confirm(c.now)
	}
	if p.Password != "" {
		u.setPassword(p.Password)
	}
	if p.Email != "" {
		u.email = p.Email
	}
	if p.AppMetadata != nil {
		u.appMeta = mergeMeta(u.appMeta, p.AppMetadata)
	}
	if p.UserMetadata != nil {
		u.userMeta = mergeMeta(u.userMeta, p.UserMetadata)
	}
	s.auditLocked(c.now, c.admin, auditModified, u)
	return writeJSON(c.w, http.StatusOK, u.changedView(c.now))
}

func (s *Server) adminDelete(c *call) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.users[c.target]
	if u == nil {
		return userNotFound
	}
	s.auditLocked(c.now, c.admin, auditDeleted, u)
	s.deleteUserLocked(c.target)
	return writeJSON(c.w, http.StatusOK, struct{}{})
}

// invite creates a user without a password and mails an invite link;
// accepting it is /verify type signup with a password (or /authorize with
// invite_token). Signups may be disabled: invites still work.
func (s *Server) invite(c *call) error {
	if err := s.requireAdmin(c); err != nil {
		return err
	}
	var p struct {
		Email string         `json:"email"`
		Data  map[string]any `json:"data"`
	}
	if err := decodeBody(c, "Invite", &p); err != nil {
		return err
	}
	if err := validateEmail(p.Email); err != nil {
		return err
	}
	aud := requestAud(c)

	s.mu.Lock()
	defer s.mu.Unlock()
	if s.findByEmailLocked(p.Email, aud) != nil {
		return unprocessable("Email address already registered by another user")
	}
	u := s.newUserLocked(p.Email, "", aud, "email", p.Data, c.now)
	u.confirmationToken = randomToken(16)
	u.invitedAt = c.now
	s.auditLocked(c.now, c.admin, auditInvited, u)
	s.sendMailLocked(KindInvite, u.email, u.confirmationToken, c.cfg, c.now)
	return writeJSON(c.w, http.StatusOK, u.createdView(p.Data))
}

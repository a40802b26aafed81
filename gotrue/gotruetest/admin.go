package gotruetest

import (
	"bytes"
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// The admin API (/admin/users...) and /invite. A caller is an admin when it
// presents Config.OperatorToken, or when its user has role "admin" in the
// request's audience (or, with Config.AppMetadataAdmins, app_metadata.roles
// containing "admin").

// routeAdmin serves /admin/...; rest is the path after "/admin". As in the
// real router, the admin check runs before the group's 404 and 405, and
// the {user_id} check before the method.
func (s *Server) routeAdmin(c *call, rest string) error {
	if err := s.requireAdmin(c); err != nil {
		return err
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
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if !u.isAdmin(aud, c.cfg) {
		return unauthorized("User not allowed")
	}
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

const defaultPerPage = 50

// adminList answers {aud, users}, newest first, one page at a time, with
// the real server's Link and X-Total-Count headers.
func (s *Server) adminList(c *call) error {
	q := c.r.URL.Query()
	page, err := pageParam(q.Get("page"), 1)
	if err != nil {
		return badRequest("Bad Pagination Parameters: %v", err)
	}
	perPage, err := pageParam(q.Get("per_page"), defaultPerPage)
	if err != nil {
		return badRequest("Bad Pagination Parameters: %v", err)
	}
	aud := requestAud(c)

	s.mu.Lock()
	all := s.sortedLocked(func(u *user) bool { return u.aud == aud })
	total := uint64(len(all))
	start := min((page-1)*perPage, total)
	users := viewUsers(all[start:min(start+perPage, total)])
	s.mu.Unlock()

	lastPage := (total + perPage - 1) / perPage
	link := ""
	if lastPage > page {
		link = "<" + pageURL(c, page+1) + ">; rel=\"next\", "
	}
	link += "<" + pageURL(c, lastPage) + ">; rel=\"last\""
	c.w.Header().Set("Link", link)
	c.w.Header().Set("X-Total-Count", strconv.FormatUint(total, 10))
	return writeJSON(c.w, http.StatusOK, struct {
		Aud   string `json:"aud"`
		Users []User `json:"users"`
	}{aud, users})
}

// pageParam parses a positive page number; 0 reads as the default (the
// real server would divide by a zero per_page).
func pageParam(v string, def uint64) (uint64, error) {
	if v == "" {
		return def, nil
	}
	n, err := strconv.ParseUint(v, 10, 64)
	if err != nil {
		return 0, err
	}
	if n == 0 {
		return def, nil
	}
	return min(n, 1<<32), nil // bounded so page*per_page cannot overflow
}

func pageURL(c *call, page uint64) string {
	u := *c.r.URL
	q := u.Query()
	q.Set("page", fmt.Sprint(page))
	u.RawQuery = q.Encode()
	return u.String()
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
	return writeJSON(c.w, http.StatusOK, u.changedView(c.now))
}

func (s *Server) adminDelete(c *call) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.users[c.target] == nil {
		return userNotFound
	}
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
	s.sendMailLocked(KindInvite, u.email, u.confirmationToken, c.cfg, c.now)
	return writeJSON(c.w, http.StatusOK, u.createdView(p.Data))
}

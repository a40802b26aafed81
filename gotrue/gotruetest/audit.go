package gotruetest

import (
	"net/http"
	"slices"
	"strings"
	"time"
)

// The audit log: GET /admin/audit. The real server (models/
// audit_log_entry.go) writes an entry in the same transaction as these
// changes, so a refused request leaves none:
//
//	login            POST /token (password); an OAuth login of a confirmed user
//	logout           POST /logout
//	invite_accepted  an OAuth login with an invite_token
//	user_signedup    POST /signup with autoconfirm; POST /verify type signup;
//	                 POST /verify type recovery of an unconfirmed user; an OAuth
//	                 login that creates or confirms a user; POST /admin/users
//	user_invited     POST /invite
//	user_deleted     DELETE /admin/users/{id}
//	user_modified    PUT /user; PUT /admin/users/{id}
//	user_recovery_requested  POST /recover for a known address (not a 429)
//	token_refreshed, then token_revoked  POST /token (refresh_token)
//
// The actor is the user who made the request, or for the admin routes
// and /invite the admin, and then traits name the user acted on.

// Audit actions, as the real server names them.
const (
	auditLogin           = "login"
	auditLogout          = "logout"
	auditInviteAccepted  = "invite_accepted"
	auditSignedUp        = "user_signedup"
	auditInvited         = "user_invited"
	auditDeleted         = "user_deleted"
	auditModified        = "user_modified"
	auditRecoveryRequest = "user_recovery_requested"
	auditTokenRevoked    = "token_revoked"
	auditTokenRefreshed  = "token_refreshed"
)

// auditLogTypes is the real server's log_type of each action.
var auditLogTypes = map[string]string{
	auditLogin:           "account",
	auditLogout:          "account",
	auditInviteAccepted:  "account",
	auditSignedUp:        "team",
	auditInvited:         "team",
	auditDeleted:         "team",
	auditTokenRevoked:    "token",
	auditTokenRefreshed:  "token",
	auditModified:        "user",
	auditRecoveryRequest: "user",
}

// auditActor is who did it, as the entry shows them: id, email, and
// user_metadata.full_name when the user has that key.
type auditActor struct {
	id, email string
	name      any
	named     bool
}

const nilUUID = "00000000-0000-0000-0000-000000000000"

var (
	// operatorActor is the real server's stand-in user for a request made
	// with the operator token.
	operatorActor = auditActor{id: nilUUID, email: "operator@netlify.com"}
	// systemActor is the system user (a JWT whose sub is "0"): no email.
	systemActor = auditActor{id: nilUUID}
)

// actorOf snapshots u; the caller holds s.mu.
func actorOf(u *user) auditActor {
	name, named := u.userMeta["full_name"]
	return auditActor{id: u.id, email: u.email, name: copyValue(name), named: named}
}

// auditEntry is a stored entry. It is never changed once stored, so a
// copy of the slice can be encoded after s.mu is released.
type auditEntry struct {
	seq       int
	id        string
	createdAt time.Time // UTC, whole seconds like the real server's column
	payload   map[string]any
}

// auditView is the JSON shape of an entry, keys in the real order. The
// payload is a map, so its keys come out sorted, as they do from the
// real server, which stores it as a JSON map.
type auditView struct {
	ID        string         `json:"id"`
	Payload   map[string]any `json:"payload"`
	CreatedAt time.Time      `json:"created_at"`
}

// auditLocked records an entry; target, when not nil, is the user an
// admin acted on. The caller holds s.mu. Only the newest maxRecorded
// entries are kept (see auditKeptLocked); older ones are dropped a
// quarter of that at a time, so that a long-running server does not copy
// the whole log on every request.
func (s *Server) auditLocked(now time.Time, actor auditActor, action string, target *user) {
	now = now.UTC().Truncate(time.Second)
	p := map[string]any{
		"timestamp":   now.Format(time.RFC3339),
		"actor_id":    actor.id,
		"actor_email": actor.email,
		"action":      action,
		"log_type":    auditLogTypes[action],
	}
	if actor.named {
		p["actor_name"] = actor.name
	}
	if target != nil {
		p["traits"] = map[string]any{"user_id": target.id, "user_email": target.email}
	}
	s.seq++
	s.audit = append(s.audit, auditEntry{seq: s.seq, id: newUUID(), createdAt: now, payload: p})
	if n := len(s.audit); n > maxRecorded+maxRecorded/4 {
		// Copy down rather than reslice so the dropped entries can be freed.
		s.audit = append(s.audit[:0:0], s.audit[n-maxRecorded:]...)
	}
}

// auditKeptLocked is the log as the API shows it: the newest maxRecorded
// entries, oldest first.
func (s *Server) auditKeptLocked() []auditEntry {
	return s.audit[max(0, len(s.audit)-maxRecorded):]
}

// auditScopes are the real server's query scopes and the payload fields
// each searches.
var auditScopes = map[string][]string{
	"author": {"actor_email", "actor_name"},
	"action": {"action"},
	"type":   {"log_type"},
}

// adminAudit answers the entries newest first, one page at a time, with
// the Link and X-Total-Count headers of /admin/users. query=scope:text
// keeps the entries whose scope fields contain text (a LIKE, as filter on
// /admin/users); the scopes are author (actor_email or actor_name),
// action and type (log_type). The audience plays no part.
func (s *Server) adminAudit(c *call) error {
	q := c.r.URL.Query()
	p, err := parsePage(q)
	if err != nil {
		return err
	}
	var fields []string
	var pattern likePattern
	if query := q.Get("query"); query != "" {
		scope, text, found := strings.Cut(query, ":")
		var known bool
		fields, known = auditScopes[scope]
		if !known || !found {
			return badRequest("Invalid query scope: %s", query)
		}
		if text == "" {
			fields = nil // the real server then searches nothing
		}
		pattern = containsPattern(text)
	}

	s.mu.Lock()
	var all []auditEntry
	for _, e := range s.auditKeptLocked() {
		if len(fields) == 0 || e.matches(fields, pattern) {
			all = append(all, e)
		}
	}
	s.mu.Unlock()
	slices.SortFunc(all, func(a, b auditEntry) int {
		return byCreated([]bool{false}, a.createdAt, b.createdAt, a.seq, b.seq)
	})
	start, end, err := p.window(len(all), "Error searching for audit logs")
	if err != nil {
		return err
	}
	out := make([]auditView, 0, end-start)
	for _, e := range all[start:end] {
		out = append(out, auditView{ID: e.id, Payload: e.payload, CreatedAt: e.createdAt})
	}
	setPageHeaders(c, p, len(all))
	return writeJSON(c.w, http.StatusOK, out)
}

// matches is the real server's payload->>'$.field' LIKE '%text%' under
// utf8mb4_unicode_ci, for any of the fields.
func (e auditEntry) matches(fields []string, p likePattern) bool {
	for _, f := range fields {
		if text, ok := sqlText(e.payload, f); ok && p.match(text) {
			return true
		}
	}
	return false
}

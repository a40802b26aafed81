package gotruetest

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"regexp"
	"slices"
	"strings"
	"time"
)

// user is the stored record. Times are zero when unset. Lookups scan the
// map: a test server holds a handful of users, and one source of truth
// beats indexes that must be kept in step.
type user struct {
	seq                int // creation order, to sort users created at the same instant
	id, aud, role      string
	email, newEmail    string
	password           []byte // salt + sha256(salt+password); nil: cannot log in
	confirmationToken  string // also the invite token
	recoveryToken      string
	emailChangeToken   string
	confirmedAt        time.Time
	invitedAt          time.Time
	confirmationSentAt time.Time
	recoverySentAt     time.Time
	emailChangeSentAt  time.Time
	appMeta, userMeta  map[string]any
	createdAt          time.Time
}

// User is the JSON shape of a user, keys in the real server's order. The
// real server also has last_sign_in_at, but it sets it only on a copy it
// never saves, so no answer ever carries it.
type User struct {
	ID                 string         `json:"id"`
	Aud                string         `json:"aud"`
	Role               string         `json:"role"`
	Email              string         `json:"email"`
	ConfirmedAt        *time.Time     `json:"confirmed_at,omitempty"`
	InvitedAt          *time.Time     `json:"invited_at,omitempty"`
	ConfirmationSentAt *time.Time     `json:"confirmation_sent_at,omitempty"`
	RecoverySentAt     *time.Time     `json:"recovery_sent_at,omitempty"`
	NewEmail           string         `json:"new_email,omitempty"`
	EmailChangeSentAt  *time.Time     `json:"email_change_sent_at,omitempty"`
	AppMetadata        map[string]any `json:"app_metadata"`
	UserMetadata       map[string]any `json:"user_metadata"`
	CreatedAt          time.Time      `json:"created_at"`
	UpdatedAt          time.Time      `json:"updated_at"`
}

// view copies u deeply, so it can be encoded after the lock is released.
func (u *user) view() User {
	return User{
		ID:                 u.id,
		Aud:                u.aud,
		Role:               u.role,
		Email:              u.email,
		ConfirmedAt:        optTime(u.confirmedAt),
		InvitedAt:          optTime(u.invitedAt),
		ConfirmationSentAt: optTime(u.confirmationSentAt),
		RecoverySentAt:     optTime(u.recoverySentAt),
		NewEmail:           u.newEmail,
		EmailChangeSentAt:  optTime(u.emailChangeSentAt),
		AppMetadata:        copyMap(u.appMeta),
		UserMetadata:       copyMap(u.userMeta),
		CreatedAt:          u.createdAt.UTC(),
		UpdatedAt:          u.createdAt.UTC(), // see changedView
	}
}

func optTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	t = t.UTC()
	return &t
}

func (u *user) confirmed() bool { return !u.confirmedAt.IsZero() }

func (u *user) setPassword(pw string) {
	if pw == "" {
		u.password = nil
		return
	}
	salt := []byte(randomToken(16))
	sum := sha256.Sum256(append(slices.Clone(salt), pw...))
	u.password = append(salt, sum[:]...)
}

// authenticate hashes with a salted SHA-256 rather than bcrypt: the
// standard library has no bcrypt, and this server only ever holds test
// passwords in memory.
func (u *user) authenticate(pw string) bool {
	if len(u.password) <= sha256.Size {
		return false
	}
	salt := u.password[:len(u.password)-sha256.Size]
	sum := sha256.Sum256(append(slices.Clone(salt), pw...))
	return subtle.ConstantTimeCompare(sum[:], u.password[len(salt):]) == 1
}

func (u *user) confirm(now time.Time) {
	u.confirmationToken = ""
	if !u.confirmed() {
		u.confirmedAt = now
	}
}

// isAdmin is the real server's rule: role "admin" in the request's
// audience. With Config.AppMetadataAdmins, app_metadata.roles containing
// "admin" counts too.
func (u *user) isAdmin(aud string, cfg Config) bool {
	if aud != u.aud {
		return false
	}
	if u.role == "admin" {
		return true
	}
	if !cfg.AppMetadataAdmins {
		return false
	}
	roles, _ := u.appMeta["roles"].([]any)
	return slices.Contains(roles, any("admin"))
}

// newUserLocked creates and stores a user; the caller holds s.mu and has
// checked that the email is free in aud.
func (s *Server) newUserLocked(email, password, aud, provider string, data map[string]any, now time.Time) *user {
	s.seq++
	u := &user{
		seq:       s.seq,
		id:        newUUID(),
		aud:       aud,
		email:     email,
		appMeta:   map[string]any{"provider": provider},
		userMeta:  mergeMeta(nil, data),
		createdAt: now,
	}
	u.setPassword(password)
	s.users[u.id] = u
	return u
}

// findByEmailLocked matches case-insensitively, like the real server's
// MySQL collation.
func (s *Server) findByEmailLocked(email, aud string) *user {
	if email == "" {
		return nil
	}
	for _, u := range s.users {
		if u.aud == aud && strings.EqualFold(u.email, email) {
			return u
		}
	}
	return nil
}

// findByTokenLocked finds the user holding a confirmation (or invite),
// recovery or email-change token.
func (s *Server) findByTokenLocked(field func(*user) string, token string) *user {
	if token == "" {
		return nil
	}
	for _, u := range s.users {
		if field(u) == token {
			return u
		}
	}
	return nil
}

func confirmationTokenOf(u *user) string { return u.confirmationToken }
func recoveryTokenOf(u *user) string     { return u.recoveryToken }

func (s *Server) deleteUserLocked(id string) {
	delete(s.users, id)
	s.deleteGrantsLocked(id)
}

// changedView is the answer to a request that changed u. The real server
// sets updated_at on the record it answers with, but its partial updates
// never write that column, so every later read shows the creation time
// again.
func (u *user) changedView(now time.Time) User {
	v := u.view()
	v.UpdatedAt = now.UTC()
	return v
}

// createdView is the answer to the request that created u. The real
// server answers with the record it just built, where user_metadata is
// null when the request gave none; every later read comes from its
// database, which reads back {}.
func (u *user) createdView(data map[string]any) User {
	v := u.view()
	if data == nil {
		v.UserMetadata = nil
	}
	return v
}

// mergeMeta applies updates the way the real server's UpdateUserMetaData
// does: keys are set, a null value deletes its key. It never returns nil,
// so user_metadata reads back as {} rather than null.
func mergeMeta(dst, updates map[string]any) map[string]any {
	if dst == nil {
		dst = map[string]any{}
	}
	for k, v := range updates {
		if v == nil {
			delete(dst, k)
		} else {
			dst[k] = copyValue(v)
		}
	}
	return dst
}

func copyMap(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = copyValue(v)
	}
	return out
}

// copyValue deep-copies a value decoded from JSON.
func copyValue(v any) any {
	switch v := v.(type) {
	case map[string]any:
		return copyMap(v)
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = copyValue(e)
		}
		return out
	default:
		return v
	}
}

// emailFormat is the pattern of the checkmail package the real server uses.
var emailFormat = regexp.MustCompile("^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$")

func validateEmail(email string) error {
	if email == "" {
		return unprocessable("An email address is required")
	}
	if !emailFormat.MatchString(email) {
		return unprocessable("Unable to validate email address: invalid format")
	}
	return nil
}

var uuidFormat = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// UserParams seeds a user through CreateUser.
type UserParams struct {
	Email        string
	Password     string // "" leaves the user without a password (it cannot log in)
	Confirmed    bool
	Role         string
	AppMetadata  map[string]any // merged over {"provider":"email"}
	UserMetadata map[string]any
	Aud          string // "" means Config.Audience
}

// CreateUser stores a user directly, without mails, and returns its id.
// Metadata must be JSON-encodable.
func (s *Server) CreateUser(p UserParams) (string, error) {
	if validateEmail(p.Email) != nil {
		return "", errors.New("gotruetest: invalid email address")
	}
	appMeta, err := jsonCopy(p.AppMetadata)
	if err != nil {
		return "", errors.New("gotruetest: app_metadata is not JSON: " + err.Error())
	}
	userMeta, err := jsonCopy(p.UserMetadata)
	if err != nil {
		return "", errors.New("gotruetest: user_metadata is not JSON: " + err.Error())
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	aud := p.Aud
	if aud == "" {
		aud = s.cfg.Audience
	}
	if s.findByEmailLocked(p.Email, aud) != nil {
		return "", errors.New("gotruetest: a user with this email address already exists")
	}
	now := s.cfg.Now()
	u := s.newUserLocked(p.Email, p.Password, aud, "email", userMeta, now)
	u.appMeta = mergeMeta(appMeta, map[string]any{"provider": "email"})
	u.role = p.Role
	if p.Confirmed {
		u.confirm(now)
	}
	return u.id, nil
}

// jsonCopy turns caller-supplied metadata into plain JSON values, so that
// later encoding cannot fail and the caller's map is not shared.
func jsonCopy(m map[string]any) (map[string]any, error) {
	if m == nil {
		return nil, nil
	}
	b, err := json.Marshal(m)
	if err != nil {
		return nil, err
	}
	var out map[string]any
	err = json.Unmarshal(b, &out)
	return out, err
}

// Users returns every user, newest first, in their JSON shape.
func (s *Server) Users() []User {
	s.mu.Lock()
	defer s.mu.Unlock()
	return viewUsers(s.sortedLocked(func(*user) bool { return true }, []bool{false}))
}

// sortedLocked returns the users keep accepts sorted by created_at in the
// directions of asc (see parseSort; []bool{false} is newest first, the
// admin list's default). Users created at the same instant go by creation
// order.
func (s *Server) sortedLocked(keep func(*user) bool, asc []bool) []*user {
	var out []*user
	for _, u := range s.users {
		if keep(u) {
			out = append(out, u)
		}
	}
	slices.SortFunc(out, func(a, b *user) int {
		return byCreated(asc, a.createdAt, b.createdAt, a.seq, b.seq)
	})
	return out
}

func viewUsers(us []*user) []User {
	out := make([]User, len(us))
	for i, u := range us {
		out[i] = u.view()
	}
	return out
}

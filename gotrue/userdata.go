package gotrue

import time "github.com/gotrue-wasm/gotrue-wasm/gotrue/internal/xtime"

// UserData is a user as the server describes it (GET /user, signup, the
// admin API): the fields a program usually reads, typed, and Raw with
// every field as the server sent it.
type UserData struct {
	ID    string
	Aud   string
	Role  string
	Email string
	// NewEmail is an email change waiting for its confirmation link.
	NewEmail string

	// The server's times; zero when the answer has none (a user who was
	// never invited has no InvitedAt).
	CreatedAt          time.Time
	UpdatedAt          time.Time
	ConfirmedAt        time.Time
	ConfirmationSentAt time.Time
	RecoverySentAt     time.Time
	InvitedAt          time.Time
	EmailChangeSentAt  time.Time

	// AppMetadata is set by the server and admins (roles, provider);
	// UserMetadata by the user (signup data, update's data).
	AppMetadata  Object
	UserMetadata Object

	// Raw is the whole answer, key order kept.
	Raw RawJSON
}

// ParseUserData reads a user's JSON. Fields of the wrong type are left at
// their zero value; only an answer that is not a JSON object is an error.
func ParseUserData(data []byte) (*UserData, error) {
	o, err := ParseObject(data)
	if err != nil {
		return nil, err
	}
	return userDataOf(o), nil
}

// userDataOf types the fields of o.
func userDataOf(o Object) *UserData {
	d := &UserData{
		ID:       o.String("id"),
		Aud:      o.String("aud"),
		Role:     o.String("role"),
		Email:    o.String("email"),
		NewEmail: o.String("new_email"),
		Raw:      o.Bytes(),
	}
	for _, f := range []struct {
		key string
		to  *time.Time
	}{
		{"created_at", &d.CreatedAt},
		{"updated_at", &d.UpdatedAt},
		{"confirmed_at", &d.ConfirmedAt},
		{"confirmation_sent_at", &d.ConfirmationSentAt},
		{"recovery_sent_at", &d.RecoverySentAt},
		{"invited_at", &d.InvitedAt},
		{"email_change_sent_at", &d.EmailChangeSentAt},
	} {
		if t, ok := time.ParseTimestamp(o.String(f.key)); ok {
			*f.to = t
		}
	}
	for _, f := range []struct {
		key string
		to  *Object
	}{
		{"app_metadata", &d.AppMetadata},
		{"user_metadata", &d.UserMetadata},
	} {
		if raw, ok := o.Get(f.key); ok {
			if m, err := ParseObject(raw); err == nil {
				*f.to = m
			}
		}
	}
	return d
}

// Data is the user's fields as the server last sent them, typed. Its Raw
// leaves out the few names the user keeps off its fields, as gotrue-js
// does (token, url, and the names of the user's methods).
func (u *User) Data() *UserData { return userDataOf(u.Fields()) }

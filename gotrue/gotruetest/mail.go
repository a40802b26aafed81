package gotruetest

import (
	"net/http"
	"slices"
	"strings"
	"time"
)

// Mail is a message the server would have sent. Nothing leaves the
// process: tests read the mailbox with Mails or LastMail, a browser demo
// through MailboxHandler.
type Mail struct {
	To      string    `json:"to"`
	Kind    string    `json:"kind"` // "confirmation", "recovery", "invite" or "email_change"
	Subject string    `json:"subject"`
	Token   string    `json:"token"`
	Link    string    `json:"link"` // SiteURL + "/#<kind>_token=<token>"
	SentAt  time.Time `json:"sent_at"`
}

// Mail kinds.
const (
	KindConfirmation = "confirmation"
	KindRecovery     = "recovery"
	KindInvite       = "invite"
	KindEmailChange  = "email_change"
)

// subjects are netlify/gotrue's default mail subjects.
var subjects = map[string]string{
	KindConfirmation: "Confirm Your Signup",
	KindRecovery:     "Reset Your Password",
	KindInvite:       "You have been invited",
	KindEmailChange:  "Confirm Email Change",
}

// sendMailLocked records a mail; the caller holds s.mu. The link's
// fragment is what the identity widget reads (#confirmation_token=...).
func (s *Server) sendMailLocked(kind, to, token string, cfg Config, now time.Time) {
	s.mails = append(s.mails, Mail{
		To:      to,
		Kind:    kind,
		Subject: subjects[kind],
		Token:   token,
		Link:    strings.TrimRight(cfg.SiteURL, "/") + "/#" + kind + "_token=" + token,
		SentAt:  now.UTC(),
	})
	if n := len(s.mails); n > maxRecorded {
		s.mails = append(s.mails[:0:0], s.mails[n-maxRecorded:]...)
	}
}

// sendConfirmationLocked mails a new confirmation token, unless one went
// out within MailInterval: then, like the real server, it silently sends
// nothing and the earlier token stays valid.
func (s *Server) sendConfirmationLocked(u *user, cfg Config, now time.Time) {
	if !u.confirmationSentAt.IsZero() && !u.confirmationSentAt.Add(cfg.MailInterval).Before(now) {
		return
	}
	u.confirmationToken = randomToken(16)
	u.confirmationSentAt = now
	s.sendMailLocked(KindConfirmation, u.email, u.confirmationToken, cfg, now)
}

// Mails returns a copy of the mailbox, oldest first.
func (s *Server) Mails() []Mail {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.mails)
}

// LastMail returns the newest mail to the address (case-insensitive) of
// the kind; an empty to or kind matches any.
func (s *Server) LastMail(to, kind string) (Mail, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := len(s.mails) - 1; i >= 0; i-- {
		if m := s.mails[i]; mailMatches(m, to, kind) {
			return m, true
		}
	}
	return Mail{}, false
}

func mailMatches(m Mail, to, kind string) bool {
	return (to == "" || strings.EqualFold(m.To, to)) && (kind == "" || m.Kind == kind)
}

// ClearMails empties the mailbox.
func (s *Server) ClearMails() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mails = nil
}

// MailboxHandler serves the mailbox for a browser demo or test: GET answers
// the mails as a JSON array, oldest first (optionally filtered by ?to= and
// ?kind=), DELETE empties it (204). CORS follows the API's AllowedOrigins.
func (s *Server) MailboxHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if applyCORS(w, r, s.config()) {
			return
		}
		switch r.Method {
		case http.MethodGet:
			q := r.URL.Query()
			out := []Mail{}
			for _, m := range s.Mails() {
				if mailMatches(m, q.Get("to"), q.Get("kind")) {
					out = append(out, m)
				}
			}
			writeJSON(w, http.StatusOK, out)
		case http.MethodDelete:
			s.ClearMails()
			w.WriteHeader(http.StatusNoContent)
		default:
			writeErr(w, methodNotAllowed("DELETE, GET"))
		}
	})
}

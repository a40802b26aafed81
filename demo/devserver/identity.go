package devserver

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/gotrue-wasm/gotrue-wasm/gotrue/gotruetest"
)

// newIdentity starts the in-memory GoTrue with the admin user seeded, so
// the admin methods and /invite work from the first page load.
func newIdentity(cfg Config) (*gotruetest.Server, error) {
	id := gotruetest.New(gotruetest.Config{
		Autoconfirm:    cfg.Autoconfirm,
		DisableSignup:  cfg.DisableSignup,
		TokenLifetime:  cfg.TokenLifetime,
		SiteURL:        cfg.SiteURL,
		AllowedOrigins: allowedOrigins(strings.TrimRight(cfg.SiteURL, "/"), cfg.AllowedOrigins),
		OperatorToken:  cfg.OperatorToken,
	})
	// An admin the way netlify/gotrue counts one: by the role field. The
	// app_metadata.roles list (what Netlify's dashboard edits, and what the
	// page shows) says admin too, but does not make one by itself.
	_, err := id.CreateUser(gotruetest.UserParams{
		Email:        AdminEmail,
		Password:     AdminPassword,
		Confirmed:    true,
		Role:         "admin",
		AppMetadata:  map[string]any{"roles": []any{"admin"}},
		UserMetadata: map[string]any{"full_name": "Demo Admin"},
	})
	if err != nil {
		return nil, fmt.Errorf("seeding the admin user: %w", err)
	}
	return id, nil
}

// noMailbox answers /mailbox when identity is proxied: the real server
// sends real mails, and the page shows this message instead of a list.
func noMailbox(upstream string) http.Handler {
	msg := "No local mailbox: identity is proxied to " + upstream + ", which sends real emails."
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeJSONError(w, http.StatusNotFound, msg)
	})
}

// writeJSONError answers in GoTrue's error shape, which the page already
// knows how to show.
func writeJSONError(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]any{"code": status, "msg": msg})
}

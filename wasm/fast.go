//go:build js

package main

import "github.com/gotrue-wasm/gotrue-wasm/gotrue"

// The fast paths of the cached answers. A js.FuncOf export goes through
// the Go scheduler on every call, which caps it at some tens of thousands
// of calls a second (demo/bench/RESULTS.md); a //go:wasmexport function is
// a plain wasm call. These answer only whether the page object already
// holds the answer, so the class shell can return it itself; the rules
// stay here, and any doubt sends the shell down the js.FuncOf path.

// fast is the page's bindings, for the exports below.
var fast *bindings

// userSynced: 1 when the page object of user handle h holds its user's
// current state, so that user.token is tokenDetails()'s answer.
//
//go:wasmexport userSynced
func userSynced(h int32) int32 {
	if _, ok := syncedUser(h); ok {
		return 1
	}
	return 0
}

// userFresh: 1 when, moreover, the access token needs no refresh, so that
// jwt() resolves with user.token.access_token.
//
//go:wasmexport userFresh
func userFresh(h int32) int32 {
	if u, ok := syncedUser(h); ok {
		if _, fresh := u.FreshAccessToken(); fresh {
			return 1
		}
	}
	return 0
}

// currentUser: the handle of the current user's page object when the
// user is in memory, its object is current and currentUser() would change
// no header; 0 otherwise. setCookie is the GoTrue's (1 or 0).
//
//go:wasmexport currentUser
func currentUserFast(clientHandle, setCookie int32) int32 {
	b := fast
	if b == nil {
		return 0
	}
	t := b.handles
	t.mu.Lock()
	cl, _ := t.values[int(clientHandle)].(*client)
	t.mu.Unlock()
	if cl == nil {
		return 0
	}
	u := cl.c.Session().Current()
	if u == nil {
		return 0
	}
	cl.mu.Lock()
	unchanged := cl.pulled.setCookie == (setCookie != 0) && cl.c.SetCookie() == (setCookie != 0)
	if unchanged && setCookie != 0 {
		want := "session"
		if u.FromStorage() {
			want = "1"
		}
		unchanged = cl.headers["X-Use-Cookie"] == want
	}
	cl.mu.Unlock()
	if !unchanged {
		return 0
	}
	t.mu.Lock()
	r := t.users[u]
	t.mu.Unlock()
	if r == nil || r.synced != u.Revision() {
		return 0
	}
	return int32(r.handle)
}

// syncedUser is the user of handle h when its page object is current.
func syncedUser(h int32) (*gotrue.User, bool) {
	b := fast
	if b == nil {
		return nil, false
	}
	t := b.handles
	t.mu.Lock()
	defer t.mu.Unlock()
	u, _ := t.values[int(h)].(*gotrue.User)
	if u == nil {
		return nil, false
	}
	r := t.users[u]
	return u, r != nil && r.handle == int(h) && r.synced == u.Revision()
}

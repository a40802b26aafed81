//go:build js

package main

import "github.com/gotrue-wasm/gotrue-wasm/internal/plumbing"

// The fast paths of the cached answers. A js.FuncOf export goes through
// the Go scheduler on every call, which caps it at some tens of thousands
// of calls a second (tools/bench/RESULTS.md); a //go:wasmexport function
// is a plain wasm call. These answer only whether the page object already
// holds the answer, so the class shell can return it itself. They ask the
// handle table and the core; any doubt sends the shell down the js.FuncOf
// path.

// fast is the page's bindings, for the exports below.
var fast *bindings

// userSynced: 1 when the page object of user handle h holds its user's
// current state, so that user.token is tokenDetails()'s answer.
//
//go:wasmexport userSynced
func userSynced(h int32) int32 {
	if fast == nil {
		return 0
	}
	_, ok := fast.handles.syncedUserAt(int(h))
	return boolInt32(ok)
}

// userFresh: 1 when, moreover, the access token needs no refresh, so that
// jwt() resolves with user.token.access_token.
//
//go:wasmexport userFresh
func userFresh(h int32) int32 {
	if fast == nil {
		return 0
	}
	u, ok := fast.handles.syncedUserAt(int(h))
	if ok {
		_, ok = plumbing.FreshAccessToken(u)
	}
	return boolInt32(ok)
}

// currentUser: the handle of the current user's page object when the
// user is in memory, its object is current and currentUser() would change
// no header; 0 otherwise. setCookie is the GoTrue's (1 or 0).
//
//go:wasmexport currentUser
func currentUserFast(clientHandle, setCookie int32) int32 {
	if fast == nil {
		return 0
	}
	cl := fast.handles.clientAt(int(clientHandle))
	if cl == nil || !cl.settingsAre(setCookie != 0) {
		return 0
	}
	u := cl.c.Session().Current()
	if u == nil {
		return 0
	}
	// Without setCookie, currentUser() sets no header: skip asking (a
	// third of this call's cost).
	if setCookie != 0 && !plumbing.RememberHeaderSet(cl.c, u.FromStorage()) {
		return 0
	}
	return int32(fast.handles.syncedHandle(u))
}

func boolInt32(b bool) int32 {
	if b {
		return 1
	}
	return 0
}

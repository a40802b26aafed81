// Package keys sorts the keys of small maps for the client and its
// bindings, which both write maps in a fixed order (header names, the keys
// of user data) and must not link package sort or slices: they would cost
// gotrue.wasm some 30 KB for maps of a handful of keys.
package keys

// Sorted returns m's keys in increasing order, by an insertion sort.
func Sorted[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		i := len(keys)
		keys = append(keys, k)
		for ; i > 0 && keys[i-1] > k; i-- {
			keys[i] = keys[i-1]
		}
		keys[i] = k
	}
	return keys
}

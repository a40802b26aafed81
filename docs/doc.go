// Package docs holds the project's design documents (behaviour.md,
// architecture.md) and a test that keeps every Markdown file of the
// repository self-contained: each relative link must lead to a file in
// the repository, and no file may cite notes that live outside it.
package docs

// Package archtest keeps EventoDB's hexagonal layering honest: it lists the
// module's packages with `go list` and reports every import that points the
// wrong way (see Rules). Its test runs in CI, so a misplaced import fails the
// build instead of slowly eroding the architecture.
package archtest

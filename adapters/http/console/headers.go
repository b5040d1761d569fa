package console

import "net/http"

// contentSecurityPolicy allows the page to load and call only its own
// origin: no inline script or style, no other host, no framing, and no form
// that could ever submit (the sign-in form is handled by script, so a token
// can never end up in a URL).
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; " +
	"img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; " +
	"base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// setSecurityHeaders marks every console response. The page holds a token in
// sessionStorage, so it must not be framed, sniffed or leak its URL.
func setSecurityHeaders(h http.Header) {
	h.Set("Content-Security-Policy", contentSecurityPolicy)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	h.Set("Cross-Origin-Resource-Policy", "same-origin")
}
